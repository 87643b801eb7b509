package dev.ce4j.api.train;

/**
 * Trains a model to completion and reports what it produced.
 *
 * <p>A trainer owns native resources (models, tensors) and must be closed. Implementations state
 * their reproducibility guarantees; {@code ce-train}'s guarantees bitwise-identical weights for the
 * same configuration, seed and thread count. Not thread-safe: call {@link #train()} from one thread.
 */
public interface Trainer extends AutoCloseable {

  /**
   * Runs training to its end (or resumes an interrupted run, if so configured).
   *
   * @return the outcome, never null
   * @throws dev.ce4j.api.CeException if training cannot start or fails; what was checkpointed is
   *     kept
   */
  TrainingResult train();

  /** Releases every native resource; idempotent. */
  @Override
  void close();
}
