package dev.ce4j.core.predict;

import dev.ce4j.core.model.ScoreActivation;

/**
 * The function a prediction applies to the model's logits, chosen per call, as sentence-transformers'
 * {@code predict(activation_fn=..., apply_softmax=...)}.
 *
 * <p>Thread-safe.
 */
public enum PredictActivation {
  /** The model's own activation ({@code CrossEncoder.activation()}: sigmoid for one label unless the folder says otherwise). */
  DEFAULT,
  /** {@code 1 / (1 + exp(-x))} on each logit. */
  SIGMOID,
  /** The softmax over a pair's logits (a model with at least two outputs). */
  SOFTMAX,
  /** The raw logits. */
  NONE;

  /**
   * Applies the activation to one pair's logits, in place.
   *
   * @param row the pair's logits, one per output, never null
   * @param modelDefault the model's own activation, for {@link #DEFAULT}, never null
   * @return {@code row}, now holding the scores
   */
  public double[] apply(double[] row, ScoreActivation modelDefault) {
    switch (this) {
      case DEFAULT -> {
        for (int j = 0; j < row.length; j++) {
          row[j] = modelDefault.apply(row[j]);
        }
      }
      case SIGMOID -> {
        for (int j = 0; j < row.length; j++) {
          row[j] = ScoreActivation.SIGMOID.apply(row[j]);
        }
      }
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < row.length; j++) {
          row[j] = Math.exp(row[j] - max);
          sum += row[j];
        }
        for (int j = 0; j < row.length; j++) {
          row[j] /= sum;
        }
      }
      case NONE -> {
        // the logits
      }
    }
    return row;
  }

  /**
   * The activation named in lowercase, as the command line writes it.
   *
   * @param name {@code default}, {@code sigmoid}, {@code softmax} or {@code none}, never null
   * @return the activation, never null
   * @throws IllegalArgumentException naming the known names if {@code name} is none of them
   */
  public static PredictActivation parse(String name) {
    for (PredictActivation a : values()) {
      if (a.name().equalsIgnoreCase(name.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "'; known: default, sigmoid, softmax, none");
  }
}
