package dev.ce4j.train.data;

import java.util.Objects;

/**
 * Where a record came from, for error messages: a file (or other source name) and a 1-based line.
 *
 * @param source the file path or a source name, never null
 * @param line the 1-based line number, or 0 when not read from a file
 */
public record Origin(String source, long line) {
  /** Validates. */
  public Origin {
    Objects.requireNonNull(source, "source");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, got " + line);
    }
  }

  /**
   * An origin for records built in memory.
   *
   * @param source a description, never null
   * @return the origin, never null
   */
  public static Origin inMemory(String source) {
    return new Origin(source, 0);
  }

  /** Returns {@code source:line}, or the source alone for in-memory records. */
  @Override
  public String toString() {
    return line == 0 ? source : source + ":" + line;
  }
}
