package dev.ce4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;

/**
 * Runs {@code ce} in this JVM with captured output, the way the tests drive the command line.
 *
 * @param status the exit status
 * @param out everything written to standard output
 * @param err everything written to standard error
 */
public record CliRun(int status, String out, String err) {

  /**
   * Runs {@code ce} with an empty environment.
   *
   * @param args the arguments
   * @return the outcome
   */
  public static CliRun ce(String... args) {
    return ce(Map.of(), args);
  }

  /**
   * Runs {@code ce} with the given environment variables.
   *
   * @param env the environment
   * @param args the arguments
   * @return the outcome
   */
  public static CliRun ce(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CeCommand.run(args, new PrintWriter(out), new PrintWriter(err), env::get);
    return new CliRun(status, out.toString(), err.toString());
  }

  /**
   * Runs {@code ce} with standard output on a disk that fills up after {@code capacity}
   * characters: every write beyond them throws {@code IOException("No space left on device")}, as
   * a {@code FileOutputStream} on a full disk does.
   *
   * @param capacity how many characters fit, 0 for none
   * @param args the arguments
   * @return the outcome; {@code out} holds what fitted
   */
  public static CliRun ceWithFullDisk(int capacity, String... args) {
    FullDisk out = new FullDisk(capacity);
    StringWriter err = new StringWriter();
    int status = CeCommand.run(args, out, new PrintWriter(err), Map.<String, String>of()::get);
    return new CliRun(status, out.written.toString(), err.toString());
  }

  /** A writer that holds {@code capacity} characters and then fails like a full disk. */
  public static final class FullDisk extends Writer {
    /** The reason a full disk gives on Linux. */
    public static final String REASON = "No space left on device";

    private final int capacity;
    private final StringBuilder written = new StringBuilder();
    private int failedWrites;

    /**
     * A disk with room for {@code capacity} characters.
     *
     * @param capacity the room, 0 for none
     */
    public FullDisk(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
      int room = capacity - written.length();
      written.append(buffer, offset, Math.min(room, length));
      if (length > room) {
        failedWrites++;
        throw new IOException(REASON);
      }
    }

    @Override
    public void flush() {
      // nothing buffered
    }

    @Override
    public void close() {
      // nothing to release
    }

    /**
     * How many writes failed.
     *
     * @return the count
     */
    public int failedWrites() {
      return failedWrites;
    }
  }

  /**
   * Whether standard error holds a Java stack trace or an exception class name.
   *
   * @return true if it does
   */
  public boolean errHasStackTrace() {
    return err.contains("\tat ") || err.contains("at dev.") || err.contains("at java.")
        || err.contains("Exception") || err.contains("Caused by");
  }
}
