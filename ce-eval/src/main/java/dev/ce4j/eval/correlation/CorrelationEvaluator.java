package dev.ce4j.eval.correlation;

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
 * Correlation between scores and numeric labels (id {@code correlation}), as used for
 * semantic-similarity benchmarks: {@code pearson} and {@code spearman}.
 *
 * <ul>
 *   <li>{@code pearson}: Pearson's r, equal to {@code scipy.stats.pearsonr(scores, labels)}.
 *   <li>{@code spearman}: Spearman's rho, Pearson's r of the ranks, tied values sharing the mean
 *       of the ranks they cover; equal to {@code scipy.stats.spearmanr(scores, labels)}.
 * </ul>
 *
 * <p>Labels may be any finite numbers. When the scores or the labels are constant, both
 * coefficients are undefined and reported as {@code NaN} (scipy returns {@code nan} with a
 * warning). Fewer than two samples is an error, as in scipy. The computation takes deviations
 * from a two-pass mean after exact power-of-two scaling, so large common offsets and extreme
 * magnitudes keep full accuracy. No parameters. Cost: O(n log n). Stateless and thread-safe;
 * never modifies its input.
 */
@AutoService(Evaluator.class)
public final class CorrelationEvaluator implements Evaluator {
  /** The evaluator id. */
  public static final String ID = "correlation";
  /** Key of Pearson's correlation coefficient. */
  public static final String PEARSON = "pearson";
  /** Key of Spearman's rank correlation coefficient. */
  public static final String SPEARMAN = "spearman";

  private static final List<MetricSpec> METRICS = List.of(
      MetricSpec.higherIsBetter(PEARSON, "Pearson's r between scores and labels"),
      MetricSpec.higherIsBetter(SPEARMAN, "Spearman's rho between scores and labels"));

  /** Creates the evaluator; cheap, does no I/O. */
  public CorrelationEvaluator() {}

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
    return "Pearson and Spearman correlation between scores and numeric labels";
  }

  /**
   * {@inheritDoc}
   *
   * @return an empty list: this evaluator takes no parameters
   */
  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  /**
   * {@inheritDoc}
   *
   * @return {@code pearson} and {@code spearman}, both higher-is-better
   */
  @Override
  public List<MetricSpec> metrics(Parameters parameters) {
    parameters.requireKnown(ID, parameters());
    return METRICS;
  }

  /**
   * Computes {@code pearson} and {@code spearman}, in that order.
   *
   * @param predictions {@link PointwisePredictions} with any finite labels, never null, not
   *     modified
   * @param parameters must be empty, never null
   * @return the metrics, never null; both NaN when scores or labels are constant
   * @throws InvalidInputException if the predictions are not pointwise, hold no samples ("no
   *     samples") or only one, or any parameter is given
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    PointwisePredictions pointwise = EvaluatorInputs.requireNonEmpty(ID, predictions, PointwisePredictions.class);
    parameters.requireKnown(ID, parameters());
    if (pointwise.size() < 2) {
      throw new InvalidInputException(
          "only 1 sample: evaluator '" + ID + "' needs at least 2 scored samples to correlate");
    }
    double[] scores = pointwise.scores();
    double[] labels = pointwise.labels();
    return Evaluation.builder(ID)
        .put(PEARSON, Correlations.pearson(scores, labels))
        .put(SPEARMAN, Correlations.spearman(scores, labels))
        .build();
  }
}
