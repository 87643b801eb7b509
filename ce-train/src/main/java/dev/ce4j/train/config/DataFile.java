package dev.ce4j.train.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file and its record layout.
 *
 * @param path the JSON Lines file, never null
 * @param format its layout, never null
 */
public record DataFile(Path path, DataFormat format) {
  /** Validates. */
  public DataFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
  }

  /**
   * A file of pairs.
   *
   * @param path the file, never null
   * @return the data file, never null
   */
  public static DataFile pairs(Path path) {
    return new DataFile(path, DataFormat.PAIRS);
  }

  /**
   * A listwise file.
   *
   * @param path the file, never null
   * @return the data file, never null
   */
  public static DataFile listwise(Path path) {
    return new DataFile(path, DataFormat.LISTWISE);
  }
}
