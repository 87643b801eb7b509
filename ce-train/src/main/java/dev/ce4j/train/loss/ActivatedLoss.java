package dev.ce4j.train.loss;

import dev.ce4j.core.model.ScoreActivation;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * What the losses whose only setting is sentence-transformers' {@code activation_fn} share: the
 * id, the input layout and the activation applied to the logits first. Immutable, thread-safe.
 */
abstract class ActivatedLoss implements Loss {
  private final String id;
  private final LossInput input;

  /** Applied to the logits before the loss; never null. */
  final ScoreActivation activation;

  ActivatedLoss(String id, LossInput input, ScoreActivation activation) {
    this.id = Objects.requireNonNull(id, "id");
    this.input = Objects.requireNonNull(input, "input");
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final LossInput input() {
    return input;
  }

  @Override
  public final Map<String, String> parameters() {
    return Collections.singletonMap("activation_fn", activation.className());
  }
}
