package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultilabelPredictionsTest {
  private static final double[][] SCORES = {{0.1, 0.7, 0.2}, {0.5, 0.3, 0.9}};
  private static final int[][] LABELS = {{0, 1, 0}, {1, 0, 1}};

  @Test
  void holdsScoresAndLabels() {
    MultilabelPredictions p = new MultilabelPredictions(SCORES, LABELS);
    assertThat(p.scores()).isDeepEqualTo(SCORES);
    assertThat(p.labels()).isDeepEqualTo(LABELS);
    assertThat(p.labelCount()).isEqualTo(3);
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.kind()).isEqualTo(InputKind.MULTILABEL);
  }

  @Test
  void emptyIsValid() {
    MultilabelPredictions p = new MultilabelPredictions(new double[0][], new int[0][]);
    assertThat(p.size()).isZero();
    assertThat(p.labelCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 2, 5})
  void aLabelOtherThanZeroOrOneIsRejectedNamingRowAndColumn(int bad) {
    assertThatThrownBy(() -> new MultilabelPredictions(SCORES, new int[][] {{0, 1, 0}, {1, bad, 1}}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("labels[1][1] is " + bad)
        .hasMessageContaining("0 or 1");
  }

  @Test
  void raggedScoreRowsAreRejected() {
    assertThatThrownBy(() -> new MultilabelPredictions(new double[][] {{1, 2}, {1}}, new int[][] {{0, 1}, {1}}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1] has 1 values but scores[0] has 2");
  }

  @Test
  void aLabelRowOfAnotherWidthIsRejectedNamingIt() {
    assertThatThrownBy(() -> new MultilabelPredictions(SCORES, new int[][] {{0, 1, 0}, {1, 0}}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1] has 3 entries but labels[1] has 2");
  }

  @Test
  void aNullLabelRowIsRejected() {
    assertThatThrownBy(() -> new MultilabelPredictions(SCORES, new int[][] {{0, 1, 0}, null}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("labels[1] is null");
  }

  @Test
  void aNonFiniteScoreIsRejectedNamingRowAndColumn() {
    assertThatThrownBy(() -> new MultilabelPredictions(new double[][] {{0.1, Double.NaN, 0.2}, {0, 0, 0}}, LABELS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[0][1] is NaN");
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThatThrownBy(() -> new MultilabelPredictions(SCORES, new int[][] {{0, 1, 0}}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores has 2 entries but labels has 1");
  }

  @Test
  void mutatingTheInputArraysDoesNotChangeTheRecord() {
    double[][] scores = {{0.1, 0.9}};
    int[][] labels = {{0, 1}};
    MultilabelPredictions p = new MultilabelPredictions(scores, labels);
    scores[0][0] = 7;
    labels[0][0] = 1;
    assertThat(p.scores()).isDeepEqualTo(new double[][] {{0.1, 0.9}});
    assertThat(p.labels()).isDeepEqualTo(new int[][] {{0, 1}});
  }

  @Test
  void mutatingTheAccessorsResultsDoesNotChangeTheRecord() {
    MultilabelPredictions p = new MultilabelPredictions(new double[][] {{0.1, 0.9}}, new int[][] {{0, 1}});
    p.scores()[0][0] = 7;
    p.labels()[0][0] = 1;
    assertThat(p.scores()).isDeepEqualTo(new double[][] {{0.1, 0.9}});
    assertThat(p.labels()).isDeepEqualTo(new int[][] {{0, 1}});
  }

  @Test
  void equalityIsByContent() {
    MultilabelPredictions a = new MultilabelPredictions(SCORES, LABELS);
    assertThat(a).isEqualTo(new MultilabelPredictions(SCORES, LABELS))
        .hasSameHashCodeAs(new MultilabelPredictions(SCORES, LABELS))
        .isNotEqualTo(new MultilabelPredictions(SCORES, new int[][] {{0, 1, 0}, {1, 0, 0}}));
    assertThat(a.toString()).contains("size=2", "labels=3");
  }
}
