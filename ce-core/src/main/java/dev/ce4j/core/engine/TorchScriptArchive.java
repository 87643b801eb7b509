package dev.ce4j.core.engine;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module made of code only (no parameters, no buffers), built in memory and loaded
 * into libtorch, so that a whole forward pass runs as one native call.
 *
 * <p>The archive is what {@code torch.jit.save} writes for such a module (file format version 10,
 * as PyTorch 1.13 writes it and later versions read it): {@code code/__torch__.py} holds the class,
 * {@code data.pkl} the pickled module object (its only attribute is {@code training}, false),
 * {@code constants.pkl} an empty tuple, {@code .data/version} the format version. Entries are
 * stored uncompressed. The code is TorchScript in the form PyTorch prints it; its tensors come in
 * as arguments. Stateless and thread-safe.
 */
public final class TorchScriptArchive {
  private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final String FORMAT_VERSION = "10\n";

  private TorchScriptArchive() {}

  /**
   * The bytes of a TorchScript archive holding one code-only module class.
   *
   * @param className the class name (an identifier starting with a capital), never null
   * @param classBody the class's body after the {@code class} line: attribute declarations and
   *     methods, indented by two spaces, never null; it must declare {@code training : bool}
   * @return the archive, never null
   */
  public static byte[] build(String className, String classBody) {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(classBody, "classBody");
    if (!CLASS_NAME.matcher(className).matches()) {
      throw new IllegalArgumentException("not a class name: " + className);
    }
    String code = "class " + className + "(Module):\n" + classBody;
    String root = "archive/";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      stored(zip, root + "data.pkl", modulePickle(className));
      stored(zip, root + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
      stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, root + ".data/version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build a TorchScript archive in memory", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Loads an archive into libtorch on the manager's device.
   *
   * @param archive the bytes of {@link #build}, never null
   * @param manager the manager whose device the module runs on; it owns the returned block
   * @return the module, never null; close it (or the manager) to free it
   * @throws IllegalStateException if libtorch rejects the archive (for example its code)
   */
  public static PtSymbolBlock load(byte[] archive, NDManager manager) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(manager, "manager");
    try {
      return JniUtils.loadModule(
          (PtNDManager) manager, new ByteArrayInputStream(archive), true, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a TorchScript archive from memory", e);
    } catch (EngineException e) {
      throw new IllegalStateException("libtorch rejected a generated TorchScript module", e);
    }
  }

  /** {@code __torch__.<className>()} with state {@code {"training": False}}, pickle protocol 2. */
  private static byte[] modulePickle(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80); // PROTO 2
    p.write(2);
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    p.write(')'); // EMPTY_TUPLE
    p.write(0x81); // NEWOBJ
    p.write('}'); // EMPTY_DICT
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    p.write('X'); // BINUNICODE, 4-byte little-endian length
    p.write(key.length);
    p.write(0);
    p.write(0);
    p.write(0);
    p.writeBytes(key);
    p.write(0x89); // NEWFALSE
    p.write('s'); // SETITEM
    p.write('b'); // BUILD
    p.write('.'); // STOP
    return p.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(0);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }
}
