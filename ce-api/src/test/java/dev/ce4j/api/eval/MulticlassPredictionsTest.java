package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MulticlassPredictionsTest {
  private static final double[][] SCORES = {{0.1, 0.7, 0.2}, {0.5, 0.3, 0.2}};

  @Test
  void holdsScoresAndLabels() {
    MulticlassPredictions p = new MulticlassPredictions(SCORES, new int[] {1, 0});
    assertThat(p.scores()).isDeepEqualTo(SCORES);
    assertThat(p.labels()).containsExactly(1, 0);
    assertThat(p.classCount()).isEqualTo(3);
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.kind()).isEqualTo(InputKind.MULTICLASS);
  }

  @Test
  void emptyIsValidWithNoClasses() {
    MulticlassPredictions p = new MulticlassPredictions(new double[0][], new int[0]);
    assertThat(p.size()).isZero();
    assertThat(p.classCount()).isZero();
  }

  @Test
  void raggedRowsAreRejectedNamingTheRow() {
    assertThatThrownBy(() -> new MulticlassPredictions(new double[][] {{1, 2, 3}, {1, 2}}, new int[] {0, 1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1] has 2 values but scores[0] has 3");
  }

  @Test
  void anEmptyRowIsRejected() {
    assertThatThrownBy(() -> new MulticlassPredictions(new double[][] {{}}, new int[] {0}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[0] is empty");
  }

  @Test
  void aNullRowIsRejected() {
    assertThatThrownBy(() -> new MulticlassPredictions(new double[][] {{1, 2}, null}, new int[] {0, 1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1] is null");
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void aNonFiniteScoreIsRejectedNamingRowAndColumn(double bad) {
    assertThatThrownBy(() -> new MulticlassPredictions(new double[][] {{1, 2, 3}, {1, 2, bad}}, new int[] {0, 1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1][2] is " + bad);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 3, 100})
  void aLabelOutsideTheClassesIsRejected(int bad) {
    assertThatThrownBy(() -> new MulticlassPredictions(SCORES, new int[] {0, bad}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("labels[1] is " + bad)
        .hasMessageContaining("3 classes")
        .hasMessageContaining("0..2");
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThatThrownBy(() -> new MulticlassPredictions(SCORES, new int[] {0}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores has 2 entries but labels has 1");
  }

  @Test
  void mutatingTheInputArraysDoesNotChangeTheRecord() {
    double[][] scores = {{0.1, 0.9}, {0.8, 0.2}};
    int[] labels = {1, 0};
    MulticlassPredictions p = new MulticlassPredictions(scores, labels);
    scores[0][0] = 7;
    scores[1] = new double[] {5, 5};
    labels[0] = 0;
    assertThat(p.scores()).isDeepEqualTo(new double[][] {{0.1, 0.9}, {0.8, 0.2}});
    assertThat(p.labels()).containsExactly(1, 0);
  }

  @Test
  void mutatingTheAccessorsResultsDoesNotChangeTheRecord() {
    MulticlassPredictions p = new MulticlassPredictions(new double[][] {{0.1, 0.9}}, new int[] {1});
    p.scores()[0][0] = 7;
    p.labels()[0] = 0;
    assertThat(p.scores()).isDeepEqualTo(new double[][] {{0.1, 0.9}});
    assertThat(p.labels()).containsExactly(1);
  }

  @Test
  void equalityIsByContent() {
    MulticlassPredictions a = new MulticlassPredictions(SCORES, new int[] {1, 0});
    assertThat(a).isEqualTo(new MulticlassPredictions(SCORES, new int[] {1, 0}))
        .hasSameHashCodeAs(new MulticlassPredictions(SCORES, new int[] {1, 0}))
        .isNotEqualTo(new MulticlassPredictions(SCORES, new int[] {1, 1}));
    assertThat(a.toString()).contains("size=2", "classes=3");
  }
}
