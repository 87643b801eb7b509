package dev.ce4j.train.internal;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A test hook that makes crash points deterministic: the environment variable {@value #VARIABLE}
 * set to {@code step:N} makes the trainer print {@code ce-train: paused after step N} on standard
 * error and block forever once step {@code N} (and its evaluation and checkpoint) are done; {@code
 * checkpoint:N} makes it print {@code ce-train: paused writing checkpoint N} and block after the
 * checkpoint's files are written into its temporary folder but before the checkpoint is committed.
 * A test then kills the process (SIGKILL) and resumes. Unset (the normal case), nothing happens.
 * Immutable and thread-safe.
 */
public final class DebugHooks {
  /** The environment variable read. */
  public static final String VARIABLE = "CE_TRAIN_PAUSE_AT";

  private final long pauseAfterStep;
  private final long pauseInCheckpoint;

  private DebugHooks(long pauseAfterStep, long pauseInCheckpoint) {
    this.pauseAfterStep = pauseAfterStep;
    this.pauseInCheckpoint = pauseInCheckpoint;
  }

  /**
   * Reads the hook from the environment.
   *
   * @param env the environment variables, never null
   * @return the hooks, never null; inactive when the variable is unset or malformed
   */
  public static DebugHooks from(UnaryOperator<String> env) {
    String v = env.apply(VARIABLE);
    if (v == null) {
      return new DebugHooks(-1, -1);
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("step:")) {
        return new DebugHooks(Long.parseLong(s.substring(5)), -1);
      }
      if (s.startsWith("checkpoint:")) {
        return new DebugHooks(-1, Long.parseLong(s.substring(11)));
      }
    } catch (NumberFormatException e) {
      // malformed: inactive
    }
    return new DebugHooks(-1, -1);
  }

  /**
   * Called after a step is done; pauses forever if the hook names it.
   *
   * @param step the step just finished
   */
  public void afterStep(long step) {
    if (step == pauseAfterStep) {
      pause("ce-train: paused after step " + step);
    }
  }

  /**
   * Called while a checkpoint is written but not yet committed; pauses forever if the hook names
   * it.
   *
   * @param step the checkpoint's step
   */
  public void inCheckpoint(long step) {
    if (step == pauseInCheckpoint) {
      pause("ce-train: paused writing checkpoint " + step);
    }
  }

  private static void pause(String message) {
    System.err.println(message);
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
