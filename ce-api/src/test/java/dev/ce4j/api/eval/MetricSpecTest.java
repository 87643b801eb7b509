package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.eval.MetricSpec.Direction;
import dev.ce4j.api.eval.MetricSpec.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricSpecTest {
  /** Declares a number, a count and a per-label count; returns what its constructor says. */
  private record Declaring(Evaluation result) implements Evaluator {
    @Override
    public String id() {
      return "declaring";
    }

    @Override
    public InputKind inputKind() {
      return InputKind.POINTWISE;
    }

    @Override
    public Evaluation evaluate(Predictions p, Parameters params) {
      return result;
    }

    @Override
    public List<MetricSpec> metrics(Parameters parameters) {
      return List.of(
          MetricSpec.lowerIsBetter("ece", "calibration error"),
          MetricSpec.count("n", "samples"),
          MetricSpec.countPerLabel("support_per_label", "samples per label"));
    }
  }

  @Test
  void factoriesSetKindAndDirection() {
    assertThat(MetricSpec.higherIsBetter("f1", "F1"))
        .isEqualTo(new MetricSpec("f1", Kind.SCALAR, Direction.HIGHER_IS_BETTER, "F1"));
    assertThat(MetricSpec.lowerIsBetter("ece", "")).extracting(MetricSpec::kind, MetricSpec::direction)
        .containsExactly(Kind.SCALAR, Direction.LOWER_IS_BETTER);
    assertThat(MetricSpec.neutral("f1_threshold", "")).extracting(MetricSpec::direction).isEqualTo(Direction.NONE);
    assertThat(MetricSpec.count("queries", "")).extracting(MetricSpec::kind, MetricSpec::direction)
        .containsExactly(Kind.COUNT, Direction.NONE);
    assertThat(MetricSpec.perLabel("f1_per_label", Direction.HIGHER_IS_BETTER, "").kind()).isEqualTo(Kind.PER_LABEL);
    assertThat(MetricSpec.countPerLabel("support_per_label", "").kind()).isEqualTo(Kind.COUNT_PER_LABEL);
  }

  @Test
  void kindsSayWhetherTheyAreArraysAndCounts() {
    assertThat(Kind.SCALAR.isArray()).isFalse();
    assertThat(Kind.SCALAR.isCount()).isFalse();
    assertThat(Kind.COUNT.isArray()).isFalse();
    assertThat(Kind.COUNT.isCount()).isTrue();
    assertThat(Kind.PER_LABEL.isArray()).isTrue();
    assertThat(Kind.PER_LABEL.isCount()).isFalse();
    assertThat(Kind.COUNT_PER_LABEL.isArray()).isTrue();
    assertThat(Kind.COUNT_PER_LABEL.isCount()).isTrue();
    assertThat(Kind.COUNT_PER_LABEL.jsonName()).isEqualTo("count_per_label");
    assertThat(Direction.HIGHER_IS_BETTER.jsonName()).isEqualTo("higher");
    assertThat(Direction.LOWER_IS_BETTER.jsonName()).isEqualTo("lower");
    assertThat(Direction.NONE.jsonName()).isEqualTo("none");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "F1", "hit rate", "mrr@10\t"})
  void rejectsMalformedKeysNamingThem(String key) {
    assertThatThrownBy(() -> MetricSpec.higherIsBetter(key, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + key + "'");
  }

  @Test
  void theRuleForUndeclaredMetricsGoesByShapeAndName() {
    assertThat(MetricSpec.inferred("ndcg@10", false))
        .isEqualTo(new MetricSpec("ndcg@10", Kind.SCALAR, Direction.HIGHER_IS_BETTER, ""));
    assertThat(MetricSpec.inferred("hamming_loss", false).direction()).isEqualTo(Direction.LOWER_IS_BETTER);
    assertThat(MetricSpec.inferred("train/loss", false).direction()).isEqualTo(Direction.LOWER_IS_BETTER);
    assertThat(MetricSpec.inferredDirection("dev/Eval_LOSS")).isEqualTo(Direction.LOWER_IS_BETTER);
    assertThat(MetricSpec.inferredDirection("dev/MAP")).isEqualTo(Direction.HIGHER_IS_BETTER);
    assertThat(MetricSpec.inferred("ece", false).direction())
        .as("the rule cannot know a calibration error; declaring it is what fixes that")
        .isEqualTo(Direction.HIGHER_IS_BETTER);
    assertThat(MetricSpec.inferred("f1_per_label", true).kind()).isEqualTo(Kind.PER_LABEL);
  }

  @Test
  void ofTakesTheDeclarationOrInfersFromTheResult() {
    Evaluation result = Evaluation.builder("declaring").put("ece", 0.25).put("n", 4)
        .putArray("support_per_label", new double[] {1, 3}).build();
    assertThat(MetricSpec.of(new Declaring(result), Parameters.empty(), result))
        .extracting(MetricSpec::key).containsExactly("ece", "n", "support_per_label");

    Evaluator undeclared = new Evaluator() {
      @Override public String id() { return "undeclared"; }
      @Override public InputKind inputKind() { return InputKind.POINTWISE; }
      @Override public Evaluation evaluate(Predictions p, Parameters params) { return result; }
    };
    assertThat(MetricSpec.of(undeclared, Parameters.empty(), result)).containsExactly(
        MetricSpec.inferred("ece", false), MetricSpec.inferred("n", false),
        MetricSpec.inferred("support_per_label", true));
  }

  @Test
  void mismatchesIsEmptyWhenTheResultIsAsDeclared() {
    Evaluation result = Evaluation.builder("declaring").put("ece", Double.NaN).put("n", 4)
        .putArray("support_per_label", new double[] {0, 3, Double.NaN}).build();
    assertThat(MetricSpec.mismatches(new Declaring(result).metrics(Parameters.empty()), result)).isEmpty();
  }

  @Test
  void mismatchesNamesEveryDisagreement() {
    Evaluation result = Evaluation.builder("declaring")
        .putArray("ece", new double[] {0.1})     // declared a number
        .put("n", 2.5)                             // declared a count
        .put("extra", 1)                           // not declared
        .build();                                  // support_per_label missing
    List<MetricSpec> declared = new Declaring(result).metrics(Parameters.empty());
    assertThat(MetricSpec.mismatches(declared, result)).containsExactly(
        "metric 'ece' is declared scalar but is an array",
        "metric 'n' is declared a count but holds 2.5, not a whole number >= 0",
        "declared metric 'support_per_label' is missing from the result",
        "metric 'extra' is in the result but not declared");
  }

  @Test
  void mismatchesRejectsNegativeAndInfiniteCountsAndRepeatedKeys() {
    Evaluation negative = Evaluation.builder("x").put("n", -1).build();
    Evaluation infinite = Evaluation.builder("x").put("n", Double.POSITIVE_INFINITY).build();
    List<MetricSpec> count = List.of(MetricSpec.count("n", ""));
    assertThat(MetricSpec.mismatches(count, negative)).singleElement().asString().contains("holds -1.0");
    assertThat(MetricSpec.mismatches(count, infinite)).singleElement().asString().contains("holds Infinity");
    assertThat(MetricSpec.mismatches(List.of(MetricSpec.count("n", ""), MetricSpec.count("n", "")),
        Evaluation.builder("x").put("n", 1).build()))
        .containsExactly("metric 'n' is declared twice");
  }
}
