package dev.ce4j.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Splits a byte stream into lines, streaming: one line is in memory at a time.
 *
 * <p>A line ends at {@code \n}, at {@code \r\n} and at a {@code \r} alone (old Mac files), the
 * three counted alike; the terminator is not part of the line, and a last line without one
 * counts. Bytes are not decoded. The line reader of every {@code ce} input file, so that line
 * numbers in messages agree with editors. Stateless and thread-safe.
 */
public final class ByteLines {
  /** The longest line the command-line readers accept, in bytes: 64 MiB. */
  public static final int MAX_LINE_BYTES = 64 << 20;

  /** Receives the lines of a stream. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Receives one line.
     *
     * @param number the 1-based line number
     * @param bytes a buffer holding the line in {@code [0, length)}, never null; reused for the
     *     next line, so copy what must be kept
     * @param length the length of the line in bytes
     */
    void line(long number, byte[] bytes, int length);
  }

  private ByteLines() {}

  /**
   * Reads every line of a stream in order; does not close it.
   *
   * @param in the stream, never null
   * @param maxLineBytes the longest line accepted, in bytes
   * @param tooLong makes the exception to throw for a longer line, given its number; never null
   * @param handler receives each line, never null
   * @return the number of lines read
   * @throws IOException if reading fails
   */
  public static long read(InputStream in, int maxLineBytes, LongFunction<? extends RuntimeException> tooLong,
      Handler handler) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(tooLong, "tooLong");
    Objects.requireNonNull(handler, "handler");
    byte[] chunk = new byte[1 << 16];
    byte[] line = new byte[1 << 10];
    int length = 0;
    long number = 0;
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
          line = append(line, length, chunk, start, i - start, maxLineBytes, tooLong, number + 1);
          length += i - start;
          handler.line(++number, line, length);
          length = 0;
          start = i + 1;
          afterCr = b == '\r';
        }
      }
      line = append(line, length, chunk, start, n - start, maxLineBytes, tooLong, number + 1);
      length += n - start;
    }
    if (length > 0) {
      handler.line(++number, line, length);
    }
    return number;
  }

  private static byte[] append(byte[] line, int length, byte[] chunk, int from, int count, int max,
      LongFunction<? extends RuntimeException> tooLong, long number) {
    if (count == 0) {
      return line;
    }
    if ((long) length + count > max) {
      throw tooLong.apply(number);
    }
    byte[] target = line;
    if (length + count > line.length) {
      target = Arrays.copyOf(line, (int) Math.min(max, Math.max(2L * line.length, (long) length + count)));
    }
    System.arraycopy(chunk, from, target, length, count);
    return target;
  }
}
