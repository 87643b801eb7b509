package dev.ce4j.api.eval;

import java.util.Arrays;

/**
 * One score and one numeric label per sample: binary classification (labels 0 and 1) and
 * correlation (any finite labels).
 *
 * <p>Immutable and thread-safe; accessors return copies.
 *
 * @param scores finite scores, one per sample, never null
 * @param labels finite labels, one per sample, never null
 */
public record PointwisePredictions(double[] scores, double[] labels) implements Predictions {
  /** Validates lengths and finiteness and copies both arrays. */
  public PointwisePredictions {
    scores = Checks.finiteCopy(scores, "scores");
    labels = Checks.finiteCopy(labels, "labels");
    Checks.sameLength(scores.length, labels.length, "scores", "labels");
  }

  /**
   * Returns a copy of the scores.
   *
   * @return a new array, never null
   */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /**
   * Returns a copy of the labels.
   *
   * @return a new array, never null
   */
  @Override
  public double[] labels() {
    return labels.clone();
  }

  @Override
  public int size() {
    return scores.length;
  }

  @Override
  public InputKind kind() {
    return InputKind.POINTWISE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PointwisePredictions p
        && Arrays.equals(scores, p.scores)
        && Arrays.equals(labels, p.labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(scores) + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "PointwisePredictions[size=" + scores.length + "]";
  }
}
