package dev.ce4j.api.eval;

/**
 * The shape of predictions an evaluator reads; each constant names one {@link Predictions} type.
 */
public enum InputKind {
  /** One score and one numeric label per sample: {@link PointwisePredictions}. */
  POINTWISE(PointwisePredictions.class),
  /** A score per class and one class index per sample: {@link MulticlassPredictions}. */
  MULTICLASS(MulticlassPredictions.class),
  /** A score per label and a 0/1 indicator per label per sample: {@link MultilabelPredictions}. */
  MULTILABEL(MultilabelPredictions.class),
  /** Scored, graded documents grouped by query: {@link RankingPredictions}. */
  RANKING(RankingPredictions.class);

  private final Class<? extends Predictions> type;

  InputKind(Class<? extends Predictions> type) {
    this.type = type;
  }

  /**
   * The predictions type of this kind.
   *
   * @return the class, never null
   */
  public Class<? extends Predictions> predictionsType() {
    return type;
  }
}
