package dev.ce4j.core.arch.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks the test's own erf against published values, so the reference model can be trusted. */
class ReferenceBertTest {
  @ParameterizedTest
  @CsvSource({
    "0.0, 0.0",
    "0.1, 0.1124629160182849",
    "0.5, 0.5204998778130465",
    "1.0, 0.8427007929497149",
    "2.0, 0.9953222650189527",
    "2.4, 0.9993114861033550",
    "2.6, 0.9997639655834707",
    "3.0, 0.9999779095030014",
    "-1.5, -0.9661051464753108",
    "5.0, 0.9999999999984626"
  })
  void erfMatchesTables(double x, double expected) {
    assertThat(ReferenceBert.erf(x)).isCloseTo(expected, within(1e-13));
  }
}
