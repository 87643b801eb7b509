package dev.ce4j.eval.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CorrelationEvaluatorTest {
  private static final double TOLERANCE = 1e-9;
  private static final String GOLDEN = "/golden/correlation/correlation_cases.json";

  private final CorrelationEvaluator evaluator = new CorrelationEvaluator();

  private static PointwisePredictions predictions(double[] scores, double[] labels) {
    return new PointwisePredictions(scores, labels);
  }

  // ------------------------------------------------------------------ hand-worked fixtures

  @Test
  void handWorkedWithATie() {
    // scores x = [1, 1, 2, 3, 4], labels y = [2, 1, 4, 3, 5]
    // Pearson: mean x = 2.2, mean y = 3; deviations dx = [-1.2, -1.2, -0.2, 0.8, 1.8],
    //   dy = [-1, -2, 1, 0, 2]; sum dx*dy = 7, sum dx^2 = 6.8, sum dy^2 = 10;
    //   r = 7 / sqrt(68) = 0.8488746876
    // Spearman: ranks x = [1.5, 1.5, 3, 4, 5] (the two 1s share ranks 1 and 2), ranks y =
    //   [2, 1, 4, 3, 5]; both mean 3; deviations [-1.5, -1.5, 0, 1, 2] and [-1, -2, 1, 0, 2];
    //   sums 8.5, 9.5, 10; rho = 8.5 / sqrt(95) = 0.8720815993
    Evaluation e = evaluator.evaluate(
        predictions(new double[] {1, 1, 2, 3, 4}, new double[] {2, 1, 4, 3, 5}));

    assertThat(e.keys()).containsExactly("pearson", "spearman");
    assertThat(e.get("pearson")).isCloseTo(7 / Math.sqrt(68), within(1e-15));
    assertThat(e.get("spearman")).isCloseTo(8.5 / Math.sqrt(95), within(1e-15));
  }

  @Test
  void averageRanksShareTiedRanks() {
    assertThat(Correlations.averageRanks(new double[] {10, 20, 10, 30}))
        .containsExactly(1.5, 3, 1.5, 4);
    assertThat(Correlations.averageRanks(new double[] {0.0, -0.0, -1}))
        .containsExactly(2.5, 2.5, 1);
    assertThat(Correlations.averageRanks(new double[] {7, 7, 7})).containsExactly(2, 2, 2);
  }

  @Test
  void twoSamplesGiveTheSignOfTheSlope() {
    assertThat(evaluator.evaluate(predictions(new double[] {0.1, 0.7}, new double[] {1, 3}))
        .get("pearson")).isEqualTo(1.0);
    assertThat(evaluator.evaluate(predictions(new double[] {0.1, 0.7}, new double[] {3, 1}))
        .get("spearman")).isCloseTo(-1.0, within(1e-15));
  }

  @Test
  void constantInputGivesNaN() {
    Evaluation scoresConstant = evaluator.evaluate(
        predictions(new double[] {0.1, 0.1, 0.1}, new double[] {1, 2, 3}));
    Evaluation labelsConstant = evaluator.evaluate(
        predictions(new double[] {1, 2, 3}, new double[] {4, 4, 4}));

    assertThat(scoresConstant.get("pearson")).isNaN();
    assertThat(scoresConstant.get("spearman")).isNaN();
    assertThat(labelsConstant.get("pearson")).isNaN();
    assertThat(labelsConstant.get("spearman")).isNaN();
  }

  @Test
  void largeCommonOffsetKeepsFullAccuracy() {
    // y = 2x exactly, so r = 1, even 1e9 away from zero where x*x has no digit left for the noise
    double[] x = {1e9 + 0.25, 1e9 - 0.5, 1e9 + 1.0, 1e9 - 0.75};
    double[] y = {0.5, -1.0, 2.0, -1.5};

    assertThat(evaluator.evaluate(predictions(x, y)).get("pearson"))
        .isCloseTo(1.0, within(1e-15));
  }

  @Test
  void describesItself() {
    assertThat(evaluator.id()).isEqualTo("correlation");
    assertThat(evaluator.inputKind()).isEqualTo(InputKind.POINTWISE);
    assertThat(evaluator.description()).isNotBlank();
    assertThat(evaluator.parameters()).isEmpty();
    assertThat(EvaluatorRegistry.load().get("correlation"))
        .isInstanceOf(CorrelationEvaluator.class);
  }

  // ------------------------------------------------------------------ validation

  @Test
  void rejectsNoSamples() {
    assertThatThrownBy(() -> evaluator.evaluate(predictions(new double[0], new double[0])))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no samples");
  }

  @Test
  void rejectsOneSample() {
    assertThatThrownBy(() -> evaluator.evaluate(predictions(new double[] {1}, new double[] {2})))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void rejectsAnyParameter() {
    PointwisePredictions p = predictions(new double[] {1, 2}, new double[] {2, 1});

    assertThatThrownBy(() -> evaluator.evaluate(p, Parameters.of(Map.of("method", "kendall"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'method'")
        .hasMessageContaining("takes no parameters");
  }

  @Test
  void rejectsOtherKindsNamingTheExpectedOne() {
    RankingPredictions p = new RankingPredictions(List.of(
        new RankingPredictions.Query("q", new double[] {1}, new double[] {1})));

    assertThatThrownBy(() -> evaluator.evaluate(p))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("POINTWISE")
        .hasMessageContaining("RANKING");
  }

  @Test
  void doesNotModifyItsInput() {
    double[] scores = {3, 1, 2, 1};
    double[] labels = {0.5, 0.25, 1e6, -2};
    PointwisePredictions p = predictions(scores, labels);

    Evaluation first = evaluator.evaluate(p);
    Evaluation second = evaluator.evaluate(p);

    assertThat(p).isEqualTo(predictions(new double[] {3, 1, 2, 1},
        new double[] {0.5, 0.25, 1e6, -2}));
    assertThat(scores).containsExactly(3, 1, 2, 1);
    assertThat(labels).containsExactly(0.5, 0.25, 1e6, -2);
    assertThat(second).isEqualTo(first);
  }

  // ------------------------------------------------------------------ golden: scipy

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void matchesScipy(String name, double[] scores, double[] labels, double pearson,
      double spearman) {
    Evaluation e = evaluator.evaluate(predictions(scores, labels));

    assertSame(name + " pearson", e.get("pearson"), pearson);
    assertSame(name + " spearman", e.get("spearman"), spearman);
    // symmetric in its two inputs
    Evaluation swapped = evaluator.evaluate(predictions(labels, scores));
    assertSame(name + " pearson swapped", swapped.get("pearson"), pearson);
    assertSame(name + " spearman swapped", swapped.get("spearman"), spearman);
  }

  private static void assertSame(String what, double actual, double expected) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as(what).isNaN();
    } else {
      assertThat(actual).as(what).isCloseTo(expected, within(TOLERANCE));
    }
  }

  static Stream<Arguments> goldenCases() {
    JsonNode root;
    try (InputStream in = CorrelationEvaluatorTest.class.getResourceAsStream(GOLDEN)) {
      assertThat(in).as(GOLDEN).isNotNull();
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      out.add(Arguments.of(c.get("name").asText(), doubles(c.get("scores")),
          doubles(c.get("labels")), number(c.get("pearson")), number(c.get("spearman"))));
    }
    assertThat(out).hasSizeGreaterThan(50);
    return out.stream();
  }

  private static double number(JsonNode v) {
    assertThat(v).isNotNull();
    return v.isNull() ? Double.NaN : v.asDouble();
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
