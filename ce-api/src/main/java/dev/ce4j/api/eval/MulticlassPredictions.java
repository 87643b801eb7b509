package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A score per class and one true class index per sample. Every score vector has the same
 * length C, and every label lies in {@code 0..C-1}.
 *
 * <p>Immutable and thread-safe; accessors return copies.
 *
 * @param scores one row of C finite scores per sample, never null
 * @param labels the true class index per sample, never null
 */
public record MulticlassPredictions(double[][] scores, int[] labels) implements Predictions {
  /** Validates shapes, finiteness and label range, and copies both arrays. */
  public MulticlassPredictions {
    scores = Checks.finiteMatrixCopy(scores, "scores");
    labels = Objects.requireNonNull(labels, "labels").clone();
    Checks.sameLength(scores.length, labels.length, "scores", "labels");
    int classes = scores.length == 0 ? 0 : scores[0].length;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new InvalidInputException(
            "labels[" + i + "] is " + labels[i] + " but the score vectors have " + classes
                + " classes; a label must be a class index in 0.." + (classes - 1));
      }
    }
  }

  /**
   * The number of classes C, or 0 when there are no samples.
   *
   * @return the class count
   */
  public int classCount() {
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
   * Returns a copy of the labels.
   *
   * @return a new array, never null
   */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public InputKind kind() {
    return InputKind.MULTICLASS;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MulticlassPredictions p
        && Arrays.deepEquals(scores, p.scores)
        && Arrays.equals(labels, p.labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(scores) + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "MulticlassPredictions[size=" + labels.length + ", classes=" + classCount() + "]";
  }
}
