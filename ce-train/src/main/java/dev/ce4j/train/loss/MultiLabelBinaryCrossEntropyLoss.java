package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Multi-label binary cross-entropy: {@code nn.BCEWithLogitsLoss} (mean over every example and
 * label) on one logit per label, labels 0 or 1 per label, with an optional positive weight per
 * label (torch's {@code pos_weight} of shape {@code [C]}).
 *
 * <p>Each cell is {@link BinaryCrossEntropyLoss}'s per-pair loss; the result is their mean over
 * {@code B * C} cells. Hand-worked: logits {@code [[0, 0]]}, labels {@code [[1, 0]]}, {@code
 * pos_weight [2, 1]}: {@code (2 log 2 + log 2) / 2 = 1.039721}. Immutable, thread-safe.
 */
public final class MultiLabelBinaryCrossEntropyLoss implements Loss {
  /** The id. */
  public static final String ID = "multilabel_bce";

  private final ScoreActivation activation;
  private final float[] posWeight;

  /** The loss with identity activation and no positive weights. */
  public MultiLabelBinaryCrossEntropyLoss() {
    this(ScoreActivation.IDENTITY, null);
  }

  /**
   * The loss with parameters.
   *
   * @param activation applied to the logits first, never null
   * @param posWeight one positive weight per label, each positive and finite, or null for none;
   *     copied
   */
  public MultiLabelBinaryCrossEntropyLoss(ScoreActivation activation, float[] posWeight) {
    this.activation = Objects.requireNonNull(activation, "activation");
    if (posWeight != null) {
      for (float w : posWeight) {
        if (!(w > 0 && Float.isFinite(w))) {
          throw new IllegalArgumentException(
              "pos_weight must be positive and finite, got " + Arrays.toString(posWeight));
        }
      }
    }
    this.posWeight = posWeight == null ? null : posWeight.clone();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LossInput input() {
    return LossInput.MULTILABEL;
  }

  /** Labels from 0 to 1 per output (multi-label files hold 0 or 1). */
  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.UNIT_INTERVAL;
  }

  @Override
  public Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("activation_fn", activation.className());
    p.put("pos_weight", posWeight == null ? "null" : Arrays.toString(posWeight));
    return Collections.unmodifiableMap(p);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, ID));
    NDArray y = LossSupport.floatLabels(labels, x.getShape(), ID);
    NDArray w = null;
    if (posWeight != null) {
      if (posWeight.length != x.getShape().get(1)) {
        throw new IllegalArgumentException(
            ID + ": " + posWeight.length + " positive weights for " + x.getShape().get(1)
                + " labels");
      }
      w = x.getManager().create(posWeight);
    }
    return LossSupport.bceWithLogits(x, y, w);
  }
}
