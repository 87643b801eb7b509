package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import java.util.Objects;

/**
 * The input checks most evaluators start with, each failing with an {@link InvalidInputException}
 * that names the evaluator and the culprit: predictions of the kind the evaluator reads, at least
 * one sample (or query), and binary labels.
 *
 * <pre>{@code
 * PointwisePredictions p = EvaluatorInputs.requireNonEmpty(ID, predictions, PointwisePredictions.class);
 * EvaluatorInputs.requireBinaryLabels(ID, p.labels());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class EvaluatorInputs {
  private EvaluatorInputs() {}

  /**
   * Checks that predictions are of the type an evaluator reads, and casts them.
   *
   * @param <T> the predictions type
   * @param evaluatorId the evaluator's id, for the message, never null
   * @param predictions the predictions, never null
   * @param type the predictions class the evaluator reads, such as {@code PointwisePredictions.class},
   *     never null
   * @return the predictions as {@code type}, never null
   * @throws NullPointerException if {@code predictions} is null
   * @throws InvalidInputException if they are of another kind, naming both kinds
   */
  public static <T extends Predictions> T requireKind(String evaluatorId, Predictions predictions, Class<T> type) {
    Objects.requireNonNull(evaluatorId, "evaluatorId");
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(type, "type");
    if (!type.isInstance(predictions)) {
      InputKind wanted = kindOf(type);
      throw new InvalidInputException(
          "evaluator '" + evaluatorId + "' reads " + wanted + " predictions (" + explain(wanted) + ") but got "
              + predictions.kind() + " predictions; choose an evaluator for " + predictions.kind()
              + " data or provide " + wanted + " predictions");
    }
    return type.cast(predictions);
  }

  /**
   * Checks that predictions are of the type an evaluator reads and hold at least one sample (for
   * ranking: one query), and casts them.
   *
   * @param <T> the predictions type
   * @param evaluatorId the evaluator's id, for the message, never null
   * @param predictions the predictions, never null
   * @param type the predictions class the evaluator reads, never null
   * @return the predictions as {@code type}, never null
   * @throws NullPointerException if {@code predictions} is null
   * @throws InvalidInputException if they are of another kind, or empty ("no samples", or "no
   *     queries" for ranking)
   */
  public static <T extends Predictions> T requireNonEmpty(String evaluatorId, Predictions predictions, Class<T> type) {
    T typed = requireKind(evaluatorId, predictions, type);
    if (typed.size() == 0) {
      boolean ranking = typed.kind() == InputKind.RANKING;
      throw new InvalidInputException(
          "evaluator '" + evaluatorId + "' got no " + (ranking ? "queries" : "samples") + "; provide at least one "
              + (ranking ? "query with scored, labelled documents" : "scored, labelled sample"));
    }
    return typed;
  }

  /**
   * Checks that every label is 0 or 1 (1 = positive).
   *
   * @param evaluatorId the evaluator's id, for the message, never null
   * @param labels the labels, never null, not modified
   * @throws InvalidInputException naming the first other label's index and value
   */
  public static void requireBinaryLabels(String evaluatorId, double[] labels) {
    Objects.requireNonNull(evaluatorId, "evaluatorId");
    Objects.requireNonNull(labels, "labels");
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0.0 && labels[i] != 1.0) {
        throw new InvalidInputException(
            "labels[" + i + "] is " + labels[i] + " but evaluator '" + evaluatorId + "' needs every label to be"
                + " 0 or 1 (1 = positive); map the labels to 0/1 or use another evaluator");
      }
    }
  }

  private static InputKind kindOf(Class<? extends Predictions> type) {
    for (InputKind kind : InputKind.values()) {
      if (kind.predictionsType().equals(type)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(type.getName() + " is not the predictions type of an InputKind");
  }

  private static String explain(InputKind kind) {
    switch (kind) {
      case POINTWISE:
        return "one score and one numeric label per sample";
      case MULTICLASS:
        return "a score per class and one class index per sample";
      case MULTILABEL:
        return "a score and a 0/1 indicator per label per sample";
      default:
        return "scored, graded documents grouped by query";
    }
  }
}
