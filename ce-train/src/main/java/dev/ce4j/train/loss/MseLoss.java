package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * sentence-transformers' {@code MSELoss}: {@code nn.MSELoss} (mean over the batch) between one
 * logit per pair and a target score, for distillation from a teacher's scores.
 *
 * <p>Hand-worked: logits {@code [1, 3]}, targets {@code [0, 1]}: {@code (1 + 4) / 2 = 2.5};
 * gradient {@code 2 (x - y) / B = [1, 2]}. Immutable, thread-safe.
 */
public final class MseLoss implements Loss {
  /** The id. */
  public static final String ID = "mse";

  private final ScoreActivation activation;

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
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LossInput input() {
    return LossInput.POINTWISE;
  }

  @Override
  public Map<String, String> parameters() {
    return Collections.singletonMap("activation_fn", activation.className());
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.pointwiseLogits(logits, ID));
    NDArray y = LossSupport.floatLabels(labels, new Shape(x.getShape().get(0)), ID);
    return x.sub(y).square().mean();
  }
}
