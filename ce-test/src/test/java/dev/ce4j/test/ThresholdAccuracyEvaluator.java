package dev.ce4j.test;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import java.util.List;
import java.util.Objects;

/**
 * A small, correct evaluator for the kit's self-tests: the share of 0/1 labels predicted right
 * when a sample is positive iff {@code score >= threshold}. Rejects empty input.
 */
public class ThresholdAccuracyEvaluator implements Evaluator {
  /** The accuracy key. */
  public static final String ACCURACY = "accuracy";
  /** The error-rate key. */
  public static final String ERROR_RATE = "error_rate";
  /** The threshold parameter. */
  public static final String THRESHOLD = "threshold";

  @Override
  public String id() {
    return "threshold-accuracy";
  }

  @Override
  public InputKind inputKind() {
    return InputKind.POINTWISE;
  }

  @Override
  public String description() {
    return "Share of 0/1 labels predicted right at a fixed threshold.";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.of(THRESHOLD, "positive iff score >= threshold", "0.5"));
  }

  @Override
  public List<MetricSpec> metrics(Parameters parameters) {
    return List.of(
        MetricSpec.higherIsBetter(ACCURACY, "share of labels predicted right"),
        MetricSpec.lowerIsBetter(ERROR_RATE, "share of labels predicted wrong"));
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(parameters, "parameters");
    checkParameters(parameters);
    if (!(predictions instanceof PointwisePredictions p)) {
      throw new InvalidInputException(id() + " reads pointwise predictions, not " + predictions.kind());
    }
    if (p.size() == 0) {
      throw new InvalidInputException(id() + " needs at least one prediction; the input is empty");
    }
    return compute(p.scores(), p.labels(), threshold(parameters));
  }

  /** Rejects unknown parameters; overridden by a broken fixture. */
  void checkParameters(Parameters parameters) {
    parameters.requireKnown(id(), parameters());
  }

  /** The threshold in use; overridden by a broken fixture. */
  double threshold(Parameters parameters) {
    return parameters.getDouble(THRESHOLD, 0.5);
  }

  /** The metrics; overridden by broken fixtures. */
  Evaluation compute(double[] scores, double[] labels, double threshold) {
    int right = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new InvalidInputException("labels[" + i + "] is " + labels[i] + "; labels must be 0 or 1");
      }
      if ((scores[i] >= threshold) == (labels[i] == 1)) {
        right++;
      }
    }
    double accuracy = (double) right / scores.length;
    return Evaluation.builder(id()).put(ACCURACY, accuracy).put(ERROR_RATE, 1 - accuracy).build();
  }
}
