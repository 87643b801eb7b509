package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A score per label and a 0/1 indicator per label for each sample; scores and labels have the
 * same rectangular shape (samples x labels).
 *
 * <p>Immutable and thread-safe; accessors return copies.
 *
 * @param scores one row of L finite scores per sample, never null
 * @param labels one row of L values, each 0 or 1, per sample, never null
 */
public record MultilabelPredictions(double[][] scores, int[][] labels) implements Predictions {
  /** Validates shapes, finiteness and 0/1 labels, and copies both arrays. */
  public MultilabelPredictions {
    scores = Checks.finiteMatrixCopy(scores, "scores");
    Objects.requireNonNull(labels, "labels");
    Checks.sameLength(scores.length, labels.length, "scores", "labels");
    int[][] copy = new int[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == null) {
        throw new InvalidInputException("labels[" + i + "] is null");
      }
      Checks.sameLength(scores[i].length, labels[i].length, "scores[" + i + "]", "labels[" + i + "]");
      copy[i] = labels[i].clone();
      for (int j = 0; j < copy[i].length; j++) {
        if (copy[i][j] != 0 && copy[i][j] != 1) {
          throw new InvalidInputException(
              "labels[" + i + "][" + j + "] is " + copy[i][j] + "; multi-label indicators must be 0 or 1");
        }
      }
    }
    labels = copy;
  }

  /**
   * The number of labels L, or 0 when there are no samples.
   *
   * @return the label count
   */
  public int labelCount() {
    return scores.length == 0 ? 0 : scores[0].length;
  }

  /**
   * Returns a deep copy of the scores.
   *
   * @return a new array, never null
   */
  @Override
  public double[][] scores() {
    return Checks.deepCopy(scores);
  }

  /**
   * Returns a deep copy of the labels.
   *
   * @return a new array, never null
   */
  @Override
  public int[][] labels() {
    return Checks.deepCopy(labels);
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public InputKind kind() {
    return InputKind.MULTILABEL;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultilabelPredictions p
        && Arrays.deepEquals(scores, p.scores)
        && Arrays.deepEquals(labels, p.labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(scores) + Arrays.deepHashCode(labels);
  }

  @Override
  public String toString() {
    return "MultilabelPredictions[size=" + labels.length + ", labels=" + labelCount() + "]";
  }
}
