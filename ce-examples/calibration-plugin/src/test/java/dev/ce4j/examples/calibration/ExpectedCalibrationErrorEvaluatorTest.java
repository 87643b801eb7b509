package dev.ce4j.examples.calibration;

import static dev.ce4j.examples.calibration.ExpectedCalibrationErrorEvaluator.BRIER;
import static dev.ce4j.examples.calibration.ExpectedCalibrationErrorEvaluator.ECE;
import static dev.ce4j.examples.calibration.ExpectedCalibrationErrorEvaluator.ID;
import static dev.ce4j.examples.calibration.ExpectedCalibrationErrorEvaluator.MCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpectedCalibrationErrorEvaluatorTest {
  private static final double EPS = 1e-12;
  private final ExpectedCalibrationErrorEvaluator evaluator = new ExpectedCalibrationErrorEvaluator();

  private Evaluation evaluate(double[] scores, double[] labels, int bins) {
    return evaluator.evaluate(new PointwisePredictions(scores, labels),
        Parameters.of(Map.of("bins", Integer.toString(bins))));
  }

  /**
   * Hand-worked cases: (scores, labels, bins, ece, mce, brier). With sums per bin,
   * ece = sum_k |sum(y) - sum(p)| / n and mce = max_k |sum(y) - sum(p)| / n_k.
   */
  static Stream<Arguments> handWorked() {
    return Stream.of(
        // bins=2: {0.1, 0.4} mean p .25, mean y 0 -> .25; {0.6, 0.9} mean p .75, mean y 1 -> .25.
        // ece = .5*.25 + .5*.25 = .25; brier = (.01 + .16 + .16 + .01) / 4 = .085
        Arguments.of(new double[] {0.1, 0.4, 0.6, 0.9}, new double[] {0, 0, 1, 1}, 2, 0.25, 0.25, 0.085),
        // bins=2: {0.2, 0.3} mean p .25, mean y .5 -> .25 (n=2); {0.8} y 1 -> .2 (n=1).
        // ece = 2/3*.25 + 1/3*.2 = .7/3; mce = .25; brier = (.64 + .09 + .04) / 3 = .77/3
        Arguments.of(new double[] {0.2, 0.3, 0.8}, new double[] {1, 0, 1}, 2, 0.7 / 3, 0.25, 0.77 / 3),
        // bins=10: 0.05 -> bin 0 (gap .05), 0.15 and 0.15 -> bin 1 (sum y 1, sum p .3: gap .7 over 2),
        // 1.0 -> bin 9 (gap 0). ece = (.05 + .7 + 0) / 4 = .1875; mce = max(.05, .35, 0) = .35;
        // brier = (.0025 + .7225 + .0225 + 0) / 4 = .186875
        Arguments.of(new double[] {0.05, 0.15, 0.15, 1.0}, new double[] {0, 1, 0, 1}, 10, 0.1875, 0.35, 0.186875),
        // perfectly calibrated on average in one bin: p = .5, half positive
        Arguments.of(new double[] {0.5, 0.5}, new double[] {0, 1}, 10, 0.0, 0.0, 0.25),
        // one bin: ece = mce = |mean y - mean p| = |.5 - .35| = .15; brier = (.01 + .16) / 2
        Arguments.of(new double[] {0.1, 0.6}, new double[] {0, 1}, 1, 0.15, 0.15, 0.085),
        // a bin edge goes to the upper bin: with bins=2, 0.5 shares bin 1 with 1.0 (sum y 1,
        // sum p 1.5: gap .5 over 2), so mce = .25; had 0.5 gone to bin 0, mce would be .5
        Arguments.of(new double[] {0.5, 1.0}, new double[] {0, 1}, 2, 0.25, 0.25, 0.125));
  }

  @ParameterizedTest
  @MethodSource("handWorked")
  void handWorkedValues(double[] scores, double[] labels, int bins, double ece, double mce, double brier) {
    Evaluation e = evaluate(scores, labels, bins);
    assertThat(e.keys()).containsExactly(ECE, MCE, BRIER);
    assertThat(e.evaluatorId()).isEqualTo(ID);
    assertThat(e.get(ECE)).isCloseTo(ece, within(EPS));
    assertThat(e.get(MCE)).isCloseTo(mce, within(EPS));
    assertThat(e.get(BRIER)).isCloseTo(brier, within(EPS));
  }

  @Test
  void defaultsToTenBins() {
    PointwisePredictions p = new PointwisePredictions(new double[] {0.05, 0.15, 0.15, 1.0}, new double[] {0, 1, 0, 1});
    assertThat(evaluator.evaluate(p)).isEqualTo(evaluate(p.scores(), p.labels(), 10));
    assertThat(evaluator.evaluate(p)).isNotEqualTo(evaluate(p.scores(), p.labels(), 2));
  }

  @Test
  void noPredictionsGiveNaN() {
    Evaluation e = evaluator.evaluate(new PointwisePredictions(new double[0], new double[0]));
    assertThat(e.get(ECE)).isNaN();
    assertThat(e.get(MCE)).isNaN();
    assertThat(e.get(BRIER)).isNaN();
  }

  @Test
  void doesNotModifyItsInput() {
    double[] scores = {0.2, 0.3, 0.8};
    PointwisePredictions p = new PointwisePredictions(scores, new double[] {1, 0, 1});
    evaluator.evaluate(p);
    assertThat(p.scores()).containsExactly(0.2, 0.3, 0.8);
  }

  static Stream<Arguments> badPredictions() {
    return Stream.of(
        Arguments.of(new double[] {0.5, -0.1}, new double[] {0, 1}, "scores[1] is -0.1"),
        Arguments.of(new double[] {1.0000001, 0.5}, new double[] {0, 1}, "scores[0] is 1.0000001"),
        Arguments.of(new double[] {0.5, 3.0}, new double[] {0, 1}, "[0, 1]"),
        Arguments.of(new double[] {0.5, 0.5, 0.5}, new double[] {0, 1, 2}, "labels[2] is 2.0"),
        Arguments.of(new double[] {0.5}, new double[] {0.5}, "labels[0] is 0.5"));
  }

  @ParameterizedTest
  @MethodSource("badPredictions")
  void rejectsBadPredictionsNamingTheIndex(double[] scores, double[] labels, String fragment) {
    assertThatThrownBy(() -> evaluator.evaluate(new PointwisePredictions(scores, labels)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(fragment);
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of(Map.of("bins", "0"), "parameter 'bins' must be between 1 and"),
        Arguments.of(Map.of("bins", "-3"), "parameter 'bins' must be between 1 and"),
        Arguments.of(Map.of("bins", "1000001"), "parameter 'bins' must be between 1 and"),
        Arguments.of(Map.of("bins", "2.5"), "parameter 'bins' must be an integer"),
        Arguments.of(Map.of("bins", "ten"), "parameter 'bins' must be an integer"),
        Arguments.of(Map.of("beta", "1"), "unknown parameter 'beta'"));
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void rejectsBadParametersNamingThem(Map<String, String> params, String fragment) {
    PointwisePredictions p = new PointwisePredictions(new double[] {0.5}, new double[] {1});
    assertThatThrownBy(() -> evaluator.evaluate(p, Parameters.of(params)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(fragment);
  }

  @Test
  void rejectsOtherKindsOfPredictions() {
    MulticlassPredictions p = new MulticlassPredictions(new double[][] {{0.2, 0.8}}, new int[] {1});
    assertThatThrownBy(() -> evaluator.evaluate(p))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("POINTWISE").hasMessageContaining(ID);
  }

  @Test
  void isDiscoveredThroughItsServiceFile() {
    assertThat(EvaluatorRegistry.load().get(ID)).isInstanceOf(ExpectedCalibrationErrorEvaluator.class);
    assertThat(evaluator.inputKind()).isEqualTo(InputKind.POINTWISE);
    assertThat(evaluator.parameters()).singleElement()
        .satisfies(s -> assertThat(s.defaultValue()).contains("10"));
  }
}
