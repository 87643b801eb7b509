package dev.ce4j.cli.model.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.ModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code --output DIR} of the commands that write a model folder: the check, before any work,
 * that DIR is new or empty (or that {@code --force} was given), and the tidy-up after writing.
 *
 * <p>Stateless and thread-safe.
 */
public final class OutputFolder {
  private OutputFolder() {}

  /**
   * Checks that a model folder may be written to {@code dir}.
   *
   * @param dir the output folder, never null
   * @param force whether a non-empty folder may be written into
   * @throws InvalidInputException if {@code dir} is a file, or a non-empty folder without {@code
   *     force}, or cannot be listed
   */
  public static void check(Path dir, boolean force) {
    Objects.requireNonNull(dir, "dir");
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("output '" + dir + "' is a file; give a new or empty folder");
    }
    if (force || !Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      if (entries.iterator().hasNext()) {
        throw new InvalidInputException("output folder '" + dir + "' is not empty; give a new or"
            + " empty folder, or add --force to replace the model files in it");
      }
    } catch (IOException e) {
      throw new InvalidInputException("output folder '" + dir + "' cannot be listed: " + e.getMessage(), e);
    }
  }

  /**
   * After a model was written into {@code dir} with tokenizer files that have no {@code
   * special_tokens_map.json}, removes one left there by an earlier model (only possible with
   * {@code --force}), so that Python does not tokenize with the old special tokens.
   *
   * @param dir the folder just written, never null
   * @throws UncheckedIOException if the stale file cannot be removed
   */
  public static void removeStaleSpecialTokensMap(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(ModelFolder.SPECIAL_TOKENS_MAP));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove stale " + dir.resolve(ModelFolder.SPECIAL_TOKENS_MAP), e);
    }
  }

  /**
   * Turns an input/output failure while writing a model folder into a message for the user.
   *
   * @param what what failed, such as {@code cannot write the model folder 'out'}, never null
   * @param e the failure, never null
   * @return the exception to throw, never null
   */
  public static InvalidInputException failed(String what, UncheckedIOException e) {
    return new InvalidInputException(what + ": " + reason(e.getCause()), e);
  }

  private static String reason(IOException e) {
    if (e == null) {
      return "input/output error";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or folder";
    }
    if (e instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() == null ? "file system error" : f.getReason());
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }
}
