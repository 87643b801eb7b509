package dev.ce4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.UUID;

/**
 * Crash-safe file operations, for every file {@code ce} writes where a reader must never see half
 * of it (model folders, a run's manifest and metrics, checkpoints).
 *
 * <p>A file is written to a temporary sibling ({@code .NAME.UUID.tmp}, created with the process's
 * default permissions, so that other users can read what {@code ce} saves, unlike {@link
 * Files#createTempFile}'s owner-only 0600), flushed to disk, renamed over its target and the
 * folder's entry flushed too: a reader sees the old contents or the new ones, never a mix, and a
 * crash never leaves a half-written file under a final name. Stateless and thread-safe (for
 * distinct targets).
 */
public final class AtomicFiles {

  /** Writes the contents of a file. */
  @FunctionalInterface
  public interface Contents {
    /**
     * Writes the whole contents.
     *
     * @param file the temporary file to write, never null; it exists and is empty
     * @throws IOException if writing fails
     */
    void writeTo(Path file) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Replaces a file's contents atomically (temporary sibling, fsync, rename, fsync of the folder).
   *
   * @param file the target, never null; its folder must exist
   * @param bytes the contents, never null
   * @throws IOException if writing fails; the target is then unchanged
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    write(file, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        out.write(bytes);
      }
    });
  }

  /**
   * Replaces a file's contents atomically: {@code contents} writes a temporary sibling, which is
   * flushed to disk and renamed over the target, and then the folder is flushed. Where the file
   * system cannot rename atomically (a rename across file systems) the temporary file replaces the
   * target by an ordinary move.
   *
   * @param file the target, never null; its folder must exist
   * @param contents writes the contents, never null
   * @throws IOException if writing fails; the target is then unchanged and the temporary file
   *     removed
   */
  public static void write(Path file, Contents contents) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(contents, "contents");
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createFile(dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp"));
    try {
      contents.writeTo(tmp);
      fsync(tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames atomically, replacing the target if it is a file (a folder target must not exist). No
   * fallback: what relies on this (a checkpoint folder renamed into place) is only crash-safe when
   * the rename is atomic.
   *
   * @param from the source, never null
   * @param to the target, never null
   * @throws IOException if the file system cannot rename atomically (saying so) or the rename fails
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
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
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
   * Deletes a folder and everything in it; a missing folder, or an entry that vanishes meanwhile, is
   * not an error.
   *
   * @param root the folder, never null
   * @throws IOException if something cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
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
