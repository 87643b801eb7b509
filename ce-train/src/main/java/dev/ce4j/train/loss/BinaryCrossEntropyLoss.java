package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ScoreActivation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * sentence-transformers' {@code BinaryCrossEntropyLoss}: {@code nn.BCEWithLogitsLoss} (mean over
 * the batch) on one logit per pair, labels in [0, 1].
 *
 * <p>Per pair {@code l = (1 - y) x + w * log(1 + exp(-x))} with {@code w = (pos_weight - 1) y + 1}
 * ({@code w = 1} without {@code pos_weight}), {@code x} the logit after the activation (identity
 * by default). Hand-worked: {@code x = 0, y = 1} gives {@code log 2 = 0.693147}, and with {@code
 * pos_weight = 3}, {@code 3 log 2 = 2.079442}; the gradient is {@code ((1 - y) - w sigmoid(-x)) /
 * B}: for {@code x = 0, y = 1, B = 1}, {@code -0.5}. Immutable, thread-safe.
 */
public final class BinaryCrossEntropyLoss implements Loss {
  /** The id. */
  public static final String ID = "bce";

  private final ScoreActivation activation;
  private final Double posWeight;

  /** The loss with sentence-transformers' defaults: identity activation, no positive weight. */
  public BinaryCrossEntropyLoss() {
    this(ScoreActivation.IDENTITY, null);
  }

  /**
   * The loss with parameters.
   *
   * @param activation applied to the logits first, never null; sentence-transformers' default is
   *     identity
   * @param posWeight the weight of positive examples, positive and finite, or null for none
   */
  public BinaryCrossEntropyLoss(ScoreActivation activation, Double posWeight) {
    this.activation = Objects.requireNonNull(activation, "activation");
    if (posWeight != null && !(posWeight > 0 && Double.isFinite(posWeight))) {
      throw new IllegalArgumentException("pos_weight must be positive and finite, got "
          + posWeight);
    }
    this.posWeight = posWeight;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LossInput input() {
    return LossInput.POINTWISE;
  }

  /** Labels from 0 to 1, as {@code nn.BCEWithLogitsLoss} needs. */
  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.UNIT_INTERVAL;
  }

  @Override
  public Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("activation_fn", activation.className());
    p.put("pos_weight", String.valueOf(posWeight));
    return java.util.Collections.unmodifiableMap(p);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.pointwiseLogits(logits, ID));
    NDArray y = LossSupport.floatLabels(labels, new Shape(x.getShape().get(0)), ID);
    NDArray w = posWeight == null ? null : x.getManager().create(posWeight.floatValue());
    return LossSupport.bceWithLogits(x, y, w);
  }
}
