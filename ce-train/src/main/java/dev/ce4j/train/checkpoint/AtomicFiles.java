package dev.ce4j.train.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.UUID;

/**
 * Crash-safe file operations: a file is written to a temporary sibling, flushed to disk and renamed
 * over its target, so a reader sees the old contents or the new ones, never a mix. Stateless and
 * thread-safe (for distinct targets).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces a file's contents atomically (temporary sibling, fsync, atomic rename, fsync of the
   * folder).
   *
   * @param file the target, never null; its folder must exist
   * @param bytes the contents, never null
   * @throws IOException if writing fails; the target is then unchanged
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    Path dir = file.toAbsolutePath().getParent();
    // the default permissions (umask), not createTempFile's 0600: a run's manifest and metrics
    // are read by other users (a colleague's ce reproduce)
    Path tmp = Files.createFile(dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp"));
    try {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        out.write(bytes);
      }
      fsync(tmp);
      move(tmp, file);
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames atomically, replacing the target if it is a file (a folder target must not exist).
   *
   * @param from the source, never null
   * @param to the target, never null
   * @throws IOException if the file system cannot rename atomically or the rename fails
   */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + from + " to " + to + " atomically; use an output folder on a local file system", e);
    }
  }

  /**
   * Flushes a file's contents to disk.
   *
   * @param file the file, never null
   * @throws IOException if it fails
   */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Flushes a folder's entries to disk where the platform allows it (Linux and macOS do; elsewhere
   * this does nothing).
   *
   * @param dir the folder, never null
   */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported on this platform (for example Windows): renames are still atomic
    }
  }

  /**
   * Flushes every file under a folder, and the folders themselves, to disk.
   *
   * @param root the folder, never null
   * @throws IOException if a file cannot be flushed
   */
  public static void fsyncTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (attrs.isRegularFile()) {
              fsync(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            fsyncDirectory(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Deletes a folder and everything in it; a missing folder is not an error.
   *
   * @param root the folder, never null
   * @throws IOException if something cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null && !(exc instanceof NoSuchFileException)) {
              throw exc;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
