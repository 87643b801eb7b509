package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointwisePredictionsTest {

  @Test
  void holdsScoresAndLabels() {
    PointwisePredictions p = new PointwisePredictions(new double[] {0.5, -1}, new double[] {1, 0});
    assertThat(p.scores()).containsExactly(0.5, -1);
    assertThat(p.labels()).containsExactly(1, 0);
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.kind()).isEqualTo(InputKind.POINTWISE);
  }

  @Test
  void emptyIsValid() {
    assertThat(new PointwisePredictions(new double[0], new double[0]).size()).isZero();
  }

  @Test
  void mismatchedLengthsAreRejectedWithBothCounts() {
    assertThatThrownBy(() -> new PointwisePredictions(new double[] {1, 2}, new double[] {1, 0, 1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores has 2 entries but labels has 3");
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void aNonFiniteScoreIsRejectedNamingItsIndex(double bad) {
    assertThatThrownBy(() -> new PointwisePredictions(new double[] {0.1, 0.2, bad}, new double[] {1, 0, 1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[2] is " + bad);
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY})
  void aNonFiniteLabelIsRejectedNamingItsIndex(double bad) {
    assertThatThrownBy(() -> new PointwisePredictions(new double[] {0.1, 0.2}, new double[] {bad, 0}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("labels[0] is " + bad);
  }

  @Test
  void nullArraysAreRejected() {
    assertThatThrownBy(() -> new PointwisePredictions(null, new double[0])).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new PointwisePredictions(new double[0], null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void mutatingTheInputArraysDoesNotChangeTheRecord() {
    double[] scores = {0.1, 0.9};
    double[] labels = {0, 1};
    PointwisePredictions p = new PointwisePredictions(scores, labels);
    scores[0] = 7;
    labels[0] = 7;
    assertThat(p.scores()).containsExactly(0.1, 0.9);
    assertThat(p.labels()).containsExactly(0, 1);
  }

  @Test
  void mutatingTheAccessorsResultsDoesNotChangeTheRecord() {
    PointwisePredictions p = new PointwisePredictions(new double[] {0.1, 0.9}, new double[] {0, 1});
    p.scores()[0] = 7;
    p.labels()[0] = 7;
    assertThat(p.scores()).containsExactly(0.1, 0.9);
    assertThat(p.labels()).containsExactly(0, 1);
  }

  @Test
  void equalityIsByContent() {
    PointwisePredictions a = new PointwisePredictions(new double[] {0.1}, new double[] {1});
    PointwisePredictions b = new PointwisePredictions(new double[] {0.1}, new double[] {1});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b)
        .isNotEqualTo(new PointwisePredictions(new double[] {0.2}, new double[] {1}));
    assertThat(a.toString()).contains("size=1");
  }
}
