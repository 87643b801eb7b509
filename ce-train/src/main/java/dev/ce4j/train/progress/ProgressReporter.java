package dev.ce4j.train.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Prints one progress line per call, such as
 *
 * <pre>step 120/1000 (12.0%) | epoch 1.20 | loss 0.693147 | lr 4.50e-05 | 3.42 steps/s | ETA 4m17s</pre>
 *
 * <p>The rate counts the steps taken since this reporter was created (a resumed run measures its
 * own speed); the ETA is the remaining steps at that rate. Not thread-safe.
 */
public final class ProgressReporter {
  private final PrintStream out;
  private final long totalSteps;
  private final long startStep;
  private final LongSupplier nanoClock;
  private final long startNanos;

  /**
   * A reporter on standard error with the system clock.
   *
   * @param totalSteps the steps of the whole run, at least 1
   * @param startStep the step the run starts (or resumes) at
   */
  public ProgressReporter(long totalSteps, long startStep) {
    this(System.err, totalSteps, startStep, System::nanoTime);
  }

  /**
   * A reporter.
   *
   * @param out where lines go, never null
   * @param totalSteps the steps of the whole run, at least 1
   * @param startStep the step the run starts (or resumes) at, at least 0
   * @param nanoClock a monotonic clock in nanoseconds, never null
   */
  public ProgressReporter(PrintStream out, long totalSteps, long startStep, LongSupplier nanoClock) {
    this.out = Objects.requireNonNull(out, "out");
    if (totalSteps < 1 || startStep < 0) {
      throw new IllegalArgumentException("totalSteps >= 1 and startStep >= 0 needed, got " + totalSteps + ", " + startStep);
    }
    this.totalSteps = totalSteps;
    this.startStep = startStep;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.startNanos = nanoClock.getAsLong();
  }

  /**
   * Prints and returns a progress line.
   *
   * @param step steps taken so far
   * @param epoch the fractional epoch, or NaN to leave it out
   * @param loss the recent training loss, or NaN to leave it out
   * @param learningRate the current learning rate, or NaN to leave it out
   * @return the line printed (without the newline), never null
   */
  public String report(long step, double epoch, double loss, double learningRate) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "step %d/%d (%.1f%%)", step, totalSteps, 100.0 * step / totalSteps));
    if (!Double.isNaN(epoch)) {
      b.append(String.format(Locale.ROOT, " | epoch %.2f", epoch));
    }
    if (!Double.isNaN(loss)) {
      b.append(String.format(Locale.ROOT, " | loss %.6f", loss));
    }
    if (!Double.isNaN(learningRate)) {
      b.append(String.format(Locale.ROOT, " | lr %.2e", learningRate));
    }
    double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
    long done = step - startStep;
    if (done > 0 && seconds > 0) {
      double rate = done / seconds;
      b.append(rate >= 1
          ? String.format(Locale.ROOT, " | %.2f steps/s", rate)
          : String.format(Locale.ROOT, " | %.2f s/step", 1 / rate));
      b.append(" | ETA ").append(formatDuration(Math.max(0, totalSteps - step) / rate));
    } else {
      b.append(" | ETA ?");
    }
    String line = b.toString();
    out.println(line);
    out.flush();
    return line;
  }

  /**
   * Prints a free-form line (such as an evaluation summary).
   *
   * @param text the text, never null
   */
  public void message(String text) {
    out.println(text);
    out.flush();
  }

  /**
   * Formats a duration compactly: {@code 42s}, {@code 4m17s}, {@code 2h05m}.
   *
   * @param seconds the duration, at least 0 (NaN and infinity give {@code ?})
   * @return the text, never null
   */
  public static String formatDuration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
