package dev.ce4j.eval.multiclass;

import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.ACCURACY;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.F1_MACRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.F1_MICRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.F1_PER_LABEL;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.F1_WEIGHTED;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.FBETA_MACRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.FBETA_MICRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.FBETA_PER_LABEL;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.FBETA_WEIGHTED;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.PRECISION_MACRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.PRECISION_MICRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.PRECISION_PER_LABEL;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.PRECISION_WEIGHTED;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.RECALL_MACRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.RECALL_MICRO;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.RECALL_PER_LABEL;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.RECALL_WEIGHTED;
import static dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator.SUPPORT_PER_LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.eval.internal.ClassificationGolden;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MulticlassClassificationEvaluatorTest {
  private static final double EPS = 1e-12;
  private final MulticlassClassificationEvaluator evaluator =
      new MulticlassClassificationEvaluator();

  static Stream<Arguments> goldenCases() {
    return ClassificationGolden.cases("multiclass_cases.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void matchesScikitLearn(String name, JsonNode c) {
    MulticlassPredictions predictions = new MulticlassPredictions(
        ClassificationGolden.doubleMatrix(c.get("scores")),
        ClassificationGolden.ints(c.get("labels")));
    Evaluation result = evaluator.evaluate(predictions, ClassificationGolden.parameters(c));
    ClassificationGolden.assertMatches(result, c);
  }

  /*
   * scores            argmax  true
   * 0.7 0.2 0.1   ->  0       0
   * 0.1 0.8 0.1   ->  1       1
   * 0.3 0.3 0.4   ->  2       1
   * 0.5 0.5 0.0   ->  0 (tie: first index)   1
   * 0.2 0.6 0.2   ->  1       2
   *
   * class 0: tp=1 predicted=2 support=1 -> P 1/2, R 1,   F1 2/3
   * class 1: tp=1 predicted=2 support=3 -> P 1/2, R 1/3, F1 2/5
   * class 2: tp=0 predicted=1 support=1 -> P 0,   R 0,   F1 0
   * accuracy = micro P = micro R = micro F1 = 2/5
   * macro:    P 1/3, R 4/9, F1 (2/3 + 2/5) / 3 = 16/45
   * weighted: P (1/2 + 3/2) / 5 = 2/5, R (1 + 1) / 5 = 2/5, F1 (2/3 + 6/5) / 5 = 28/75
   */
  private static final double[][] SCORES = {
      {0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}, {0.5, 0.5, 0.0}, {0.2, 0.6, 0.2}};
  private static final int[] LABELS = {0, 1, 1, 1, 2};

  @Test
  void handWorked() {
    Evaluation e = evaluator.evaluate(new MulticlassPredictions(SCORES, LABELS));
    assertThat(e.get(ACCURACY)).isCloseTo(0.4, within(EPS));
    assertThat(e.get(PRECISION_MICRO)).isCloseTo(0.4, within(EPS));
    assertThat(e.get(RECALL_MICRO)).isCloseTo(0.4, within(EPS));
    assertThat(e.get(F1_MICRO)).isCloseTo(0.4, within(EPS));
    assertThat(e.getArray(PRECISION_PER_LABEL)).containsExactly(0.5, 0.5, 0.0);
    assertThat(e.getArray(RECALL_PER_LABEL)[1]).isCloseTo(1.0 / 3, within(EPS));
    assertThat(e.getArray(F1_PER_LABEL)[0]).isCloseTo(2.0 / 3, within(EPS));
    assertThat(e.getArray(F1_PER_LABEL)[1]).isCloseTo(0.4, within(EPS));
    assertThat(e.getArray(SUPPORT_PER_LABEL)).containsExactly(1.0, 3.0, 1.0);
    assertThat(e.get(PRECISION_MACRO)).isCloseTo(1.0 / 3, within(EPS));
    assertThat(e.get(RECALL_MACRO)).isCloseTo(4.0 / 9, within(EPS));
    assertThat(e.get(F1_MACRO)).isCloseTo(16.0 / 45, within(EPS));
    assertThat(e.get(PRECISION_WEIGHTED)).isCloseTo(0.4, within(EPS));
    assertThat(e.get(RECALL_WEIGHTED)).isCloseTo(0.4, within(EPS));
    assertThat(e.get(F1_WEIGHTED)).isCloseTo(28.0 / 75, within(EPS));
  }

  @Test
  void undefinedValuesAreNaNAndLeftOutOfAveragesWithZeroDivisionNan() {
    // class 2 is neither true nor predicted: P, R, F undefined
    double[][] scores = {{0.9, 0.1, 0.0}, {0.2, 0.7, 0.1}};
    Evaluation e = evaluator.evaluate(new MulticlassPredictions(scores, new int[] {0, 0}),
        Parameters.of(Map.of("zero_division", "nan")));
    // class 0: tp 1, predicted 1, support 2 -> P 1, R 1/2; class 1: tp 0, predicted 1 -> P 0,
    // R undefined (support 0)
    assertThat(e.getArray(PRECISION_PER_LABEL)).containsExactly(1.0, 0.0, Double.NaN);
    assertThat(e.getArray(RECALL_PER_LABEL)).containsExactly(0.5, Double.NaN, Double.NaN);
    assertThat(e.get(PRECISION_MACRO)).isCloseTo(0.5, within(EPS));
    assertThat(e.get(RECALL_MACRO)).isCloseTo(0.5, within(EPS));
    assertThat(e.get(PRECISION_WEIGHTED)).isCloseTo(1.0, within(EPS));
  }

  @Test
  void keysInContractOrder() {
    Evaluation e = evaluator.evaluate(new MulticlassPredictions(SCORES, LABELS));
    assertThat(List.copyOf(e.keys())).containsExactly(ACCURACY,
        FBETA_MICRO, FBETA_MACRO, FBETA_WEIGHTED, F1_MICRO, F1_MACRO, F1_WEIGHTED,
        PRECISION_MICRO, PRECISION_MACRO, PRECISION_WEIGHTED,
        RECALL_MICRO, RECALL_MACRO, RECALL_WEIGHTED,
        FBETA_PER_LABEL, F1_PER_LABEL, PRECISION_PER_LABEL, RECALL_PER_LABEL, SUPPORT_PER_LABEL);
  }

  @Test
  void doesNotMutateItsInputAndIsDeterministic() {
    double[][] scores = new double[SCORES.length][];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = SCORES[i].clone();
    }
    int[] labels = LABELS.clone();
    MulticlassPredictions predictions = new MulticlassPredictions(scores, labels);
    Evaluation first = evaluator.evaluate(predictions);
    Evaluation second = evaluator.evaluate(predictions);
    assertThat(predictions).isEqualTo(new MulticlassPredictions(SCORES, LABELS));
    assertThat(scores).isDeepEqualTo(SCORES);
    assertThat(labels).containsExactly(LABELS);
    assertThat(first).isEqualTo(second);
  }

  @ParameterizedTest
  @CsvSource({"beta, 0", "beta, -1", "beta, abc", "zero_division, 2"})
  void badParametersAreRejectedByName(String name, String value) {
    assertThatThrownBy(() -> evaluator.evaluate(new MulticlassPredictions(SCORES, LABELS),
        Parameters.of(Map.of(name, value))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(value);
  }

  @ParameterizedTest
  @CsvSource({"gamma, 1", "threshold, 0.5"})
  void unknownParametersAreRejectedByName(String name, String value) {
    assertThatThrownBy(() -> evaluator.evaluate(new MulticlassPredictions(SCORES, LABELS),
        Parameters.of(Map.of(name, value))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown parameter '" + name + "'");
  }

  @Test
  void emptyPredictionsAreRejected() {
    assertThatThrownBy(() -> evaluator.evaluate(
        new MulticlassPredictions(new double[0][], new int[0])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no samples");
  }

  @Test
  void otherKindsAreRejectedNamingTheExpectedKind() {
    assertThatThrownBy(() -> evaluator.evaluate(
        new MultilabelPredictions(new double[][] {{0.1, 0.9}}, new int[][] {{0, 1}})))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("MULTICLASS");
  }

  @Test
  void metadataAndDiscovery() {
    assertThat(evaluator.id()).isEqualTo("multiclass-classification");
    assertThat(evaluator.inputKind()).isEqualTo(InputKind.MULTICLASS);
    assertThat(evaluator.description()).isNotBlank();
    assertThat(evaluator.parameters()).extracting(p -> p.name())
        .containsExactly("beta", "zero_division");
    assertThat(EvaluatorRegistry.load().ids()).contains("multiclass-classification");
  }
}
