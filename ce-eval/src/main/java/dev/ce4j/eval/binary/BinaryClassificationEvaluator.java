package dev.ce4j.eval.binary;

import com.google.auto.service.AutoService;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorInputs;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.eval.internal.ClassificationParameters;
import dev.ce4j.eval.internal.ClassificationZeroDivision;
import dev.ce4j.eval.internal.PrecisionRecallFScore;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code binary-classification}: F-beta, F1, precision, recall and accuracy of thresholded
 * scores, each at a given threshold or at its best one, and average precision.
 *
 * <p>Reads {@link InputKind#POINTWISE} predictions whose labels are 0 or 1 (1 is the positive
 * class). A sample is predicted positive iff {@code score >= threshold}. Metrics match current
 * scikit-learn (1.4 and later): {@code fbeta_score}, {@code precision_score},
 * {@code recall_score} with {@code average='binary'}, {@code accuracy_score} and
 * {@code average_precision_score}.
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code beta} (default 1): the F-beta weight, a number &gt; 0 (whose square is a positive
 *       finite double);
 *   <li>{@code threshold} (optional): a fixed decision threshold; when given, every metric is
 *       computed at it and every {@code *_threshold} key reports it;
 *   <li>{@code zero_division} (default {@code 0}): the value of a precision (nothing predicted
 *       positive), recall (no positive label) or F-beta (neither) whose denominator is zero:
 *       {@code 0}, {@code 1} or {@code nan}.
 * </ul>
 *
 * <p>Keys: {@value #FBETA}, {@value #FBETA_THRESHOLD}, {@value #PRECISION} and
 * {@value #RECALL} (both at {@value #FBETA_THRESHOLD}), {@value #F1}, {@value #F1_THRESHOLD},
 * {@value #ACCURACY}, {@value #ACCURACY_THRESHOLD}, {@value #AVERAGE_PRECISION}.
 *
 * <p><b>Threshold search</b> (no {@code threshold} given): each {@code *_threshold} is the best
 * threshold for its metric among these candidates: every distinct score value, and
 * {@code Math.nextUp(max score)} (predicts every sample negative; +Infinity if the highest score
 * is {@code Double.MAX_VALUE}). Samples with equal scores thus always fall on the same side.
 * Among candidates with equal metric values the <em>highest</em> threshold wins. Equality is
 * exact: F-beta is compared as a ratio of integer counts (with beta² as the double
 * {@code beta * beta}) and accuracy as a count, so values that are equal in exact arithmetic
 * tie even if their floating-point roundings differ. A {@code NaN} F-beta (only possible with
 * {@code zero_division=nan} when no label is positive and nothing is predicted positive) never
 * wins. {@code -0.0} is reported as {@code 0.0}. The search sorts the scores once and sweeps
 * them: O(n log n) time, O(n) memory.
 *
 * <p>{@value #AVERAGE_PRECISION} does not depend on the threshold: it is
 * {@code sum_k (R_k - R_{k-1}) P_k} over the distinct score values from the highest down, as in
 * scikit-learn's {@code average_precision_score}. With no positive label it is 0.0, as in
 * current scikit-learn (which sets recall to 1 at every threshold and warns).
 *
 * <p>Empty predictions (no samples) are rejected. Stateless and thread-safe; never modifies its
 * input.
 */
@AutoService(Evaluator.class)
public final class BinaryClassificationEvaluator implements Evaluator {
  /** The evaluator id, {@code binary-classification}. */
  public static final String ID = "binary-classification";

  /** F-beta at {@link #FBETA_THRESHOLD}. */
  public static final String FBETA = "fbeta";
  /** The threshold of {@link #FBETA}: given, or the one that maximises F-beta. */
  public static final String FBETA_THRESHOLD = "fbeta_threshold";
  /** Precision at {@link #FBETA_THRESHOLD}. */
  public static final String PRECISION = "precision";
  /** Recall at {@link #FBETA_THRESHOLD}. */
  public static final String RECALL = "recall";
  /** F1 at {@link #F1_THRESHOLD}. */
  public static final String F1 = "f1";
  /** The threshold of {@link #F1}: given, or the one that maximises F1. */
  public static final String F1_THRESHOLD = "f1_threshold";
  /** Accuracy at {@link #ACCURACY_THRESHOLD}. */
  public static final String ACCURACY = "accuracy";
  /** The threshold of {@link #ACCURACY}: given, or the one that maximises accuracy. */
  public static final String ACCURACY_THRESHOLD = "accuracy_threshold";
  /** Average precision (area under the step precision-recall curve), threshold-free. */
  public static final String AVERAGE_PRECISION = "average_precision";

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ClassificationParameters.BETA_SPEC,
      ParameterSpec.optional(ClassificationParameters.THRESHOLD,
          "fixed decision threshold (positive iff score >= threshold); when absent each metric"
              + " reports its best threshold"),
      ClassificationParameters.ZERO_DIVISION_SPEC);

  private static final List<MetricSpec> METRICS = List.of(
      MetricSpec.higherIsBetter(FBETA, "F-beta at fbeta_threshold"),
      MetricSpec.neutral(FBETA_THRESHOLD, "the threshold of fbeta: given, or the one that maximises F-beta"),
      MetricSpec.higherIsBetter(PRECISION, "precision at fbeta_threshold"),
      MetricSpec.higherIsBetter(RECALL, "recall at fbeta_threshold"),
      MetricSpec.higherIsBetter(F1, "F1 at f1_threshold"),
      MetricSpec.neutral(F1_THRESHOLD, "the threshold of f1: given, or the one that maximises F1"),
      MetricSpec.higherIsBetter(ACCURACY, "accuracy at accuracy_threshold"),
      MetricSpec.neutral(ACCURACY_THRESHOLD, "the threshold of accuracy: given, or the one that maximises it"),
      MetricSpec.higherIsBetter(AVERAGE_PRECISION, "average precision, threshold-free"));

  /** Creates the evaluator; cheap, no I/O. */
  public BinaryClassificationEvaluator() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.POINTWISE;
  }

  @Override
  public String description() {
    return "Binary classification: F-beta, F1, precision, recall and accuracy at a given or best"
        + " threshold, and average precision (labels 0/1, positive iff score >= threshold)";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /**
   * {@inheritDoc}
   *
   * @return the nine metrics, the same for every parameter value; the thresholds have no
   *     direction
   */
  @Override
  public List<MetricSpec> metrics(Parameters parameters) {
    parameters.requireKnown(ID, PARAMETERS);
    return METRICS;
  }

  /**
   * Computes the metrics.
   *
   * @param predictions {@link PointwisePredictions} with labels 0 or 1, never null, not modified
   * @param parameters {@code beta}, {@code threshold}, {@code zero_division}, never null
   * @return the metrics, never null
   * @throws InvalidInputException if the predictions are not pointwise, have no samples, or have
   *     a label other than 0 or 1 (naming its index and value), or a parameter is unknown or out
   *     of range (naming it)
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, PARAMETERS);
    double beta = ClassificationParameters.beta(parameters);
    ClassificationZeroDivision zd = ClassificationParameters.zeroDivision(parameters);
    OptionalDouble fixed = ClassificationParameters.threshold(parameters);
    PointwisePredictions pointwise = EvaluatorInputs.requireNonEmpty(ID, predictions, PointwisePredictions.class);

    double[] scores = pointwise.scores();
    double[] labels = pointwise.labels();
    EvaluatorInputs.requireBinaryLabels(ID, labels);
    int n = scores.length;
    int positiveCount = 0;
    for (double label : labels) {
      if (label == 1.0) {
        positiveCount++;
      }
    }
    double[] positives = new double[positiveCount];
    double[] negatives = new double[n - positiveCount];
    int pi = 0;
    int ni = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] == 1.0) {
        positives[pi++] = scores[i];
      } else {
        negatives[ni++] = scores[i];
      }
    }
    Arrays.sort(positives);
    Arrays.sort(negatives);

    double beta2 = beta * beta;
    ThresholdSweep.Result sweep = ThresholdSweep.sweep(positives, negatives, beta2, zd.value());
    ThresholdSweep.Point fbetaAt;
    ThresholdSweep.Point f1At;
    ThresholdSweep.Point accuracyAt;
    if (fixed.isPresent()) {
      double t = fixed.getAsDouble();
      fbetaAt = new ThresholdSweep.Point(t, countAtLeast(positives, t), countAtLeast(negatives, t));
      f1At = fbetaAt;
      accuracyAt = fbetaAt;
    } else {
      fbetaAt = sweep.bestFbeta();
      f1At = sweep.bestF1();
      accuracyAt = sweep.bestAccuracy();
    }
    long p = positiveCount;
    return Evaluation.builder(ID)
        .put(FBETA, fbeta(fbetaAt, p, beta2, zd))
        .put(FBETA_THRESHOLD, fbetaAt.threshold())
        .put(PRECISION,
            PrecisionRecallFScore.precision(fbetaAt.tp(), fbetaAt.tp() + fbetaAt.fp(), zd))
        .put(RECALL, PrecisionRecallFScore.recall(fbetaAt.tp(), p, zd))
        .put(F1, fbeta(f1At, p, 1.0, zd))
        .put(F1_THRESHOLD, f1At.threshold())
        .put(ACCURACY, (double) (accuracyAt.tp() + (n - p - accuracyAt.fp())) / n)
        .put(ACCURACY_THRESHOLD, accuracyAt.threshold())
        .put(AVERAGE_PRECISION, sweep.averagePrecision())
        .build();
  }

  private static double fbeta(ThresholdSweep.Point at, long positives, double beta2,
      ClassificationZeroDivision zd) {
    return PrecisionRecallFScore.fbeta(at.tp(), at.tp() + at.fp(), positives, beta2, zd);
  }

  /** The number of values {@code >= t} in an ascending array (-0.0 equals 0.0). */
  private static long countAtLeast(double[] ascending, double t) {
    int lo = 0;
    int hi = ascending.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ascending[mid] >= t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return ascending.length - lo;
  }
}
