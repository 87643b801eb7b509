package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Objects;

/**
 * sentence-transformers' {@code CrossEntropyLoss}: {@code nn.CrossEntropyLoss} (mean over the
 * batch) on one logit per class, labels the class indices.
 *
 * <p>Per example {@code l = -log softmax(x)[y]}. Hand-worked: logits {@code [0, 0]}, class 0:
 * {@code log 2 = 0.693147}; gradient {@code (softmax(x) - onehot(y)) / B = [-0.5, 0.5]}.
 * Immutable, thread-safe.
 */
public final class CrossEntropyLoss extends ActivatedLoss {
  /** The id. */
  public static final String ID = "cross_entropy";

  /** The loss with sentence-transformers' default identity activation. */
  public CrossEntropyLoss() {
    this(ScoreActivation.IDENTITY);
  }

  /**
   * The loss with an activation.
   *
   * @param activation applied to the logits first, never null
   */
  public CrossEntropyLoss(ScoreActivation activation) {
    super(ID, LossInput.MULTICLASS, activation);
  }

  /** Class indices below the model's number of outputs. */
  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.CLASS_INDEX;
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, ID));
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    Objects.requireNonNull(labels, ID + ": labels are required");
    if (!labels.getShape().equals(new Shape(b)) || !labels.getDataType().isInteger()) {
      throw new IllegalArgumentException(
          ID + ": labels must be " + b + " class indices of an integer type, got "
              + labels.getDataType() + " " + labels.getShape());
    }
    NDArray targets = labels.toType(DataType.INT64, false);
    for (long t : targets.toLongArray()) {
      if (t < 0 || t >= c) {
        throw new IllegalArgumentException(
            ID + ": class index " + t + " is outside [0, " + c + ")");
      }
    }
    return LossSupport.crossEntropy(x, targets);
  }
}
