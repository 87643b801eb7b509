package dev.ce4j.eval.internal;

import java.util.Objects;

/**
 * Precision, recall and F-beta from confusion counts, as current scikit-learn (1.4 and later)
 * computes them in {@code precision_recall_fscore_support}.
 *
 * <ul>
 *   <li>precision = tp / predicted, recall = tp / actual, where predicted = tp + fp and
 *       actual = tp + fn (the support);
 *   <li>F-beta = (1 + beta²) tp / (beta² actual + predicted), which equals
 *       (1 + beta²) tp / ((1 + beta²) tp + beta² fn + fp) and is computed from the counts, not
 *       from precision and recall;
 *   <li>a zero denominator gives the {@link ClassificationZeroDivision} value (so F-beta is
 *       undefined only when tp + fp + fn = 0);
 *   <li>macro and samples averages are the mean of the values that are not {@code NaN}
 *       ({@code NaN} if none is), the weighted average weighs each non-{@code NaN} value by
 *       its support and falls back to the plain mean of those values when their supports sum
 *       to zero (scikit-learn's {@code _nanaverage}).
 * </ul>
 *
 * <p>Stateless and thread-safe; arrays passed in are not modified.
 */
public final class PrecisionRecallFScore {
  private PrecisionRecallFScore() {}

  /**
   * {@code numerator / denominator}, or the zero-division value when the denominator is 0.
   *
   * @param numerator the numerator
   * @param denominator the denominator
   * @param zeroDivision the value for a zero denominator, never null
   * @return the quotient or the zero-division value
   */
  public static double divide(double numerator, double denominator,
      ClassificationZeroDivision zeroDivision) {
    return denominator == 0.0 ? zeroDivision.value() : numerator / denominator;
  }

  /**
   * Precision, tp / predicted.
   *
   * @param tp true positives
   * @param predicted predicted positives (tp + fp)
   * @param zeroDivision the value when nothing is predicted positive, never null
   * @return the precision
   */
  public static double precision(long tp, long predicted, ClassificationZeroDivision zeroDivision) {
    return divide(tp, predicted, zeroDivision);
  }

  /**
   * Recall, tp / actual.
   *
   * @param tp true positives
   * @param actual actual positives (tp + fn), the support
   * @param zeroDivision the value when nothing is truly positive, never null
   * @return the recall
   */
  public static double recall(long tp, long actual, ClassificationZeroDivision zeroDivision) {
    return divide(tp, actual, zeroDivision);
  }

  /**
   * F-beta from counts: {@code (1 + beta2) tp / (beta2 actual + predicted)}.
   *
   * @param tp true positives
   * @param predicted predicted positives (tp + fp)
   * @param actual actual positives (tp + fn)
   * @param beta2 beta squared, positive and finite
   * @param zeroDivision the value when tp + fp + fn = 0, never null
   * @return the F-beta score
   */
  public static double fbeta(long tp, long predicted, long actual, double beta2,
      ClassificationZeroDivision zeroDivision) {
    double denominator = beta2 * actual + predicted;
    return divide((1 + beta2) * tp, denominator, zeroDivision);
  }

  /**
   * The mean of the values that are not {@code NaN}.
   *
   * @param values the values, never null
   * @return the mean, or {@code NaN} if every value is {@code NaN} or there are none
   */
  public static double nanMean(double[] values) {
    double sum = 0;
    int count = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /**
   * The support-weighted mean of the values that are not {@code NaN}; when the weights of those
   * values sum to zero, their plain mean.
   *
   * @param values the values, never null
   * @param weights one non-negative weight per value, never null
   * @return the mean, or {@code NaN} if every value is {@code NaN} or there are none
   */
  public static double nanWeightedMean(double[] values, long[] weights) {
    double weighted = 0;
    double weightSum = 0;
    boolean any = false;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        weighted += values[i] * weights[i];
        weightSum += weights[i];
        any = true;
      }
    }
    if (!any) {
      return Double.NaN;
    }
    return weightSum == 0 ? nanMean(values) : weighted / weightSum;
  }

  /**
   * Per-label precision, recall, F-beta, F1 and support with their micro, macro and weighted
   * averages, from per-label counts.
   *
   * @param tp true positives per label, never null
   * @param predicted predicted positives per label, never null, same length
   * @param actual actual positives (supports) per label, never null, same length
   * @param beta the F-beta weight, positive with a positive finite square
   * @param zeroDivision the zero-division setting, never null
   * @return the table, never null
   */
  public static Table table(long[] tp, long[] predicted, long[] actual, double beta,
      ClassificationZeroDivision zeroDivision) {
    return new Table(tp, predicted, actual, beta, zeroDivision);
  }

  /** Micro, macro and weighted averages of one metric. Immutable and thread-safe. */
  public record Averages(double micro, double macro, double weighted) {}

  /**
   * Per-label metrics and their averages, computed once at construction. Immutable and
   * thread-safe; array accessors return copies.
   */
  public static final class Table {
    private final double[] precision;
    private final double[] recall;
    private final double[] fbeta;
    private final double[] f1;
    private final double[] support;
    private final Averages precisionAverages;
    private final Averages recallAverages;
    private final Averages fbetaAverages;
    private final Averages f1Averages;

    private Table(long[] tp, long[] predicted, long[] actual, double beta,
        ClassificationZeroDivision zd) {
      Objects.requireNonNull(zd, "zeroDivision");
      int labels = tp.length;
      if (predicted.length != labels || actual.length != labels) {
        throw new IllegalArgumentException("count arrays differ in length");
      }
      double beta2 = beta * beta;
      precision = new double[labels];
      recall = new double[labels];
      fbeta = new double[labels];
      f1 = new double[labels];
      support = new double[labels];
      long tpSum = 0;
      long predictedSum = 0;
      long actualSum = 0;
      for (int j = 0; j < labels; j++) {
        precision[j] = PrecisionRecallFScore.precision(tp[j], predicted[j], zd);
        recall[j] = PrecisionRecallFScore.recall(tp[j], actual[j], zd);
        fbeta[j] = PrecisionRecallFScore.fbeta(tp[j], predicted[j], actual[j], beta2, zd);
        f1[j] = PrecisionRecallFScore.fbeta(tp[j], predicted[j], actual[j], 1.0, zd);
        support[j] = actual[j];
        tpSum += tp[j];
        predictedSum += predicted[j];
        actualSum += actual[j];
      }
      precisionAverages = new Averages(PrecisionRecallFScore.precision(tpSum, predictedSum, zd),
          nanMean(precision), nanWeightedMean(precision, actual));
      recallAverages = new Averages(PrecisionRecallFScore.recall(tpSum, actualSum, zd),
          nanMean(recall), nanWeightedMean(recall, actual));
      fbetaAverages = new Averages(
          PrecisionRecallFScore.fbeta(tpSum, predictedSum, actualSum, beta2, zd),
          nanMean(fbeta), nanWeightedMean(fbeta, actual));
      f1Averages = new Averages(
          PrecisionRecallFScore.fbeta(tpSum, predictedSum, actualSum, 1.0, zd),
          nanMean(f1), nanWeightedMean(f1, actual));
    }

    /**
     * Precision per label.
     *
     * @return a copy, never null
     */
    public double[] precision() {
      return precision.clone();
    }

    /**
     * Recall per label.
     *
     * @return a copy, never null
     */
    public double[] recall() {
      return recall.clone();
    }

    /**
     * F-beta per label.
     *
     * @return a copy, never null
     */
    public double[] fbeta() {
      return fbeta.clone();
    }

    /**
     * F1 per label.
     *
     * @return a copy, never null
     */
    public double[] f1() {
      return f1.clone();
    }

    /**
     * Support (number of actual positives) per label.
     *
     * @return a copy, never null
     */
    public double[] support() {
      return support.clone();
    }

    /**
     * Averages of precision.
     *
     * @return the averages, never null
     */
    public Averages precisionAverages() {
      return precisionAverages;
    }

    /**
     * Averages of recall.
     *
     * @return the averages, never null
     */
    public Averages recallAverages() {
      return recallAverages;
    }

    /**
     * Averages of F-beta.
     *
     * @return the averages, never null
     */
    public Averages fbetaAverages() {
      return fbetaAverages;
    }

    /**
     * Averages of F1.
     *
     * @return the averages, never null
     */
    public Averages f1Averages() {
      return f1Averages;
    }
  }
}
