package dev.ce4j.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClassificationParametersTest {

  @Test
  void defaults() {
    assertThat(ClassificationParameters.beta(Parameters.empty())).isEqualTo(1.0);
    assertThat(ClassificationParameters.zeroDivision(Parameters.empty()))
        .isEqualTo(ClassificationZeroDivision.ZERO);
    assertThat(ClassificationParameters.threshold(Parameters.empty())).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"0, ZERO", "0.0, ZERO", "1, ONE", "1.0, ONE", "nan, NAN", "NaN, NAN"})
  void zeroDivisionValues(String raw, ClassificationZeroDivision expected) {
    assertThat(ClassificationZeroDivision.parse(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "-1", "warn", "", "0.5"})
  void badZeroDivisionIsRejectedByName(String raw) {
    assertThatThrownBy(() -> ClassificationParameters.zeroDivision(
        Parameters.of(Map.of("zero_division", raw))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("zero_division")
        .hasMessageContaining("'" + raw + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "-0.0", "abc", "NaN", "Infinity", "1e200", "1e-200"})
  void badBetaIsRejectedByName(String raw) {
    assertThatThrownBy(() -> ClassificationParameters.beta(Parameters.of(Map.of("beta", raw))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("beta")
        .hasMessageContaining(raw);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.5", "1", "2", "3.7", "1e100"})
  void goodBeta(String raw) {
    assertThat(ClassificationParameters.beta(Parameters.of(Map.of("beta", raw))))
        .isEqualTo(Double.parseDouble(raw));
  }
}
