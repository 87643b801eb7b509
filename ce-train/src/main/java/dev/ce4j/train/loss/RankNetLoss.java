package dev.ce4j.train.loss;

import dev.ce4j.core.model.ScoreActivation;

/**
 * sentence-transformers' {@code RankNetLoss}: {@link LambdaLoss} without weighting, that is
 * {@code -mean log2(sigmoid(sigma (x_i - x_j)))} over the pairs with {@code label_i > label_j}
 * (within the top {@code k} predicted positions). Hand-worked: logits {@code [0, 0]}, labels
 * {@code [1, 0]}: {@code 1}; see {@link LambdaLoss}. Immutable, thread-safe.
 */
public final class RankNetLoss extends LambdaLoss {
  /** The id. */
  public static final String ID = "ranknet";

  /** The loss with sentence-transformers' defaults: all documents, sigma 1, eps 1e-10, log2. */
  public RankNetLoss() {
    this(null, 1.0, 1e-10, true, ScoreActivation.IDENTITY);
  }

  /**
   * The loss with parameters.
   *
   * @param k only pairs within the first {@code k} predicted positions count, at least 1, or null
   * @param sigma the slope of the sigmoid, finite
   * @param eps the lower clamp of probabilities, positive
   * @param binaryLog true for {@code log2}, false for the natural log
   * @param activation applied to the logits first, never null
   */
  public RankNetLoss(
      Integer k, double sigma, double eps, boolean binaryLog, ScoreActivation activation) {
    super(WeightingScheme.NONE, LambdaLoss.DEFAULT_MU, k, sigma, eps, binaryLog, activation);
  }

  @Override
  public String id() {
    return ID;
  }
}
