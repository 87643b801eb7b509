package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Objects;

/**
 * sentence-transformers' {@code MarginMSELoss}: the mean squared error between the student's
 * margins {@code x_pos - x_neg_k} and the teacher's margins, over every query and negative.
 *
 * <p>Logits {@code [B, 1 + N]}, column 0 the positive pair. Labels are either the teacher's
 * margins {@code [B, N]}, or the teacher's scores {@code [B, 1 + N]} (margins are then {@code
 * y[:, 0] - y[:, k]}), or, with one negative, {@code [B]}. Hand-worked: logits {@code [[3, 1]]},
 * margin label {@code [[1]]}: {@code ((3 - 1) - 1)^2 = 1}; gradient {@code [2, -2]}. Immutable,
 * thread-safe.
 */
public final class MarginMseLoss extends ActivatedLoss {
  /** The id. */
  public static final String ID = "margin_mse";

  /** The loss with sentence-transformers' default identity activation. */
  public MarginMseLoss() {
    this(ScoreActivation.IDENTITY);
  }

  /**
   * The loss with an activation.
   *
   * @param activation applied to the logits first, never null
   */
  public MarginMseLoss(ScoreActivation activation) {
    super(ID, LossInput.POSITIVE_FIRST, activation);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, ID));
    long b = x.getShape().get(0);
    long n = x.getShape().get(1) - 1;
    if (n < 1) {
      throw new IllegalArgumentException(ID + ": logits need a positive and at least one"
          + " negative column, got " + x.getShape());
    }
    Objects.requireNonNull(labels, ID + ": labels are required");
    NDArray y = labels.toType(DataType.FLOAT32, false);
    Shape s = y.getShape();
    if (s.equals(new Shape(b, n + 1))) {
      y = y.get(new NDIndex(":, 0:1")).sub(y.get(new NDIndex(":, 1:")));
    } else if (s.equals(new Shape(b)) && n == 1) {
      y = y.reshape(b, 1);
    } else if (!s.equals(new Shape(b, n))) {
      throw new IllegalArgumentException(
          ID + ": labels must be margins [" + b + ", " + n + "] or scores [" + b + ", " + (n + 1)
              + "], got " + s);
    }
    NDArray margins = x.get(new NDIndex(":, 0:1")).sub(x.get(new NDIndex(":, 1:")));
    return margins.sub(y).square().mean();
  }
}
