package dev.ce4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.internal.JsonErrors;
import dev.ce4j.core.io.internal.RegularFiles;
import dev.ce4j.core.model.FloatTensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format
 * in Java: an 8-byte little-endian header length, a JSON header mapping each tensor name to {@code
 * {"dtype", "shape", "data_offsets"}} (plus an optional {@code "__metadata__"} map of strings),
 * then the raw little-endian tensor data.
 *
 * <p>Reading validates the whole header against the file before any data is read, and reports a
 * truncated file, a header pointing outside the file, an unknown dtype or a size mismatch as an
 * {@link InvalidInputException} naming the file and the tensor. F16, BF16 and F64 data are
 * converted to F32 in Java. Nothing is ever unpickled. Stateless and thread-safe.
 */
public final class SafeTensors {
  /** The largest header accepted, as in the reference implementation (100 MB). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SafeTensors() {}

  /**
   * One tensor's entry in a safetensors header.
   *
   * @param name the tensor name, never null
   * @param dtype the stored element type, never null
   * @param shape the dimensions, never null (not copied; do not modify)
   * @param begin first byte of the data, relative to the end of the header
   * @param end one past the last byte of the data, relative to the end of the header
   */
  public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    /** Validates non-null fields. */
    public TensorInfo {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dtype, "dtype");
      Objects.requireNonNull(shape, "shape");
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
  }

  /**
   * A validated safetensors header.
   *
   * @param file the file it was read from, never null
   * @param tensors the tensors in header order, never null, unmodifiable
   * @param metadata the {@code __metadata__} map, never null (empty when absent), unmodifiable
   * @param dataStart the file offset where tensor data begins
   */
  public record Header(
      Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
    /** Makes the maps unmodifiable. */
    public Header {
      Objects.requireNonNull(file, "file");
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /**
   * Reads and validates the header of a safetensors file.
   *
   * @param file the file, never null
   * @return the header, never null
   * @throws InvalidInputException if the file is missing, not a regular file (a FIFO, a directory,
   *     a dangling link), empty, unreadable, truncated or its header is malformed or points outside
   *     the file; the message names the file
   */
  public static Header readHeader(Path file) {
    Objects.requireNonNull(file, "file");
    RegularFiles.requireRegularFile(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(file, ch);
    } catch (IOException e) {
      throw RegularFiles.cannotRead(file, e);
    }
  }

  /**
   * Reads the tensors of a safetensors file as F32, converting F16, BF16 and F64 in Java.
   *
   * @param file the file, never null
   * @param include which tensor names to read, never null; others are skipped (not converted)
   * @return the included tensors in header order, never null
   * @throws InvalidInputException if the file is damaged (see {@link #readHeader(Path)}) or an
   *     included tensor is not of a float type; the message names the file and tensor
   */
  public static LinkedHashMap<String, FloatTensor> readFloats(
      Path file, Predicate<String> include) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(include, "include");
    RegularFiles.requireRegularFile(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header header = readHeader(file, ch);
      LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
      for (TensorInfo t : header.tensors().values()) {
        if (!include.test(t.name())) {
          continue;
        }
        if (!t.dtype().isReadableAsFloat()) {
          throw new InvalidInputException(
              file
                  + ": tensor '"
                  + t.name()
                  + "' has dtype "
                  + t.dtype()
                  + ", but model weights must be F32, F16, BF16 or F64");
        }
        long nbytes = t.end() - t.begin();
        if (nbytes / t.dtype().size() > Integer.MAX_VALUE - 8) {
          throw new InvalidInputException(
              file + ": tensor '" + t.name() + "' has more than 2^31 elements; not supported");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) nbytes).order(ByteOrder.LITTLE_ENDIAN);
        long pos = header.dataStart() + t.begin();
        while (buf.hasRemaining()) {
          int n = ch.read(buf, pos);
          if (n < 0) {
            throw new InvalidInputException(
                file + ": file is truncated: tensor '" + t.name() + "' data ends early");
          }
          pos += n;
        }
        buf.flip();
        out.put(t.name(), new FloatTensor(t.shape().clone(), toFloats(buf, t.dtype())));
      }
      return out;
    } catch (IOException e) {
      throw RegularFiles.cannotRead(file, e);
    }
  }

  /**
   * Writes tensors to a safetensors file (replacing it), in map order.
   *
   * @param file the file to write, never null
   * @param tensors name to tensor, never null; names must not be {@code __metadata__}
   * @param storeAs the element type to store: {@link DType#F32}, {@link DType#F16} or {@link
   *     DType#BF16} (narrowing rounds to nearest even), never null
   * @param metadata the {@code __metadata__} strings, never null; transformers needs {@code
   *     {"format": "pt"}}
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if {@code storeAs} is not a supported type
   */
  public static void write(
      Path file, Map<String, FloatTensor> tensors, DType storeAs, Map<String, String> metadata)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    if (storeAs != DType.F32 && storeAs != DType.F16 && storeAs != DType.BF16) {
      throw new IllegalArgumentException("can store F32, F16 or BF16, not " + storeAs);
    }
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode md = root.putObject(METADATA_KEY);
      metadata.forEach(md::put);
    }
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
      if (METADATA_KEY.equals(e.getKey())) {
        throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
      }
      ObjectNode t = root.putObject(e.getKey());
      t.put("dtype", storeAs.name());
      ArrayNode shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long nbytes = (long) e.getValue().data().length * storeAs.size();
      t.putArray("data_offsets").add(offset).add(offset + nbytes);
      offset += nbytes;
    }
    byte[] headerBytes = JSON.writeValueAsBytes(root);
    int padded = (headerBytes.length + 7) / 8 * 8;
    byte[] header = Arrays.copyOf(headerBytes, padded);
    Arrays.fill(header, headerBytes.length, padded, (byte) ' ');
    try (OutputStream out =
        Files.newOutputStream(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(header);
      byte[] chunk = new byte[1 << 16];
      for (FloatTensor t : tensors.values()) {
        float[] d = t.data();
        int perChunk = chunk.length / storeAs.size();
        for (int start = 0; start < d.length; start += perChunk) {
          int n = Math.min(perChunk, d.length - start);
          ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = start; i < start + n; i++) {
            switch (storeAs) {
              case F32 -> b.putFloat(d[i]);
              case F16 -> b.putShort((short) HalfFloats.floatToF16(d[i]));
              default -> b.putShort((short) HalfFloats.floatToBf16(d[i]));
            }
          }
          out.write(chunk, 0, n * storeAs.size());
        }
      }
    }
  }

  private static float[] toFloats(ByteBuffer buf, DType dtype) {
    int n = buf.remaining() / dtype.size();
    float[] out = new float[n];
    switch (dtype) {
      case F32 -> buf.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfFloats.f16ToFloat(buf.getShort() & 0xffff);
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfFloats.bf16ToFloat(buf.getShort() & 0xffff);
        }
      }
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) buf.getDouble();
        }
      }
      default -> throw new IllegalStateException("not a float type: " + dtype);
    }
    return out;
  }

  private static Header readHeader(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0) {
      throw new InvalidInputException(
          file + ": file is empty (0 bytes), not a safetensors file; copy or download it again");
    }
    if (size < 8) {
      throw new InvalidInputException(
          file
              + ": file is truncated: "
              + size
              + " bytes, too short for the 8-byte header length of a safetensors file;"
              + " copy or download it again");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0);
    long headerLen = lenBuf.flip().getLong();
    if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
      throw new InvalidInputException(
          file
              + ": not a safetensors file: the first 8 bytes announce a header of "
              + Long.toUnsignedString(headerLen)
              + " bytes (must be 2 to "
              + MAX_HEADER_BYTES
              + ")");
    }
    if (headerLen > size - 8) {
      throw new InvalidInputException(
          file
              + ": file is truncated: the header announces "
              + headerLen
              + " bytes but only "
              + (size - 8)
              + " follow the length prefix; copy or download it again");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(ch, hb, 8);
    String json = new String(hb.array(), StandardCharsets.UTF_8);
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          file + ": malformed safetensors header (not valid JSON) at its " + JsonErrors.describe(e),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(file + ": malformed safetensors header: not a JSON object");
    }
    long dataStart = 8 + headerLen;
    long dataSize = size - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (METADATA_KEY.equals(e.getKey())) {
        if (!e.getValue().isObject()) {
          throw new InvalidInputException(
              file + ": malformed safetensors header: " + METADATA_KEY + " is not an object");
        }
        e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      tensors.add(parseEntry(file, e.getKey(), e.getValue()));
    }
    checkLayout(file, tensors, dataSize);
    Map<String, TensorInfo> byName = new LinkedHashMap<>();
    for (TensorInfo t : tensors) {
      byName.put(t.name(), t);
    }
    return new Header(file, byName, metadata, dataStart);
  }

  private static TensorInfo parseEntry(Path file, String name, JsonNode node) {
    String where = file + ": tensor '" + name + "' in the safetensors header";
    if (!node.isObject()) {
      throw new InvalidInputException(where + " is not a JSON object");
    }
    JsonNode dt = node.get("dtype");
    if (dt == null || !dt.isTextual()) {
      throw new InvalidInputException(where + " has no \"dtype\" string");
    }
    DType dtype = DType.fromHeaderName(dt.asText());
    if (dtype == null) {
      throw new InvalidInputException(
          where
              + " has unknown dtype '"
              + dt.asText()
              + "'; known: "
              + Arrays.toString(DType.values()));
    }
    long[] shape = longArray(node.get("shape"), -1, where + " has a malformed \"shape\"");
    long[] offsets =
        longArray(node.get("data_offsets"), 2, where + " has malformed \"data_offsets\"");
    long numel;
    try {
      numel = FloatTensor.numel(shape);
    } catch (ArithmeticException e) {
      throw new InvalidInputException(where + " has a shape too large: " + Arrays.toString(shape));
    }
    if (offsets[1] < offsets[0]) {
      throw new InvalidInputException(
          where + " has data_offsets " + Arrays.toString(offsets) + " that end before they begin");
    }
    long expected;
    try {
      expected = Math.multiplyExact(numel, dtype.size());
    } catch (ArithmeticException e) {
      throw new InvalidInputException(where + " has a shape too large: " + Arrays.toString(shape));
    }
    if (offsets[1] - offsets[0] != expected) {
      throw new InvalidInputException(
          where
              + " has data_offsets "
              + Arrays.toString(offsets)
              + " spanning "
              + (offsets[1] - offsets[0])
              + " bytes, but shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + expected
              + " bytes");
    }
    return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static void checkLayout(Path file, List<TensorInfo> tensors, long dataSize) {
    List<TensorInfo> sorted = new ArrayList<>(tensors);
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long expectedBegin = 0;
    boolean contiguous = true;
    for (TensorInfo t : sorted) {
      if (t.begin() != expectedBegin) {
        contiguous = false;
      }
      expectedBegin = t.end();
    }
    long needed = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).end();
    for (TensorInfo t : sorted) {
      if (t.end() > dataSize) {
        if (contiguous) {
          throw new InvalidInputException(
              file
                  + ": file is truncated: its header describes "
                  + needed
                  + " bytes of tensor data but only "
                  + dataSize
                  + " are present (tensor '"
                  + t.name()
                  + "' is cut off); copy or download it again");
        }
        throw new InvalidInputException(
            file
                + ": corrupt safetensors header: tensor '"
                + t.name()
                + "' has data_offsets ["
                + t.begin()
                + ", "
                + t.end()
                + "] pointing outside the file, whose data section is "
                + dataSize
                + " bytes");
      }
    }
    for (int i = 1; i < sorted.size(); i++) {
      TensorInfo a = sorted.get(i - 1);
      TensorInfo b = sorted.get(i);
      if (b.begin() < a.end() && b.end() > b.begin()) {
        throw new InvalidInputException(
            file
                + ": corrupt safetensors header: the data of tensors '"
                + a.name()
                + "' and '"
                + b.name()
                + "' overlap");
      }
    }
  }

  private static long[] longArray(JsonNode node, int length, String error) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw new InvalidInputException(error);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
        throw new InvalidInputException(error + ": " + node);
      }
      out[i] = v.asLong();
    }
    return out;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }
}
