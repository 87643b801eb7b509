package dev.ce4j.train;

import dev.ce4j.api.CeException;

/**
 * Training stopped because the loss or the gradient norm became NaN or infinite. The checkpoints
 * written before stay; the output folder has no final model. Immutable.
 */
public final class TrainingDivergedException extends CeException {
  private static final long serialVersionUID = 1L;

  /** The step that diverged (the steps taken before it, plus one). */
  private final long step;

  /**
   * Creates the exception.
   *
   * @param step the step that diverged
   * @param message the explanation, never null
   */
  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /**
   * The step that diverged.
   *
   * @return the step, from 1
   */
  public long step() {
    return step;
  }
}
