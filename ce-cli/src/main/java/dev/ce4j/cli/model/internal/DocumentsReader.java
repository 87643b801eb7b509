package dev.ce4j.cli.model.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.lines.TextLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the documents of {@code ce rank}: a UTF-8 text file with one document per line.
 *
 * <p>The file is read by {@link TextLines} ({@code \n}, {@code \r\n} or {@code \r} line ends,
 * strict UTF-8); lines that hold only white space are skipped, every other line is one document,
 * taken as it is. Stateless and thread-safe.
 */
public final class DocumentsReader {

  /**
   * The documents of a file and where each one is.
   *
   * @param texts the documents in file order, never null, never empty
   * @param lines the 1-based line number of each document, as many as {@code texts}
   */
  public record Documents(List<String> texts, long[] lines) {
    /** Validates and copies. */
    public Documents {
      texts = List.copyOf(texts);
      lines = lines.clone();
      if (texts.size() != lines.length) {
        throw new IllegalArgumentException(texts.size() + " documents but " + lines.length + " line numbers");
      }
    }

    /**
     * The line number of a document.
     *
     * @param index the document's index, from 0
     * @return its 1-based line number in the file
     */
    public long line(int index) {
      return lines[index];
    }

    /**
     * The 1-based line number of every document.
     *
     * @return a copy, never null
     */
    @Override
    public long[] lines() {
      return lines.clone();
    }
  }

  private DocumentsReader() {}

  /**
   * Reads the documents of a file.
   *
   * @param file the file, never null; named in messages as given
   * @return the documents, never null
   * @throws InvalidInputException if the file is missing, unreadable, not UTF-8 or holds no
   *     document
   */
  public static Documents read(Path file) {
    Objects.requireNonNull(file, "file");
    List<String> texts = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    TextLines.readStream(file, (lineNumber, line) -> {
      texts.add(line);
      lines.add(lineNumber);
    });
    if (texts.isEmpty()) {
      throw new InvalidInputException("file '" + file + "' holds no documents; write one document per line");
    }
    return new Documents(texts, lines.stream().mapToLong(Long::longValue).toArray());
  }
}
