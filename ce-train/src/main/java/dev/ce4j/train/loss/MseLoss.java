package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ScoreActivation;

/**
 * sentence-transformers' {@code MSELoss}: {@code nn.MSELoss} (mean over the batch) between one
 * logit per pair and a target score, for distillation from a teacher's scores.
 *
 * <p>Hand-worked: logits {@code [1, 3]}, targets {@code [0, 1]}: {@code (1 + 4) / 2 = 2.5};
 * gradient {@code 2 (x - y) / B = [1, 2]}. Immutable, thread-safe.
 */
public final class MseLoss extends ActivatedLoss {
  /** The id. */
  public static final String ID = "mse";

  /** The loss with sentence-transformers' default identity activation. */
  public MseLoss() {
    this(ScoreActivation.IDENTITY);
  }

  /**
   * The loss with an activation.
   *
   * @param activation applied to the logits first, never null
   */
  public MseLoss(ScoreActivation activation) {
    super(ID, LossInput.POINTWISE, activation);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.pointwiseLogits(logits, ID));
    NDArray y = LossSupport.floatLabels(labels, new Shape(x.getShape().get(0)), ID);
    return x.sub(y).square().mean();
  }
}
