package dev.ce4j.core.io.internal;

import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Reads the files a user names (model files, tokenizers, configurations) only after checking that
 * each is a regular file: opening a named pipe (FIFO) blocks until some other process writes to it,
 * so a FIFO, a socket, a device, a directory or a dangling symbolic link is refused first, with a
 * message that names the path as given and says what it is. Read errors become {@link
 * InvalidInputException}s naming the file. Stateless and thread-safe.
 *
 * <p>The check and the open are two steps: a file replaced by a FIFO between them can still block.
 * That needs a second process racing the reader, not a broken folder.
 */
public final class RegularFiles {
  /** The largest file read whole into memory (a Java array's limit). */
  public static final long MAX_WHOLE_FILE_BYTES = Integer.MAX_VALUE - 8;

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  private RegularFiles() {}

  /**
   * Checks that a file exists and is a regular file (following symbolic links).
   *
   * @param file the file, never null
   * @return its size in bytes
   * @throws InvalidInputException naming {@code file} when it is missing, a dangling symbolic link,
   *     a directory, a FIFO, a socket or a device, or its attributes cannot be read
   */
  public static long requireRegularFile(Path file) {
    return requireReadable(file, false);
  }

  /**
   * {@link #requireRegularFile(Path)}, or with {@code pipes} also a named pipe or a device that a
   * reader streams once (process substitution, {@code /dev/stdin}).
   *
   * @param file the file, never null
   * @param pipes whether a FIFO or device is accepted
   * @return its size in bytes (0 for a pipe or device)
   * @throws InvalidInputException as {@link #requireRegularFile(Path)}
   */
  public static long requireReadable(Path file, boolean pipes) {
    Objects.requireNonNull(file, "file");
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(file)) {
        throw new InvalidInputException(
            file + ": broken symbolic link to '" + linkTarget(file) + "', which does not exist", e);
      }
      throw new InvalidInputException(file + ": file not found", e);
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    if (attributes.isDirectory()) {
      throw new InvalidInputException(file + ": is a directory, not a file");
    }
    if (pipes && attributes.isOther()) {
      return 0;
    }
    if (!attributes.isRegularFile()) {
      throw new InvalidInputException(
          file + ": not a regular file (" + kind(file) + "); give the path of an ordinary file");
    }
    return attributes.size();
  }

  /**
   * Whether an optional file is there: false when nothing (not even a dangling link) has its name,
   * true when it is a regular file.
   *
   * @param file the file, never null
   * @return whether the file is present
   * @throws InvalidInputException naming {@code file} when something that is not a regular file has
   *     its name (see {@link #requireRegularFile(Path)})
   */
  public static boolean isPresent(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    requireRegularFile(file);
    return true;
  }

  /**
   * Reads a whole regular file that must not be empty.
   *
   * @param file the file, never null
   * @param maxBytes the largest size accepted, at most {@link #MAX_WHOLE_FILE_BYTES}
   * @return the contents, never null, never empty
   * @throws InvalidInputException naming {@code file} when it is not a readable regular file, is
   *     empty or larger than {@code maxBytes}
   */
  public static byte[] readAllBytes(Path file, long maxBytes) {
    long size = requireRegularFile(file);
    checkSize(file, size, maxBytes);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    checkSize(file, bytes.length, maxBytes);
    return bytes;
  }

  /**
   * Reads a whole regular file that must not be empty as UTF-8 text.
   *
   * @param file the file, never null
   * @param maxBytes the largest size accepted, at most {@link #MAX_WHOLE_FILE_BYTES}
   * @return the text, never null, never empty
   * @throws InvalidInputException naming {@code file} when it is not a readable regular file, is
   *     empty, larger than {@code maxBytes} or not UTF-8
   */
  public static String readString(Path file, long maxBytes) {
    byte[] bytes = readAllBytes(file, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(
          file + ": not UTF-8 text (a binary file in place of a JSON file?)", e);
    }
  }

  /**
   * The exception for a failed read of a file, naming it and the reason without repeating the path.
   *
   * @param file the file, never null
   * @param e the failure, never null
   * @return the exception to throw, never null
   */
  public static InvalidInputException cannotRead(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new InvalidInputException(file + ": file not found", e);
    }
    if (e instanceof AccessDeniedException) {
      return new InvalidInputException(
          file + ": permission denied; make the file readable by this user", e);
    }
    String reason =
        e instanceof FileSystemException fs && fs.getReason() != null
            ? fs.getReason()
            : e.getMessage();
    return new InvalidInputException(file + ": cannot read: " + reason, e);
  }

  private static void checkSize(Path file, long size, long maxBytes) {
    if (size == 0) {
      throw new InvalidInputException(
          file + ": file is empty (0 bytes); copy or download it again");
    }
    long limit = Math.min(maxBytes, MAX_WHOLE_FILE_BYTES);
    if (size > limit) {
      throw new InvalidInputException(
          file + ": file is too large (" + size + " bytes; at most " + limit + " are read)");
    }
  }

  private static String linkTarget(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "?";
    }
  }

  /** What a non-regular, non-directory file is, as far as the file system says. */
  private static String kind(Path file) {
    try {
      int mode = ((Number) Files.getAttribute(file, "unix:mode")).intValue() & S_IFMT;
      return switch (mode) {
        case S_IFIFO -> "a named pipe (FIFO)";
        case S_IFSOCK -> "a socket";
        case S_IFCHR -> "a character device";
        case S_IFBLK -> "a block device";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }
}
