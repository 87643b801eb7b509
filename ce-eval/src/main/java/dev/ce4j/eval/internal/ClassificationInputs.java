package dev.ce4j.eval.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Predictions;
import java.util.Objects;

/** Input checks shared by the classification evaluators. Stateless and thread-safe. */
public final class ClassificationInputs {
  private ClassificationInputs() {}

  /**
   * Checks that predictions are of the expected kind and not empty, and casts them.
   *
   * @param <T> the predictions type of {@code kind}
   * @param evaluatorId the evaluator's id, for messages, never null
   * @param predictions the predictions, never null
   * @param kind the kind the evaluator reads, never null
   * @param type the predictions class of {@code kind}, never null
   * @return the predictions as {@code type}, never null
   * @throws InvalidInputException naming the expected kind if they are of another kind, or
   *     saying there are no samples if they are empty
   */
  public static <T extends Predictions> T require(
      String evaluatorId, Predictions predictions, InputKind kind, Class<T> type) {
    Objects.requireNonNull(predictions, "predictions");
    if (predictions.kind() != kind || !type.isInstance(predictions)) {
      throw new InvalidInputException(
          "evaluator '" + evaluatorId + "' reads " + kind + " predictions but got "
              + predictions.kind() + " predictions; choose an evaluator for " + predictions.kind()
              + " data or provide " + kind + " predictions");
    }
    if (predictions.size() == 0) {
      throw new InvalidInputException(
          "evaluator '" + evaluatorId + "' got no samples; provide at least one scored,"
              + " labelled sample");
    }
    return type.cast(predictions);
  }
}
