package dev.ce4j.examples.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.test.EvaluatorContractTest;
import java.util.Map;

/**
 * The plugin passes the contract kit that every evaluator passes, with a three-method subclass,
 * plus the override for its documented empty-input behaviour (NaN metrics rather than an error).
 */
class ExpectedCalibrationErrorContractTest extends EvaluatorContractTest {
  @Override
  protected Evaluator evaluator() {
    return new ExpectedCalibrationErrorEvaluator();
  }

  /** Certain and right: every sample is in a bin whose accuracy equals its confidence. */
  @Override
  protected Case perfect() {
    return Case.of(
        new PointwisePredictions(new double[] {1.0, 0.0, 1.0, 0.0}, new double[] {1, 0, 1, 0}),
        Map.of("ece", 0.0, "mce", 0.0, "brier", 0.0));
  }

  /** Certain and wrong: every gap is 1 and every squared error is 1. */
  @Override
  protected Case worst() {
    return Case.of(
        new PointwisePredictions(new double[] {0.0, 1.0, 0.0, 1.0}, new double[] {1, 0, 1, 0}),
        Map.of("ece", 1.0, "mce", 1.0, "brier", 1.0));
  }

  /** Documented: no predictions give NaN for every metric. */
  @Override
  protected void checkEmptyInput(Evaluator evaluator, Predictions empty) {
    Evaluation e = evaluator.evaluate(empty, Parameters.empty());
    assertThat(e.keys()).containsExactly("ece", "mce", "brier");
    assertThat(e.keys()).allSatisfy(k -> assertThat(e.get(k)).isNaN());
  }
}
