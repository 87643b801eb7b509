package dev.ce4j.eval.binary;

import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.ACCURACY;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.ACCURACY_THRESHOLD;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.AVERAGE_PRECISION;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.F1;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.F1_THRESHOLD;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.FBETA;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.FBETA_THRESHOLD;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.PRECISION;
import static dev.ce4j.eval.binary.BinaryClassificationEvaluator.RECALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.eval.internal.ClassificationGolden;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryClassificationEvaluatorTest {
  private static final double EPS = 1e-12;
  private final BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator();

  static Stream<Arguments> goldenCases() {
    return ClassificationGolden.cases("binary_cases.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void matchesScikitLearn(String name, JsonNode c) {
    PointwisePredictions predictions = new PointwisePredictions(
        ClassificationGolden.doubles(c.get("scores")), ClassificationGolden.doubles(c.get("labels")));
    Evaluation result = evaluator.evaluate(predictions, ClassificationGolden.parameters(c));
    ClassificationGolden.assertMatches(result, c);
  }

  /*
   * scores 0.9  0.8  0.6  0.6  0.3      P = 3 positives, N = 2 negatives
   * labels 1    0    1    0    1
   *
   * threshold      tp fp  F1 = 2tp/(3+tp+fp)  F2 = 5tp/(12+tp+fp)  accuracy (tp+2-fp)/5
   * nextUp(0.9)     0  0   0                    0                   0.4
   * 0.9             1  0   2/4 = 0.5            5/13                0.6
   * 0.8             1  1   2/5 = 0.4            5/14                0.4
   * 0.6             2  2   4/7                  10/16               0.4
   * 0.3             3  2   6/8 = 0.75           15/17               0.6
   *
   * best F1 and F2 at 0.3 (precision 3/5, recall 1); best accuracy 0.6 at 0.9 and 0.3: the
   * highest, 0.9, wins. AP = 1/3*1 (0.9) + 1/3*2/4 (0.6) + 1/3*3/5 (0.3) = 21/30 = 0.7.
   */
  private static final double[] SCORES = {0.9, 0.8, 0.6, 0.6, 0.3};
  private static final double[] LABELS = {1, 0, 1, 0, 1};

  @Test
  void handWorkedSearch() {
    Evaluation e = evaluator.evaluate(new PointwisePredictions(SCORES, LABELS),
        Parameters.of(Map.of("beta", "2")));
    assertThat(e.get(FBETA)).isCloseTo(15.0 / 17, within(EPS));
    assertThat(e.get(FBETA_THRESHOLD)).isEqualTo(0.3);
    assertThat(e.get(PRECISION)).isCloseTo(0.6, within(EPS));
    assertThat(e.get(RECALL)).isCloseTo(1.0, within(EPS));
    assertThat(e.get(F1)).isCloseTo(0.75, within(EPS));
    assertThat(e.get(F1_THRESHOLD)).isEqualTo(0.3);
    assertThat(e.get(ACCURACY)).isCloseTo(0.6, within(EPS));
    assertThat(e.get(ACCURACY_THRESHOLD)).isEqualTo(0.9);
    assertThat(e.get(AVERAGE_PRECISION)).isCloseTo(0.7, within(EPS));
  }

  @Test
  void handWorkedFixedThreshold() {
    // at 0.6: tp=2, fp=2, fn=1 -> precision 1/2, recall 2/3, F1 4/7, accuracy 2/5
    Evaluation e = evaluator.evaluate(new PointwisePredictions(SCORES, LABELS),
        Parameters.of(Map.of("threshold", "0.6")));
    assertThat(e.get(PRECISION)).isCloseTo(0.5, within(EPS));
    assertThat(e.get(RECALL)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(e.get(FBETA)).isCloseTo(4.0 / 7, within(EPS));
    assertThat(e.get(F1)).isCloseTo(4.0 / 7, within(EPS));
    assertThat(e.get(ACCURACY)).isCloseTo(0.4, within(EPS));
    assertThat(e.get(FBETA_THRESHOLD)).isEqualTo(0.6);
    assertThat(e.get(F1_THRESHOLD)).isEqualTo(0.6);
    assertThat(e.get(ACCURACY_THRESHOLD)).isEqualTo(0.6);
    assertThat(e.get(AVERAGE_PRECISION)).isCloseTo(0.7, within(EPS));
  }

  @Test
  void keysInContractOrder() {
    Evaluation e = evaluator.evaluate(new PointwisePredictions(SCORES, LABELS));
    assertThat(List.copyOf(e.keys())).containsExactly(FBETA, FBETA_THRESHOLD, PRECISION, RECALL,
        F1, F1_THRESHOLD, ACCURACY, ACCURACY_THRESHOLD, AVERAGE_PRECISION);
    assertThat(e.evaluatorId()).isEqualTo("binary-classification");
  }

  @Test
  void tiedScoresAreNeverSplit() {
    // Four tied samples, two positive: a sweep that moved one sample at a time would report
    // F1 = 1 after the two positives; the only real thresholds give F1 = 4/6 (0.7) or 0 (above).
    double[] scores = {0.7, 0.7, 0.7, 0.7};
    for (double[] labels : List.of(new double[] {1, 1, 0, 0}, new double[] {0, 0, 1, 1},
        new double[] {1, 0, 1, 0})) {
      Evaluation e = evaluator.evaluate(new PointwisePredictions(scores, labels));
      assertThat(e.get(F1)).isCloseTo(2.0 / 3, within(EPS));
      assertThat(e.get(F1_THRESHOLD)).isEqualTo(0.7);
      assertThat(e.get(PRECISION)).isCloseTo(0.5, within(EPS));
      assertThat(e.get(RECALL)).isCloseTo(1.0, within(EPS));
      // accuracy 1/2 both at 0.7 and above it: the higher threshold wins
      assertThat(e.get(ACCURACY)).isCloseTo(0.5, within(EPS));
      assertThat(e.get(ACCURACY_THRESHOLD)).isEqualTo(Math.nextUp(0.7));
    }
  }

  @Test
  void searchedThresholdsAreBestAmongCandidatesAndNeverSplitTies() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(40);
      double[] scores = new double[n];
      double[] labels = new double[n];
      for (int i = 0; i < n; i++) {
        scores[i] = random.nextInt(6) / 5.0;  // heavy ties
        labels[i] = random.nextInt(2);
      }
      Evaluation e = evaluator.evaluate(new PointwisePredictions(scores, labels),
          Parameters.of(Map.of("beta", "2")));
      TreeSet<Double> candidates = new TreeSet<>();
      double max = Double.NEGATIVE_INFINITY;
      for (double s : scores) {
        candidates.add(s);
        max = Math.max(max, s);
      }
      candidates.add(Math.nextUp(max));
      for (String key : List.of(FBETA_THRESHOLD, F1_THRESHOLD, ACCURACY_THRESHOLD)) {
        assertThat(candidates).contains(e.get(key));
      }
      double bestF2 = 0;
      double bestAccuracy = 0;
      for (double t : candidates) {
        bestF2 = Math.max(bestF2, fbetaAt(scores, labels, t, 4.0));
        bestAccuracy = Math.max(bestAccuracy, accuracyAt(scores, labels, t));
      }
      assertThat(e.get(FBETA)).isCloseTo(bestF2, within(EPS));
      assertThat(fbetaAt(scores, labels, e.get(FBETA_THRESHOLD), 4.0))
          .isCloseTo(e.get(FBETA), within(EPS));
      assertThat(e.get(ACCURACY)).isCloseTo(bestAccuracy, within(EPS));
      assertThat(accuracyAt(scores, labels, e.get(ACCURACY_THRESHOLD)))
          .isCloseTo(e.get(ACCURACY), within(EPS));
      // the highest best threshold: every higher candidate is strictly worse
      for (double t : candidates.tailSet(e.get(ACCURACY_THRESHOLD), false)) {
        assertThat(accuracyAt(scores, labels, t)).isLessThan(e.get(ACCURACY) - EPS);
      }
      for (double t : candidates.tailSet(e.get(FBETA_THRESHOLD), false)) {
        assertThat(fbetaAt(scores, labels, t, 4.0)).isLessThan(e.get(FBETA) - EPS);
      }
    }
  }

  private static double fbetaAt(double[] scores, double[] labels, double t, double beta2) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < scores.length; i++) {
      boolean predicted = scores[i] >= t;
      if (predicted && labels[i] == 1) {
        tp++;
      } else if (predicted) {
        fp++;
      } else if (labels[i] == 1) {
        fn++;
      }
    }
    double denominator = (1 + beta2) * tp + beta2 * fn + fp;
    return denominator == 0 ? 0 : (1 + beta2) * tp / denominator;
  }

  private static double accuracyAt(double[] scores, double[] labels, double t) {
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      if ((scores[i] >= t) == (labels[i] == 1)) {
        correct++;
      }
    }
    return (double) correct / scores.length;
  }

  @Test
  void zeroDivisionNanWithoutPositives() {
    // no positive label: F is 0 wherever something is predicted, NaN where nothing is; NaN never
    // wins, so the best F threshold is the highest score, where recall is undefined
    Evaluation e = evaluator.evaluate(
        new PointwisePredictions(new double[] {0.2, 0.4}, new double[] {0, 0}),
        Parameters.of(Map.of("zero_division", "nan")));
    assertThat(e.get(FBETA)).isEqualTo(0.0);
    assertThat(e.get(FBETA_THRESHOLD)).isEqualTo(0.4);
    assertThat(e.get(PRECISION)).isEqualTo(0.0);
    assertThat(e.get(RECALL)).isNaN();
    assertThat(e.get(AVERAGE_PRECISION)).isEqualTo(0.0);
  }

  @Test
  void doesNotMutateItsInputAndIsDeterministic() {
    double[] scores = SCORES.clone();
    double[] labels = LABELS.clone();
    PointwisePredictions predictions = new PointwisePredictions(scores, labels);
    PointwisePredictions copy = new PointwisePredictions(SCORES.clone(), LABELS.clone());
    Evaluation first = evaluator.evaluate(predictions);
    Evaluation second = evaluator.evaluate(predictions);
    assertThat(predictions).isEqualTo(copy);
    assertThat(predictions.scores()).containsExactly(SCORES);
    assertThat(scores).containsExactly(SCORES);
    assertThat(labels).containsExactly(LABELS);
    assertThat(first).isEqualTo(second);
  }

  @ParameterizedTest
  @CsvSource({
      "beta, 0", "beta, -1", "beta, abc", "beta, 1e200",
      "zero_division, 2", "zero_division, warn", "threshold, abc", "threshold, NaN"})
  void badParametersAreRejectedByName(String name, String value) {
    assertThatThrownBy(() -> evaluator.evaluate(new PointwisePredictions(SCORES, LABELS),
        Parameters.of(Map.of(name, value))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(value);
  }

  @ParameterizedTest
  @ValueSource(doubles = {2, -1, 0.5})
  void labelsOtherThanZeroOrOneAreRejectedWithIndexAndValue(double bad) {
    assertThatThrownBy(() -> evaluator.evaluate(
        new PointwisePredictions(new double[] {0.1, 0.2, 0.3}, new double[] {0, 1, bad})))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("labels[2]")
        .hasMessageContaining(String.valueOf(bad));
  }

  @ParameterizedTest
  @CsvSource({"gamma, 1", "Beta, 2", "thresholds, 0.5"})
  void unknownParametersAreRejectedByName(String name, String value) {
    assertThatThrownBy(() -> evaluator.evaluate(new PointwisePredictions(SCORES, LABELS),
        Parameters.of(Map.of(name, value))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown parameter '" + name + "'");
  }

  @Test
  void emptyPredictionsAreRejected() {
    assertThatThrownBy(() -> evaluator.evaluate(
        new PointwisePredictions(new double[0], new double[0])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no samples");
  }

  @Test
  void otherKindsAreRejectedNamingTheExpectedKind() {
    MulticlassPredictions multiclass =
        new MulticlassPredictions(new double[][] {{0.1, 0.9}}, new int[] {1});
    assertThatThrownBy(() -> evaluator.evaluate(multiclass))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("POINTWISE");
  }

  @Test
  void metadataAndDiscovery() {
    assertThat(evaluator.id()).isEqualTo("binary-classification");
    assertThat(evaluator.inputKind()).isEqualTo(InputKind.POINTWISE);
    assertThat(evaluator.description()).isNotBlank();
    assertThat(evaluator.parameters()).extracting(p -> p.name())
        .containsExactly("beta", "threshold", "zero_division");
    assertThat(evaluator.parameters().get(0).defaultValue()).contains("1");
    assertThat(evaluator.parameters().get(1).defaultValue()).isEmpty();
    assertThat(evaluator.parameters().get(2).defaultValue()).contains("0");
    assertThat(EvaluatorRegistry.load().ids()).contains("binary-classification");
  }

  @Test
  void exactComparisonWhereDoubleRoundingWouldTie() {
    // 0.3 as a double is 0.29999999999999998889...; times 1e15 it is 3e14 - 0.0111..., which
    // rounds to exactly 3e14. Exactly, 3e14 > 0.3 * 1e15; in doubles they look equal.
    long k = 1_000_000_000_000_000L;
    assertThat(0.3 * k).isEqualTo(3e14);
    assertThat(ThresholdSweep.exceeds(300_000_000_000_000L, 0.3, k)).isTrue();
    assertThat(ThresholdSweep.exceeds(300_000_000_000_000L, 0.1 * 3, k)).isFalse();
    assertThat(ThresholdSweep.exceeds(5, 2.5, 2)).isFalse();
    assertThat(ThresholdSweep.exceeds(6, 2.5, 2)).isTrue();
    assertThat(ThresholdSweep.exceeds(-6, 2.5, -2)).isFalse();
    // beyond 2^53 the comparison goes through BigDecimal
    long big = (1L << 60) + 1;
    assertThat(ThresholdSweep.exceeds(big, 1.0, big - 1)).isTrue();
    assertThat(ThresholdSweep.exceeds(big - 1, 1.0, big)).isFalse();
  }

  @Test
  void negativeZeroIsReportedAsZero() {
    Evaluation e = evaluator.evaluate(
        new PointwisePredictions(new double[] {-0.0, 0.0, -1}, new double[] {1, 1, 0}));
    assertThat(Double.doubleToRawLongBits(e.get(F1_THRESHOLD)))
        .isEqualTo(Double.doubleToRawLongBits(0.0));
    assertThat(e.get(F1)).isEqualTo(1.0);
    assertThat(e.get(ACCURACY)).isEqualTo(1.0);
  }
}
