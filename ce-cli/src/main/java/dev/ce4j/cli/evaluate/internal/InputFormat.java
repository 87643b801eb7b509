package dev.ce4j.cli.evaluate.internal;

import dev.ce4j.api.eval.InputKind;
import java.util.Objects;

/**
 * The JSON Lines format of each {@link InputKind}: field names and an example line. Constants
 * only; not instantiable.
 */
public final class InputFormat {
  /** One score per line (pointwise and ranking input). */
  public static final String SCORE = "score";
  /** One numeric label per line (pointwise, ranking, multiclass input). */
  public static final String LABEL = "label";
  /** A score per class or per label (multiclass and multilabel input). */
  public static final String SCORES = "scores";
  /** A 0/1 indicator per label (multilabel input). */
  public static final String LABELS = "labels";
  /** The query a document belongs to (ranking input). */
  public static final String QUERY_ID = "query_id";

  private InputFormat() {}

  /**
   * An example line of a kind's format.
   *
   * @param kind the kind, never null
   * @return one JSON object, never null
   */
  public static String example(InputKind kind) {
    return switch (Objects.requireNonNull(kind, "kind")) {
      case POINTWISE -> "{\"score\": 0.73, \"label\": 1}";
      case MULTICLASS -> "{\"scores\": [0.1, 2.3, -1.0], \"label\": 1}";
      case MULTILABEL -> "{\"scores\": [0.9, 0.2, 0.6], \"labels\": [1, 0, 1]}";
      case RANKING -> "{\"query_id\": \"q7\", \"score\": 3.2, \"label\": 2}";
    };
  }

  /**
   * What one line of a kind's format holds, in a sentence.
   *
   * @param kind the kind, never null
   * @return the sentence, never null
   */
  public static String explain(InputKind kind) {
    return switch (Objects.requireNonNull(kind, "kind")) {
      case POINTWISE -> "one sample per line: a score and a numeric label";
      case MULTICLASS -> "one sample per line: a score per class and the true class index";
      case MULTILABEL -> "one sample per line: a score per label and a 0/1 indicator per label";
      case RANKING -> "one document per line: its query id, score and relevance grade (>= 0);"
          + " lines are grouped by query id";
    };
  }
}
