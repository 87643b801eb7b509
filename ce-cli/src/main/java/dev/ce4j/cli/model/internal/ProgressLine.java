package dev.ce4j.cli.model.internal;

import dev.ce4j.core.predict.PredictionListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The progress of a long scoring run on standard error: {@code ce predict: scored 12,800 of 40,000
 * pairs (32%), 41 pairs/s, about 11 min left}, at most one line every {@link #INTERVAL_NANOS} (the
 * first after that interval, so a run shorter than it prints nothing), and a last line when the
 * run ends if any line was printed. Standard output is untouched. One run per instance; not
 * thread-safe.
 */
public final class ProgressLine implements PredictionListener {
  /** The shortest time between two lines: 10 seconds. */
  public static final long INTERVAL_NANOS = 10_000_000_000L;

  private final PrintWriter err;
  private final String command;
  private final LongSupplier clock;
  private final long start;
  private long last;
  private boolean printed;

  /**
   * A progress line for a command, timed by {@link System#nanoTime()}.
   *
   * @param err where to print, never null
   * @param command the command's name, such as {@code ce predict}, never null
   */
  public ProgressLine(PrintWriter err, String command) {
    this(err, command, System::nanoTime);
  }

  /**
   * A progress line timed by a given clock (for tests).
   *
   * @param err where to print, never null
   * @param command the command's name, never null
   * @param clock nanoseconds, never null
   */
  public ProgressLine(PrintWriter err, String command, LongSupplier clock) {
    this.err = Objects.requireNonNull(err, "err");
    this.command = Objects.requireNonNull(command, "command");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.start = clock.getAsLong();
    this.last = start;
  }

  @Override
  public void onProgress(int scored, int total) {
    long now = clock.getAsLong();
    boolean done = scored >= total;
    if (now - last < INTERVAL_NANOS && !(done && printed)) {
      return;
    }
    last = now;
    printed = true;
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    double rate = scored / seconds;
    String eta = done ? "done" : "about " + duration((total - scored) / Math.max(rate, 1e-9)) + " left";
    err.printf(Locale.ROOT, "%s: scored %,d of %,d pairs (%d%%), %.0f pairs/s, %s%n", command, scored, total,
        (int) (100L * scored / total), rate, eta);
    err.flush();
  }

  private static String duration(double seconds) {
    if (seconds < 90) {
      return Math.round(seconds) + " s";
    }
    if (seconds < 90 * 60) {
      return Math.round(seconds / 60) + " min";
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }
}
