package dev.ce4j.eval.multilabel;

import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.F1_MACRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.F1_MICRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.F1_PER_LABEL;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.F1_SAMPLES;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.F1_WEIGHTED;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.FBETA_MACRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.FBETA_MICRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.FBETA_PER_LABEL;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.FBETA_SAMPLES;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.FBETA_WEIGHTED;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.HAMMING_LOSS;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.PRECISION_MACRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.PRECISION_MICRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.PRECISION_PER_LABEL;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.PRECISION_SAMPLES;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.PRECISION_WEIGHTED;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.RECALL_MACRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.RECALL_MICRO;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.RECALL_PER_LABEL;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.RECALL_SAMPLES;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.RECALL_WEIGHTED;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.SUBSET_ACCURACY;
import static dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator.SUPPORT_PER_LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.eval.internal.ClassificationGolden;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MultilabelClassificationEvaluatorTest {
  private static final double EPS = 1e-12;
  private final MultilabelClassificationEvaluator evaluator =
      new MultilabelClassificationEvaluator();

  static Stream<Arguments> goldenCases() {
    return ClassificationGolden.cases("multilabel_cases.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void matchesScikitLearn(String name, JsonNode c) {
    MultilabelPredictions predictions = new MultilabelPredictions(
        ClassificationGolden.doubleMatrix(c.get("scores")),
        ClassificationGolden.intMatrix(c.get("labels")));
    Evaluation result = evaluator.evaluate(predictions, ClassificationGolden.parameters(c));
    ClassificationGolden.assertMatches(result, c);
  }

  /*
   * threshold 0.5          predicted    true
   * sample 0: 0.9 0.2  ->  1 0          1 0
   * sample 1: 0.6 0.7  ->  1 1          0 1
   * sample 2: 0.1 0.4  ->  0 0          1 1
   *
   * label 0: tp=1 predicted=2 support=2 -> P 1/2, R 1/2, F1 2/4 = 1/2
   * label 1: tp=1 predicted=1 support=2 -> P 1,   R 1/2, F1 2/3
   * micro:   tp=2 predicted=3 support=4 -> P 2/3, R 1/2, F1 4/7
   * macro = weighted (equal supports): P 3/4, R 1/2, F1 7/12
   * samples: s0 P 1 R 1 F1 1; s1 P 1/2 R 1 F1 2/3; s2 nothing predicted: P 0 (zero_division),
   *          R 0, F1 0  -> P 1/2, R 2/3, F1 5/9; with zero_division=nan P (1 + 1/2) / 2 = 3/4
   * subset accuracy 1/3 (only sample 0 exact); Hamming loss 3 wrong of 6 = 1/2
   */
  private static final double[][] SCORES = {{0.9, 0.2}, {0.6, 0.7}, {0.1, 0.4}};
  private static final int[][] LABELS = {{1, 0}, {0, 1}, {1, 1}};

  @Test
  void handWorked() {
    Evaluation e = evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS));
    assertThat(e.getArray(PRECISION_PER_LABEL)).containsExactly(0.5, 1.0);
    assertThat(e.getArray(RECALL_PER_LABEL)).containsExactly(0.5, 0.5);
    assertThat(e.getArray(F1_PER_LABEL)[1]).isCloseTo(2.0 / 3, within(EPS));
    assertThat(e.getArray(SUPPORT_PER_LABEL)).containsExactly(2.0, 2.0);
    assertThat(e.get(PRECISION_MICRO)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(e.get(RECALL_MICRO)).isCloseTo(0.5, within(EPS));
    assertThat(e.get(F1_MICRO)).isCloseTo(4.0 / 7, within(EPS));
    assertThat(e.get(FBETA_MICRO)).isCloseTo(4.0 / 7, within(EPS));
    assertThat(e.get(PRECISION_MACRO)).isCloseTo(0.75, within(EPS));
    assertThat(e.get(F1_MACRO)).isCloseTo(7.0 / 12, within(EPS));
    assertThat(e.get(F1_WEIGHTED)).isCloseTo(7.0 / 12, within(EPS));
    assertThat(e.get(PRECISION_SAMPLES)).isCloseTo(0.5, within(EPS));
    assertThat(e.get(RECALL_SAMPLES)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(e.get(F1_SAMPLES)).isCloseTo(5.0 / 9, within(EPS));
    assertThat(e.get(SUBSET_ACCURACY)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(e.get(HAMMING_LOSS)).isCloseTo(0.5, within(EPS));

    Evaluation nan = evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS),
        Parameters.of(Map.of("zero_division", "nan")));
    assertThat(nan.get(PRECISION_SAMPLES)).isCloseTo(0.75, within(EPS));
  }

  @Test
  void thresholdIsInclusive() {
    // at threshold 0.6, sample 1 label 0 (score 0.6) is still predicted; at 0.61 it is not
    Evaluation at = evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS),
        Parameters.of(Map.of("threshold", "0.6")));
    Evaluation above = evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS),
        Parameters.of(Map.of("threshold", "0.61")));
    assertThat(at.getArray(PRECISION_PER_LABEL)[0]).isCloseTo(0.5, within(EPS));
    assertThat(above.getArray(PRECISION_PER_LABEL)[0]).isCloseTo(1.0, within(EPS));
  }

  @Test
  void keysInContractOrder() {
    Evaluation e = evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS));
    assertThat(List.copyOf(e.keys())).containsExactly(
        FBETA_MICRO, FBETA_MACRO, FBETA_WEIGHTED, FBETA_SAMPLES,
        F1_MICRO, F1_MACRO, F1_WEIGHTED, F1_SAMPLES,
        PRECISION_MICRO, PRECISION_MACRO, PRECISION_WEIGHTED, PRECISION_SAMPLES,
        RECALL_MICRO, RECALL_MACRO, RECALL_WEIGHTED, RECALL_SAMPLES,
        FBETA_PER_LABEL, F1_PER_LABEL, PRECISION_PER_LABEL, RECALL_PER_LABEL, SUPPORT_PER_LABEL,
        SUBSET_ACCURACY, HAMMING_LOSS);
  }

  @Test
  void doesNotMutateItsInputAndIsDeterministic() {
    double[][] scores = {SCORES[0].clone(), SCORES[1].clone(), SCORES[2].clone()};
    int[][] labels = {LABELS[0].clone(), LABELS[1].clone(), LABELS[2].clone()};
    MultilabelPredictions predictions = new MultilabelPredictions(scores, labels);
    Evaluation first = evaluator.evaluate(predictions);
    Evaluation second = evaluator.evaluate(predictions);
    assertThat(predictions).isEqualTo(new MultilabelPredictions(SCORES, LABELS));
    assertThat(scores).isDeepEqualTo(SCORES);
    assertThat(labels).isDeepEqualTo(LABELS);
    assertThat(first).isEqualTo(second);
  }

  @ParameterizedTest
  @CsvSource({
      "beta, 0", "beta, -1", "beta, abc", "zero_division, 2", "threshold, abc"})
  void badParametersAreRejectedByName(String name, String value) {
    assertThatThrownBy(() -> evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS),
        Parameters.of(Map.of(name, value))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(value);
  }

  @ParameterizedTest
  @CsvSource({"gamma, 1", "zero-division, 0"})
  void unknownParametersAreRejectedByName(String name, String value) {
    assertThatThrownBy(() -> evaluator.evaluate(new MultilabelPredictions(SCORES, LABELS),
        Parameters.of(Map.of(name, value))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown parameter '" + name + "'");
  }

  @Test
  void emptyPredictionsAreRejected() {
    assertThatThrownBy(() -> evaluator.evaluate(
        new MultilabelPredictions(new double[0][], new int[0][])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no samples");
  }

  @Test
  void otherKindsAreRejectedNamingTheExpectedKind() {
    assertThatThrownBy(() -> evaluator.evaluate(
        new PointwisePredictions(new double[] {0.1}, new double[] {1})))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("MULTILABEL");
  }

  @Test
  void metadataAndDiscovery() {
    assertThat(evaluator.id()).isEqualTo("multilabel-classification");
    assertThat(evaluator.inputKind()).isEqualTo(InputKind.MULTILABEL);
    assertThat(evaluator.description()).isNotBlank();
    assertThat(evaluator.parameters()).extracting(p -> p.name())
        .containsExactly("beta", "threshold", "zero_division");
    assertThat(evaluator.parameters().get(1).defaultValue()).contains("0.5");
    assertThat(EvaluatorRegistry.load().ids()).contains("multilabel-classification");
  }
}
