package dev.ce4j.core.io.lines;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.internal.RegularFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a UTF-8 text file line by line, streaming: one line is in memory at a time. The line
 * reader of every {@code ce} input file, so that line numbers in messages agree with editors.
 *
 * <p>A line ends at {@code \n}, at {@code \r\n} and at a {@code \r} alone (old Mac files), the
 * three counted alike; the terminator is not part of the line, and a last line without one counts.
 * A UTF-8 byte order mark at the start is dropped. Lines that hold only white space ({@link
 * String#isBlank()}) are skipped, but counted. Each line is decoded on its own, so bytes that are
 * not UTF-8 are reported on the line that holds them, never replaced silently; a UTF-16 byte order
 * mark or a NUL byte (UTF-16 text, a binary file) is reported as such. A line longer than the
 * maximum is refused, naming it. The file must be a regular file: a directory, a named pipe (which
 * would block the reader until something writes to it) or a dangling link is refused by name.
 *
 * <p>Every problem is an {@link InvalidInputException} whose message starts with the file as given
 * and, for a problem with a line, {@link #location the line}. Stateless and thread-safe.
 */
public final class TextLines {
  /** The longest line accepted by {@link #read(Path, Handler)}, in bytes: 64 MiB. */
  public static final int MAX_LINE_BYTES = 64 << 20;

  private static final int CHUNK = 1 << 16;

  /** Receives the lines of a file. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Receives one line that is not blank.
     *
     * @param number the 1-based line number
     * @param line the text without its terminator, never null or blank
     * @throws InvalidInputException if the line is bad; the message should start with {@link
     *     TextLines#location(String, long)}
     */
    void line(long number, String line);
  }

  private TextLines() {}

  /**
   * Reads every line of a file in order, refusing lines longer than {@link #MAX_LINE_BYTES}.
   *
   * @param file the file, never null; named in messages as given
   * @param handler receives each line that is not blank, never null
   * @return the number of lines handed to {@code handler}
   * @throws InvalidInputException if the file is missing, not a regular file, unreadable or not
   *     UTF-8, holds a line longer than {@link #MAX_LINE_BYTES}, or if the handler throws it
   */
  public static long read(Path file, Handler handler) {
    return read(file, MAX_LINE_BYTES, handler);
  }

  /**
   * Reads every line of a file in order.
   *
   * @param file the file, never null; named in messages as given
   * @param maxLineBytes the longest line accepted, in bytes (its terminator not counted), at least 1
   * @param handler receives each line that is not blank, never null
   * @return the number of lines handed to {@code handler}
   * @throws InvalidInputException if the file is missing, not a regular file, unreadable or not
   *     UTF-8, holds a line longer than {@code maxLineBytes}, or if the handler throws it
   */
  public static long read(Path file, int maxLineBytes, Handler handler) {
    return read(file, false, maxLineBytes, handler);
  }

  /**
   * Reads every line of a file, or of a named pipe or device read once as a stream (process
   * substitution such as {@code <(...)}, {@code /dev/stdin}): for command-line inputs that are read
   * once. Training data, which is hashed and read again, stays regular files only.
   *
   * @param file the file or pipe, never null; named in messages as given
   * @param handler receives each line that is not blank, never null
   * @return the number of lines handed to {@code handler}
   * @throws InvalidInputException as {@link #read(Path, Handler)}, a pipe or device accepted
   */
  public static long readStream(Path file, Handler handler) {
    return read(file, true, MAX_LINE_BYTES, handler);
  }

  private static long read(Path file, boolean pipes, int maxLineBytes, Handler handler) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(handler, "handler");
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
    }
    RegularFiles.requireReadable(file, pipes);
    try (InputStream in = Files.newInputStream(file)) {
      return new Splitter(file.toString(), maxLineBytes, handler).read(in);
    } catch (IOException e) {
      throw RegularFiles.cannotRead(file, e);
    }
  }

  /**
   * The location prefix of messages about a line: {@code FILE, line N}.
   *
   * @param file the file as the user gave it, never null
   * @param line the 1-based line number
   * @return the prefix, never null
   */
  public static String location(String file, long line) {
    return Objects.requireNonNull(file, "file") + ", line " + line;
  }

  /** Splits a stream into lines and decodes each; one per read. */
  private static final class Splitter {
    private final String name;
    private final int max;
    private final Handler handler;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] line = new byte[1 << 10];
    private int length;
    private long number;
    private long handed;

    Splitter(String name, int max, Handler handler) {
      this.name = name;
      this.max = max;
      this.handler = handler;
    }

    long read(InputStream in) throws IOException {
      byte[] chunk = new byte[CHUNK];
      boolean afterCr = false;
      int n;
      while ((n = in.read(chunk)) >= 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          if (b == '\n' && afterCr) { // the second half of \r\n, possibly in the next chunk
            afterCr = false;
            start = i + 1;
            continue;
          }
          afterCr = false;
          if (b == '\n' || b == '\r') {
            append(chunk, start, i - start);
            end();
            start = i + 1;
            afterCr = b == '\r';
          }
        }
        append(chunk, start, n - start);
      }
      if (length > 0) {
        end();
      }
      return handed;
    }

    private void append(byte[] chunk, int from, int count) {
      if (count == 0) {
        return;
      }
      if ((long) length + count > max) {
        throw new InvalidInputException(location(name, number + 1) + ": the line is longer than "
            + describeBytes(max) + "; is this a text file with one entry per line?");
      }
      if (length + count > line.length) {
        line = Arrays.copyOf(line, (int) Math.min(max, Math.max(2L * line.length, (long) length + count)));
      }
      System.arraycopy(chunk, from, line, length, count);
      length += count;
    }

    /** Hands on the line collected so far (unless blank) and starts the next one. */
    private void end() {
      number++;
      String text = decode();
      length = 0;
      if (!text.isBlank()) {
        handed++;
        handler.line(number, text);
      }
    }

    private String decode() {
      int from = 0;
      if (number == 1 && length >= 2 && (u(0) == 0xFE && u(1) == 0xFF || u(0) == 0xFF && u(1) == 0xFE)) {
        throw new InvalidInputException(location(name, number)
            + ": not UTF-8 text (it starts with a UTF-16 byte order mark); save the file as UTF-8");
      }
      if (number == 1 && length >= 3 && u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) {
        from = 3;
      }
      for (int i = from; i < length; i++) {
        if (line[i] == 0) {
          throw new InvalidInputException(location(name, number)
              + ": holds a NUL byte (UTF-16 text or a binary file?); save the file as UTF-8 text");
        }
      }
      try {
        return utf8.reset().decode(ByteBuffer.wrap(line, from, length - from)).toString();
      } catch (CharacterCodingException e) {
        throw new InvalidInputException(location(name, number) + ": not valid UTF-8 text; save the file as UTF-8", e);
      }
    }

    private int u(int i) {
      return line[i] & 0xff;
    }
  }

  /** A byte count for messages: {@code 64 MiB}, or {@code 10 bytes} for a limit under 1 MiB. */
  private static String describeBytes(int bytes) {
    return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
