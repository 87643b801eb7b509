package dev.ce4j.train.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 of files, as 64 lowercase hex digits: the digest of data files in run manifests and of
 * every file of a checkpoint. Stateless and thread-safe.
 */
public final class Sha256 {
  private Sha256() {}

  /**
   * The SHA-256 of a regular file's bytes.
   *
   * @param file the file, never null
   * @return 64 lowercase hex digits, never null
   * @throws IOException if the file is missing, not a regular file (a folder, a named pipe, a
   *     device: hashing one would not end, or not mean anything) or cannot be read
   */
  public static String of(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      if (!Files.exists(file)) {
        throw new java.nio.file.NoSuchFileException(file.toString());
      }
      throw new IOException(file + " is not a regular file");
    }
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * A new SHA-256 digest.
   *
   * @return the digest, never null
   */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
