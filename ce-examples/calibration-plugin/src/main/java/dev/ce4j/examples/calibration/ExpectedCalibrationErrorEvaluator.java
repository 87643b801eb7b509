package dev.ce4j.examples.calibration;

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
import java.util.List;
import java.util.Objects;

/**
 * Calibration of binary probabilities: expected calibration error (ECE), maximum calibration
 * error (MCE) and the Brier score.
 *
 * <p>Reads {@link PointwisePredictions} whose scores are probabilities of the positive class in
 * {@code [0, 1]} and whose labels are 0 or 1. The probabilities are put into {@code bins}
 * equal-width bins: bin {@code k} holds {@code k/bins <= p < (k+1)/bins}, and the last bin also
 * holds {@code p = 1}. With {@code n_k} samples in bin {@code k}, mean label {@code acc_k} and mean
 * probability {@code conf_k}:
 *
 * <ul>
 *   <li>{@value #ECE} = sum over bins of {@code (n_k / n) * |acc_k - conf_k|};
 *   <li>{@value #MCE} = the largest {@code |acc_k - conf_k|} over non-empty bins;
 *   <li>{@value #BRIER} = the mean of {@code (p - label)^2}, which does not depend on the bins.
 * </ul>
 *
 * <p>All three are errors: lower is better, and the evaluator declares them so ({@link #metrics}),
 * which is what lets a trainer rank checkpoints by {@code ece} the right way round. With no
 * predictions every metric is {@code NaN}. Stateless and thread-safe; inputs are not
 * modified.
 */
@AutoService(Evaluator.class)
public final class ExpectedCalibrationErrorEvaluator implements Evaluator {
  /** The evaluator id. */
  public static final String ID = "expected-calibration-error";
  /** Metric key: expected calibration error. */
  public static final String ECE = "ece";
  /** Metric key: maximum calibration error. */
  public static final String MCE = "mce";
  /** Metric key: Brier score. */
  public static final String BRIER = "brier";
  /** Parameter: the number of equal-width bins. */
  public static final String BINS = "bins";
  /** The default number of bins. */
  public static final int DEFAULT_BINS = 10;
  /** The largest number of bins accepted. */
  public static final int MAX_BINS = 1_000_000;

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.of(BINS, "Number of equal-width probability bins over [0, 1], 1 to " + MAX_BINS + ".",
          Integer.toString(DEFAULT_BINS)));

  private static final List<MetricSpec> METRICS = List.of(
      MetricSpec.lowerIsBetter(ECE, "Expected calibration error: the bin-size-weighted mean |accuracy - confidence|."),
      MetricSpec.lowerIsBetter(MCE, "Maximum calibration error: the largest |accuracy - confidence| of a bin."),
      MetricSpec.lowerIsBetter(BRIER, "Brier score: the mean squared difference of probability and label."));

  /** Creates the evaluator; cheap, no I/O. */
  public ExpectedCalibrationErrorEvaluator() {
    // stateless
  }

  /**
   * {@inheritDoc}
   *
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@link InputKind#POINTWISE}
   */
  @Override
  public InputKind inputKind() {
    return InputKind.POINTWISE;
  }

  @Override
  public String description() {
    return "Calibration of binary probabilities in [0, 1]: expected and maximum calibration error"
        + " over equal-width bins, and the Brier score.";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@value #ECE}, {@value #MCE} and {@value #BRIER}, all lower-is-better
   */
  @Override
  public List<MetricSpec> metrics(Parameters parameters) {
    bins(parameters);
    return METRICS;
  }

  private static int bins(Parameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    parameters.requireKnown(ID, PARAMETERS);
    int bins = parameters.getInt(BINS, DEFAULT_BINS);
    if (bins < 1 || bins > MAX_BINS) {
      throw new InvalidInputException(
          "parameter '" + BINS + "' must be between 1 and " + MAX_BINS + ", got " + bins);
    }
    return bins;
  }

  /**
   * Computes {@value #ECE}, {@value #MCE} and {@value #BRIER}, in that order.
   *
   * @param predictions pointwise predictions, never null, not modified
   * @param parameters at most {@value #BINS}, never null
   * @return the metrics, never null; all {@code NaN} when there are no predictions
   * @throws InvalidInputException if the predictions are not pointwise, a score is outside
   *     {@code [0, 1]} or a label is not 0 or 1 (naming its index), or {@code bins} is unknown,
   *     not a whole number or out of range
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    Objects.requireNonNull(predictions, "predictions");
    int bins = bins(parameters);
    PointwisePredictions pointwise = EvaluatorInputs.requireKind(ID, predictions, PointwisePredictions.class);
    double[] scores = pointwise.scores();
    double[] labels = pointwise.labels();
    EvaluatorInputs.requireBinaryLabels(ID, labels);
    int n = scores.length;
    if (n == 0) {
      return Evaluation.builder(ID)
          .put(ECE, Double.NaN).put(MCE, Double.NaN).put(BRIER, Double.NaN).build();
    }
    int[] count = new int[bins];
    double[] probabilitySum = new double[bins];
    double[] labelSum = new double[bins];
    double squaredErrorSum = 0;
    for (int i = 0; i < n; i++) {
      double p = scores[i];
      double y = labels[i];
      if (!(p >= 0 && p <= 1)) {
        throw new InvalidInputException("scores[" + i + "] is " + p + "; " + ID
            + " needs probabilities in [0, 1] (apply a sigmoid to raw scores first)");
      }
      int bin = Math.min((int) (p * bins), bins - 1);
      count[bin]++;
      probabilitySum[bin] += p;
      labelSum[bin] += y;
      squaredErrorSum += (p - y) * (p - y);
    }
    double ece = 0;
    double mce = 0;
    for (int k = 0; k < bins; k++) {
      if (count[k] > 0) {
        // (n_k / n) * |acc_k - conf_k| = |labelSum_k - probabilitySum_k| / n
        double gap = Math.abs(labelSum[k] - probabilitySum[k]);
        ece += gap / n;
        mce = Math.max(mce, gap / count[k]);
      }
    }
    return Evaluation.builder(ID)
        .put(ECE, ece)
        .put(MCE, mce)
        .put(BRIER, squaredErrorSum / n)
        .build();
  }
}
