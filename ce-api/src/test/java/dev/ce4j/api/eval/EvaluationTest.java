package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvaluationTest {
  private static Evaluation sample() {
    return Evaluation.builder("binary-classification")
        .put("fbeta", 0.75)
        .put("precision", Double.NaN)
        .putArray("recall_per_label", new double[] {0.5, 1})
        .build();
  }

  @Test
  void keepsValuesAndInsertionOrder() {
    Evaluation e = sample();
    assertThat(e.evaluatorId()).isEqualTo("binary-classification");
    assertThat(e.keys()).containsExactly("fbeta", "precision", "recall_per_label");
    assertThat(e.get("fbeta")).isCloseTo(0.75, within(0.0));
    assertThat(e.get("precision")).isNaN();
    assertThat(e.getArray("recall_per_label")).containsExactly(0.5, 1);
    assertThat(e.has("fbeta")).isTrue();
    assertThat(e.has("f1")).isFalse();
    assertThat(e.isArray("recall_per_label")).isTrue();
    assertThat(e.isArray("fbeta")).isFalse();
  }

  @Test
  void anAbsentKeyThrowsNamingItAndListingTheKeys() {
    assertThatThrownBy(() -> sample().get("f1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'f1'")
        .hasMessageContaining("'binary-classification'")
        .hasMessageContaining("[fbeta, precision, recall_per_label]");
    assertThatThrownBy(() -> sample().getArray("f1_per_label"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'f1_per_label'");
    assertThatThrownBy(() -> sample().isArray("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void theWrongAccessorSaysWhichToUse() {
    assertThatThrownBy(() -> sample().get("recall_per_label"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use getArray");
    assertThatThrownBy(() -> sample().getArray("fbeta"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use get");
  }

  @Test
  void equalsTreatsNanAsEqualAndComparesArraysByContent() {
    assertThat(sample()).isEqualTo(sample()).hasSameHashCodeAs(sample());
  }

  @Test
  void evaluationsDifferingInIdKeysOrValuesAreNotEqual() {
    Evaluation base = Evaluation.builder("x").put("a", 1).putArray("b", new double[] {1, 2}).build();
    assertThat(base)
        .isNotEqualTo(Evaluation.builder("y").put("a", 1).putArray("b", new double[] {1, 2}).build())
        .isNotEqualTo(Evaluation.builder("x").put("a", 2).putArray("b", new double[] {1, 2}).build())
        .isNotEqualTo(Evaluation.builder("x").put("a", 1).putArray("b", new double[] {1, 3}).build())
        .isNotEqualTo(Evaluation.builder("x").put("a", 1).put("b", 1).build())
        .isNotEqualTo(Evaluation.builder("x").put("a", 1).build())
        .isNotEqualTo(Evaluation.builder("x").put("c", 1).putArray("b", new double[] {1, 2}).build())
        .isNotEqualTo("x");
  }

  @Test
  void arraysAreCopiedInAndOut() {
    double[] values = {0.5, 1};
    Evaluation e = Evaluation.builder("x").putArray("v", values).build();
    values[0] = 9;
    e.getArray("v")[1] = 9;
    assertThat(e.getArray("v")).containsExactly(0.5, 1);
  }

  @Test
  void keysCannotBeChanged() {
    assertThatThrownBy(() -> sample().keys().remove("fbeta")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theBuilderDoesNotChangeABuiltEvaluation() {
    Evaluation.Builder b = Evaluation.builder("x").put("a", 1);
    Evaluation e = b.build();
    b.put("b", 2);
    assertThat(e.keys()).containsExactly("a");
  }

  @Test
  void aDuplicateKeyIsRejectedNamingIt() {
    assertThatThrownBy(() -> Evaluation.builder("x").put("fbeta", 1).putArray("fbeta", new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fbeta'")
        .hasMessageContaining("twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"F1", "Fbeta_Macro", "", " "})
  void aKeyThatIsNotNonBlankLowercaseIsRejected(String key) {
    assertThatThrownBy(() -> Evaluation.builder("x").put(key, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + key + "'");
  }

  @Test
  void nullsAreRejected() {
    assertThatThrownBy(() -> Evaluation.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Evaluation.builder("x").put(null, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Evaluation.builder("x").putArray("a", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> sample().get(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toStringListsIdAndValues() {
    assertThat(sample()).hasToString("binary-classification{fbeta=0.75, precision=NaN, recall_per_label=[0.5, 1.0]}");
  }
}
