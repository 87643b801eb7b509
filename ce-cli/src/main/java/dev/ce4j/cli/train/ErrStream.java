package dev.ce4j.cli.train;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A {@link PrintStream} that forwards whole lines to a command's error writer. Not thread-safe. */
final class ErrStream {
  private ErrStream() {}

  /**
   * A stream whose lines go to {@code err}.
   *
   * @param err the writer, never null
   * @return the stream, never null
   */
  static PrintStream of(PrintWriter err) {
    OutputStream lines =
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public void write(int b) {
            if (b == '\n') {
              err.println(line.toString(StandardCharsets.UTF_8));
              err.flush();
              line.reset();
            } else {
              line.write(b);
            }
          }
        };
    return new PrintStream(lines, true, StandardCharsets.UTF_8);
  }
}
