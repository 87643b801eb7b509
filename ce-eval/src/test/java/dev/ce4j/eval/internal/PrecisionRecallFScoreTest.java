package dev.ce4j.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PrecisionRecallFScoreTest {
  private static final double EPS = 1e-12;

  @Test
  void fbetaIsComputedFromCounts() {
    // tp=3, fp=1, fn=2, beta=2: (1+4)*3 / ((1+4)*3 + 4*2 + 1) = 15/24
    assertThat(PrecisionRecallFScore.fbeta(3, 4, 5, 4.0, ClassificationZeroDivision.ZERO))
        .isCloseTo(15.0 / 24.0, within(EPS));
  }

  @ParameterizedTest
  @EnumSource(ClassificationZeroDivision.class)
  void zeroDenominatorsGiveTheZeroDivisionValue(ClassificationZeroDivision zd) {
    // boxed: Double.equals treats NaN as equal to NaN
    Double expected = zd.value();
    assertThat(Double.valueOf(PrecisionRecallFScore.precision(0, 0, zd))).isEqualTo(expected);
    assertThat(Double.valueOf(PrecisionRecallFScore.recall(0, 0, zd))).isEqualTo(expected);
    assertThat(Double.valueOf(PrecisionRecallFScore.fbeta(0, 0, 0, 1.0, zd))).isEqualTo(expected);
    // F is defined (0) when only precision or only recall is undefined
    assertThat(PrecisionRecallFScore.fbeta(0, 0, 3, 1.0, zd)).isEqualTo(0.0);
    assertThat(PrecisionRecallFScore.fbeta(0, 2, 0, 1.0, zd)).isEqualTo(0.0);
  }

  @Test
  void nanMeanSkipsNaN() {
    assertThat(PrecisionRecallFScore.nanMean(new double[] {1, Double.NaN, 0.5}))
        .isCloseTo(0.75, within(EPS));
    assertThat(PrecisionRecallFScore.nanMean(new double[] {Double.NaN, Double.NaN})).isNaN();
    assertThat(PrecisionRecallFScore.nanMean(new double[0])).isNaN();
  }

  @Test
  void weightedMeanSkipsNaNAndFallsBackToThePlainMeanWhenWeightsSumToZero() {
    assertThat(PrecisionRecallFScore.nanWeightedMean(
        new double[] {1, Double.NaN, 0.5}, new long[] {1, 5, 3}))
        .isCloseTo((1 + 1.5) / 4, within(EPS));
    // the only defined values have zero support: sklearn's _nanaverage takes their plain mean
    assertThat(PrecisionRecallFScore.nanWeightedMean(
        new double[] {1, Double.NaN, 0}, new long[] {0, 5, 0}))
        .isCloseTo(0.5, within(EPS));
    assertThat(PrecisionRecallFScore.nanWeightedMean(
        new double[] {Double.NaN}, new long[] {3})).isNaN();
  }

  @Test
  void tableAveragesMicroMacroWeighted() {
    // label 0: tp=1 pred=2 true=2; label 1: tp=1 pred=1 true=2; label 2: tp=0 pred=0 true=0
    PrecisionRecallFScore.Table t = PrecisionRecallFScore.table(
        new long[] {1, 1, 0}, new long[] {2, 1, 0}, new long[] {2, 2, 0}, 1.0,
        ClassificationZeroDivision.NAN);
    assertThat(t.precision()).containsExactly(0.5, 1.0, Double.NaN);
    assertThat(t.support()).containsExactly(2.0, 2.0, 0.0);
    assertThat(t.precisionAverages().micro()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(t.precisionAverages().macro()).isCloseTo(0.75, within(EPS));
    assertThat(t.recallAverages().macro()).isCloseTo(0.5, within(EPS));
    assertThat(t.f1Averages().weighted()).isCloseTo((0.5 + 2.0 / 3) / 2, within(EPS));
  }
}
