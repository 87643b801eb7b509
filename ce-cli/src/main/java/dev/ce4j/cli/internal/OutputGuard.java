package dev.ce4j.cli.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/**
 * A writer that passes everything on to another writer and remembers the first
 * {@link IOException} that writer throws.
 *
 * <p>{@code ce} writes its results through a {@link java.io.PrintWriter}, which swallows
 * {@code IOException}s; with this guard below it, a full disk or a closed pipe on standard output
 * is still known, with its reason, when the command ends (see {@link #failure()}). After the
 * first failure every write and flush fails at once with the same exception and nothing more
 * reaches the target, so the output never goes on after a hole, and a command that writes many
 * lines wastes no time on them. Not thread-safe on its own: the {@code PrintWriter} above it
 * synchronises.
 */
public final class OutputGuard extends Writer {
  private final Writer target;
  private IOException failure;

  /**
   * Guards a writer.
   *
   * @param target the writer to pass everything on to, never null
   */
  public OutputGuard(Writer target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * The first exception the target threw.
   *
   * @return the exception, or null while every write and flush has succeeded
   */
  public IOException failure() {
    return failure;
  }

  @Override
  public void write(char[] buffer, int offset, int length) throws IOException {
    check();
    try {
      target.write(buffer, offset, length);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    check();
    try {
      target.write(text, offset, length);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(int c) throws IOException {
    check();
    try {
      target.write(c);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void flush() throws IOException {
    check();
    try {
      target.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** Flushes the target; does not close it (standard output stays open for the JVM). */
  @Override
  public void close() throws IOException {
    flush();
  }

  private void check() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }

  private IOException failed(IOException e) {
    failure = e;
    return e;
  }
}
