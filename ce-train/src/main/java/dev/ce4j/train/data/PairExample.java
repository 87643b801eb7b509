package dev.ce4j.train.data;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import java.util.Arrays;
import java.util.Objects;

/**
 * One labelled pair: {@code {"pair": ["query", "document"], "label": 1}}.
 *
 * <p>The label is an array: one element for a scalar label, one 0/1 element per class for a
 * multi-label one. Immutable: the array is copied in and out.
 *
 * @param pair the texts, never null
 * @param label the label values, never null or empty, all finite
 * @param origin where the record came from, never null
 */
public record PairExample(TextPair pair, double[] label, Origin origin) {
  /** Validates and copies. */
  public PairExample {
    Objects.requireNonNull(pair, "pair");
    Objects.requireNonNull(origin, "origin");
    label = Objects.requireNonNull(label, "label").clone();
    if (label.length == 0) {
      throw new InvalidInputException(origin + ": label must not be empty");
    }
    for (double v : label) {
      if (!Double.isFinite(v)) {
        throw new InvalidInputException(origin + ": label must be finite, got " + v);
      }
    }
  }

  /**
   * A pair with a scalar label.
   *
   * @param query the first text, never null
   * @param document the second text, never null
   * @param label the label, finite
   * @return the example, never null
   */
  public static PairExample of(String query, String document, double label) {
    return new PairExample(TextPair.of(query, document), new double[] {label}, Origin.inMemory("memory"));
  }

  @Override
  public double[] label() {
    return label.clone();
  }

  /**
   * The scalar label.
   *
   * @return the first label value
   */
  public double score() {
    return label[0];
  }

  /**
   * The number of label values.
   *
   * @return 1 for a scalar label
   */
  public int labelWidth() {
    return label.length;
  }

  /**
   * One label value, without copying.
   *
   * @param i the index, from 0
   * @return the value
   */
  public double label(int i) {
    return label[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PairExample p && pair.equals(p.pair) && Arrays.equals(label, p.label) && origin.equals(p.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pair, Arrays.hashCode(label), origin);
  }

  @Override
  public String toString() {
    return "PairExample[" + pair + ", label=" + Arrays.toString(label) + ", " + origin + "]";
  }
}
