package dev.ce4j.core.fingerprint;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fingerprint of a model: a SHA-256 (64 lowercase hex digits) over its tensors, independent of
 * file layout, header order and metadata.
 *
 * <p>Tensors are taken in ascending order of their names' UTF-8 bytes (compared as unsigned
 * bytes; for ASCII names this is plain string order). For each tensor the hash reads:
 *
 * <pre>
 *   UTF-8(name) 0x00 ASCII(dtype) 0x00 int32_le(rank) int64_le(dim_0) ... int64_le(dim_{rank-1})
 *   data bytes, little-endian, row-major
 * </pre>
 *
 * where {@code dtype} is the safetensors name of the element type ({@code F32}, {@code F16},
 * {@code BF16}, ...). Nothing separates one tensor from the next: the rank and shape fix the
 * length of each record. In-memory tensors ({@link FloatTensor}) are always {@code F32}; a file's
 * tensors are hashed as stored, so an F16 copy of a model has a different fingerprint than its F32
 * original (its values differ). {@code ce} saves models as F32, so the fingerprint of a saved
 * folder equals the fingerprint of the weights it was saved from.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelFingerprint {
  private static final int CHUNK = 1 << 16;

  private ModelFingerprint() {}

  /**
   * The fingerprint of in-memory F32 tensors.
   *
   * @param tensors name to tensor, never null (any iteration order; the fingerprint sorts)
   * @return 64 lowercase hex digits, never null
   */
  public static String of(Map<String, FloatTensor> tensors) {
    Objects.requireNonNull(tensors, "tensors");
    MessageDigest md = sha256();
    byte[] chunk = new byte[CHUNK];
    for (String name : sortedNames(tensors.keySet())) {
      FloatTensor t = Objects.requireNonNull(tensors.get(name), () -> "tensor " + name);
      md.update(recordHeader(name, DType.F32.name(), t.shape()));
      float[] d = t.data();
      int perChunk = CHUNK / Float.BYTES;
      for (int start = 0; start < d.length; start += perChunk) {
        int n = Math.min(perChunk, d.length - start);
        ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = start; i < start + n; i++) {
          b.putFloat(d[i]);
        }
        md.update(chunk, 0, n * Float.BYTES);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The fingerprint of a model's live parameters (copied to host memory first).
   *
   * @param weights the weights, never null, not closed
   * @return 64 lowercase hex digits, never null
   */
  public static String of(ModelWeights weights) {
    return of(Objects.requireNonNull(weights, "weights").toHost());
  }

  /**
   * The fingerprint of every tensor of a safetensors file, hashed as stored. The file is streamed,
   * never held in memory whole.
   *
   * @param file a safetensors file, never null
   * @return 64 lowercase hex digits, never null
   * @throws InvalidInputException if the file is missing, unreadable or damaged, naming it
   */
  public static String ofSafeTensors(Path file) {
    Objects.requireNonNull(file, "file");
    SafeTensors.Header header = SafeTensors.readHeader(file);
    MessageDigest md = sha256();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      for (String name : sortedNames(header.tensors().keySet())) {
        SafeTensors.TensorInfo t = header.tensors().get(name);
        md.update(recordHeader(name, t.dtype().name(), t.shape()));
        long pos = header.dataStart() + t.begin();
        long end = header.dataStart() + t.end();
        while (pos < end) {
          buf.clear();
          buf.limit((int) Math.min(CHUNK, end - pos));
          int n = ch.read(buf, pos);
          if (n < 0) {
            throw new InvalidInputException(
                file + ": file is truncated: tensor '" + name + "' data ends early");
          }
          md.update(buf.array(), 0, n);
          pos += n;
        }
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The fingerprint of a model folder: of its {@code model.safetensors}.
   *
   * @param folder a model folder, never null
   * @return 64 lowercase hex digits, never null
   * @throws InvalidInputException if the folder has no readable {@code model.safetensors}
   */
  public static String ofFolder(Path folder) {
    return ofSafeTensors(ModelFolder.weightsFile(Objects.requireNonNull(folder, "folder")));
  }

  /**
   * The bytes that precede a tensor's data in the hash: name, dtype, rank and dimensions. Public so
   * that the layout is documented by code and can be checked independently.
   *
   * @param name the tensor name, never null
   * @param dtype the safetensors dtype name, such as {@code F32}, never null
   * @param shape the dimensions, never null
   * @return a fresh array, never null
   */
  public static byte[] recordHeader(String name, String dtype, long[] shape) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] d = dtype.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(n.length + 1 + d.length + 1 + Integer.BYTES + Long.BYTES * shape.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(n).put((byte) 0).put(d).put((byte) 0).putInt(shape.length);
    for (long dim : shape) {
      b.putLong(dim);
    }
    return b.array();
  }

  private static List<String> sortedNames(Iterable<String> names) {
    List<String> out = new ArrayList<>();
    names.forEach(out::add);
    out.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
