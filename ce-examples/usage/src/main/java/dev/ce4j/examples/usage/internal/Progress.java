package dev.ce4j.examples.usage.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Numbered progress lines with elapsed times on standard error, such as {@code [nli 2, 0:05]
 * importing all-MiniLM-L6-v2 ...} and {@code [nli 2, 0:09] done in 0:04}. Not thread-safe.
 */
public final class Progress {
  private final String name;
  private final PrintStream err;
  private final long started = System.nanoTime();
  private int n;
  private long stepStart;

  /**
   * Starts the clock.
   *
   * @param name the example's short name, never null
   * @param err where the lines go, never null
   */
  public Progress(String name, PrintStream err) {
    this.name = Objects.requireNonNull(name, "name");
    this.err = Objects.requireNonNull(err, "err");
  }

  /**
   * Announces the next step.
   *
   * @param what what the step does, never null
   */
  public void step(String what) {
    n++;
    stepStart = System.nanoTime();
    err.printf(Locale.ROOT, "[%s %d, %s] %s ...%n", name, n, elapsed(started), what);
  }

  /**
   * Reports the current step done.
   *
   * @param detail what it produced, or empty, never null
   */
  public void done(String detail) {
    err.printf(Locale.ROOT, "[%s %d, %s] done in %s%s%n", name, n, elapsed(started), elapsed(stepStart),
        detail.isEmpty() ? "" : ": " + detail);
  }

  /**
   * The time since the clock started, as {@code m:ss}.
   *
   * @return the elapsed time, never null
   */
  public String total() {
    return elapsed(started);
  }

  private static String elapsed(long since) {
    long s = (System.nanoTime() - since) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
