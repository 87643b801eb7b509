package dev.ce4j.api.eval;

/**
 * Scores already computed for labelled samples: what an {@link Evaluator} reads.
 *
 * <p>Every implementation is an immutable record that validates its arrays on construction
 * (equal lengths, finite scores, labels in range), copies them defensively, and returns copies
 * from its accessors. An empty set of predictions is valid to construct; evaluators document what
 * they do with it.
 */
public sealed interface Predictions
    permits PointwisePredictions, MulticlassPredictions, MultilabelPredictions, RankingPredictions {

  /**
   * The number of samples (for ranking: of queries).
   *
   * @return zero or more
   */
  int size();

  /**
   * The kind of these predictions.
   *
   * @return the kind, never null
   */
  InputKind kind();
}
