package dev.ce4j.spark.evaluate;

import java.io.Serializable;
import java.util.Objects;

/**
 * The columns {@link SparkEvaluation} reads; no text column is ever read.
 *
 * @param queryId the query id column (ranking evaluators), any type compared as a string, never null
 * @param score the score column: a number, or {@code array<double>} for multi-class and multi-label
 *     evaluators, never null
 * @param label the label column: a number (a relevance grade, a 0/1 label, a class index), or an
 *     {@code array} of 0/1 for multi-label evaluators, never null
 */
public record EvaluationColumns(String queryId, String score, String label) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The defaults: {@code query_id}, {@code score}, {@code label}. */
  public static final EvaluationColumns DEFAULTS = new EvaluationColumns("query_id", "score", "label");

  /** Validates. */
  public EvaluationColumns {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(label, "label");
  }
}
