package dev.ce4j.core.predict;

import java.util.Objects;

/**
 * How one {@code CrossEncoder.predict} call scores: pairs per forward pass (pairs are sorted by
 * length first, so each batch is padded only to its longest pair), the activation, and who hears of
 * its progress.
 *
 * <p>Immutable and thread-safe.
 *
 * @param batchSize pairs per forward pass, at least 1
 * @param activation the function applied to the logits, never null
 * @param listener told after each batch, never null ({@link PredictionListener#NONE} for nobody)
 */
public record PredictOptions(int batchSize, PredictActivation activation, PredictionListener listener) {
  /** The batch size of {@link #defaults()}. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /** Validates the fields. */
  public PredictOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(listener, "listener");
  }

  /**
   * Batches of {@value #DEFAULT_BATCH_SIZE}, the model's activation, no listener.
   *
   * @return the defaults, never null
   */
  public static PredictOptions defaults() {
    return new PredictOptions(DEFAULT_BATCH_SIZE, PredictActivation.DEFAULT, PredictionListener.NONE);
  }

  /**
   * A copy with another batch size.
   *
   * @param newBatchSize pairs per forward pass, at least 1
   * @return the copy, never null
   */
  public PredictOptions withBatchSize(int newBatchSize) {
    return new PredictOptions(newBatchSize, activation, listener);
  }

  /**
   * A copy with another activation.
   *
   * @param newActivation the activation, never null
   * @return the copy, never null
   */
  public PredictOptions withActivation(PredictActivation newActivation) {
    return new PredictOptions(batchSize, newActivation, listener);
  }

  /**
   * A copy with another listener.
   *
   * @param newListener the listener, never null
   * @return the copy, never null
   */
  public PredictOptions withListener(PredictionListener newListener) {
    return new PredictOptions(batchSize, activation, newListener);
  }
}
