package dev.ce4j.cli;

/**
 * The exit statuses of {@code ce}, the same for every subcommand.
 *
 * <ul>
 *   <li>{@link #OK} (0): the command did what was asked.
 *   <li>{@link #INTERNAL_ERROR} (1): an unexpected failure, a bug in {@code ce} or in a plugin. A
 *       one-line message goes to standard error; {@code --debug} or the environment variable
 *       {@code CE_DEBUG=1} adds the stack trace.
 *   <li>{@link #INVALID_INPUT} (2): something the user can fix: a usage error (unknown option,
 *       missing required option), bad input data (a {@link dev.ce4j.api.InvalidInputException},
 *       whose message names the file and line or the parameter), or a plugin problem (any other
 *       {@link dev.ce4j.api.CeException}, for example two evaluators claiming one id, an empty
 *       plugin directory, or a plugin class that cannot be loaded), or standard output that cannot be
 *       written (a full disk or a closed pipe behind a redirect: the results, help or version text
 *       are incomplete; the message names the command and the system's reason, such as {@code ce
 *       predict: cannot write the results to standard output: No space left on device}). One
 *       message goes to standard error, without a stack trace.
 *   <li>{@link #REPRODUCE_DIVERGED} (3): {@code ce reproduce} only: the replay of a recorded run
 *       did not match it bitwise (a checkpoint or the final fingerprint, or the metric log,
 *       differs); the first point of divergence (step, recorded and replayed fingerprints) is on
 *       standard output and in the JSON summary on its last line. A run that cannot be replayed at
 *       all (no {@code run.json}, bad config) exits with {@link #INVALID_INPUT}.
 * </ul>
 *
 * <p>Constants only; not instantiable.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** An unexpected failure: a bug in {@code ce} or a plugin. */
  public static final int INTERNAL_ERROR = 1;
  /**
   * Bad usage, bad input, a broken plugin set-up or standard output that cannot be written: the
   * user can fix it.
   */
  public static final int INVALID_INPUT = 2;
  /** {@code ce reproduce}: the replayed run differs from the recorded one. */
  public static final int REPRODUCE_DIVERGED = 3;

  private ExitCodes() {}
}
