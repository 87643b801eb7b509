package dev.ce4j.test.internal;

import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Predictions rebuilt from arrays that this object keeps, with a deep snapshot of those arrays,
 * so a test can check that the very arrays passed to the predictions' constructor were not
 * modified. Not thread-safe; use in one test.
 */
public final class RawInput {
  private final Predictions predictions;
  private final Object[] arrays;
  private final Object[] snapshot;

  private RawInput(Predictions predictions, List<Object> arrays) {
    this.predictions = predictions;
    this.arrays = arrays.toArray();
    this.snapshot = new Object[this.arrays.length];
    for (int i = 0; i < this.arrays.length; i++) {
      snapshot[i] = deepClone(this.arrays[i]);
    }
  }

  /**
   * Rebuilds predictions equal to {@code source} from fresh arrays, and remembers those arrays.
   *
   * @param source the predictions to copy, never null
   * @return the raw input, never null
   */
  public static RawInput of(Predictions source) {
    Objects.requireNonNull(source, "source");
    List<Object> arrays = new ArrayList<>();
    if (source instanceof PointwisePredictions p) {
      double[] scores = p.scores();
      double[] labels = p.labels();
      arrays.add(scores);
      arrays.add(labels);
      return new RawInput(new PointwisePredictions(scores, labels), arrays);
    }
    if (source instanceof MulticlassPredictions p) {
      double[][] scores = p.scores();
      int[] labels = p.labels();
      arrays.add(scores);
      arrays.add(labels);
      return new RawInput(new MulticlassPredictions(scores, labels), arrays);
    }
    if (source instanceof MultilabelPredictions p) {
      double[][] scores = p.scores();
      int[][] labels = p.labels();
      arrays.add(scores);
      arrays.add(labels);
      return new RawInput(new MultilabelPredictions(scores, labels), arrays);
    }
    RankingPredictions r = (RankingPredictions) source;
    List<RankingPredictions.Query> queries = new ArrayList<>();
    for (RankingPredictions.Query q : r.queries()) {
      double[] scores = q.scores();
      double[] labels = q.labels();
      arrays.add(scores);
      arrays.add(labels);
      queries.add(new RankingPredictions.Query(q.id(), scores, labels));
    }
    return new RawInput(new RankingPredictions(queries), arrays);
  }

  /**
   * The predictions built from the kept arrays.
   *
   * @return the predictions, never null
   */
  public Predictions predictions() {
    return predictions;
  }

  /**
   * Whether every kept array still holds the values it held when this object was made.
   *
   * @return true if none was modified
   */
  public boolean unchanged() {
    return Arrays.deepEquals(arrays, snapshot);
  }

  private static Object deepClone(Object array) {
    if (array instanceof double[] a) {
      return a.clone();
    }
    if (array instanceof int[] a) {
      return a.clone();
    }
    Object[] rows = ((Object[]) array).clone();
    for (int i = 0; i < rows.length; i++) {
      rows[i] = deepClone(rows[i]);
    }
    return rows;
  }
}
