package dev.ce4j.cli.model.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.internal.ByteLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a UTF-8 text file line by line, streaming, with errors that name the file and the line.
 *
 * <p>Lines end at {@code \n}, {@code \r\n} or a {@code \r} alone (see {@link ByteLines}); the
 * terminator is not part of the line, and a final line without terminator counts. A UTF-8 byte
 * order mark at the start is dropped. Each line is decoded on its own, so bytes that are not UTF-8
 * are reported on the line that holds them, never replaced silently; a UTF-16 byte order mark or a
 * NUL byte (UTF-16 text, a binary file) is reported as such. Lines longer than {@link
 * ByteLines#MAX_LINE_BYTES} are refused. One line is in memory at a time. Stateless and
 * thread-safe.
 */
public final class TextLines {

  /** Receives the lines of a file. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Receives one line.
     *
     * @param lineNumber the 1-based line number
     * @param line the text without its terminator, never null (empty for an empty line)
     * @throws InvalidInputException if the line is bad; the message should start with {@link
     *     TextLines#location(Path, long)}
     */
    void line(long lineNumber, String line);
  }

  private TextLines() {}

  /**
   * Reads every line of a file in order.
   *
   * @param file the file, never null; named in messages as given
   * @param handler receives each line, never null
   * @return the number of lines read
   * @throws InvalidInputException if the file is missing, a directory, unreadable or not UTF-8,
   *     holds a line longer than {@link ByteLines#MAX_LINE_BYTES}, or if the handler throws it
   */
  public static long read(Path file, Handler handler) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(handler, "handler");
    if (Files.isDirectory(file)) {
      throw new InvalidInputException("'" + file + "' is a directory, not a text file");
    }
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = Files.newInputStream(file)) {
      return ByteLines.read(in, ByteLines.MAX_LINE_BYTES,
          number -> new InvalidInputException(location(file, number) + ": the line is longer than "
              + (ByteLines.MAX_LINE_BYTES >> 20) + " MiB; is this a text file with one entry per line?"),
          (number, bytes, length) -> handler.line(number, decode(bytes, length, utf8, file, number)));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("file '" + file + "' does not exist", e);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("file '" + file + "' cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new InvalidInputException("file '" + file + "' cannot be read: " + e.getMessage(), e);
    }
  }

  private static String decode(byte[] b, int to, CharsetDecoder utf8, Path file, long lineNumber) {
    int from = 0;
    if (lineNumber == 1 && to >= 2 && ((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF
        || (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE)) {
      throw new InvalidInputException(location(file, lineNumber)
          + ": not UTF-8 text (it starts with a UTF-16 byte order mark); save the file as UTF-8");
    }
    if (lineNumber == 1 && to >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      from = 3;
    }
    for (int i = from; i < to; i++) {
      if (b[i] == 0) {
        throw new InvalidInputException(location(file, lineNumber)
            + ": holds a NUL byte (UTF-16 text or a binary file?); save the file as UTF-8 text");
      }
    }
    try {
      return utf8.reset().decode(ByteBuffer.wrap(b, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(location(file, lineNumber)
          + ": not valid UTF-8 text; save the file as UTF-8", e);
    }
  }

  /**
   * The location prefix of messages: {@code FILE, line N}, as the other {@code ce} commands write
   * it.
   *
   * @param file the file, never null
   * @param lineNumber the 1-based line number
   * @return the prefix, never null
   */
  public static String location(Path file, long lineNumber) {
    return file + ", line " + lineNumber;
  }
}
