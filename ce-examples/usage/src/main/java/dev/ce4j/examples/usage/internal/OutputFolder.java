package dev.ce4j.examples.usage.internal;

import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An example's output folder. A folder that an earlier run of an example wrote (it holds the
 * marker file {@value #MARKER}) is emptied and reused, so an example can be run again; any other
 * non-empty folder is refused, so an example never deletes files it did not write.
 *
 * <p>Stateless; not safe for two examples writing one folder at once.
 */
public final class OutputFolder {
  /** The file that marks a folder as an example's output (safe to replace). */
  public static final String MARKER = ".ce-example";

  private OutputFolder() {}

  /**
   * Makes the folder ready: created if missing, emptied if an example wrote it.
   *
   * @param folder the folder, never null
   * @return the folder, never null
   * @throws InvalidInputException if the folder is a file, or not empty and not an example's
   * @throws UncheckedIOException if it cannot be created or emptied
   */
  public static Path prepare(Path folder) {
    try {
      if (Files.exists(folder) && !Files.isDirectory(folder)) {
        throw new InvalidInputException("output " + folder + " is a file; give a folder");
      }
      if (Files.isDirectory(folder)) {
        boolean empty;
        try (Stream<Path> s = Files.list(folder)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty) {
          if (!Files.isRegularFile(folder.resolve(MARKER))) {
            throw new InvalidInputException("output " + folder
                + " is not empty and was not written by an example; give an empty or new folder");
          }
          deleteContents(folder);
        }
      }
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(MARKER), "written by a ce example; the next run replaces this folder\n");
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the output folder " + folder, e);
    }
  }

  /**
   * A new, empty temporary folder.
   *
   * @param example the example's name, a prefix of the folder's name, never null
   * @return the absolute folder, never null
   * @throws UncheckedIOException if it cannot be created
   */
  public static Path newTemporary(String example) {
    try {
      return Files.createTempDirectory("ce-example-" + example + "-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder", e);
    }
  }

  private static void deleteContents(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(folder)) {
          Files.delete(p);
        }
      }
    }
  }
}
