package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParameterSpecTest {
  @Test
  void ofHasADefaultAndOptionalHasNone() {
    assertThat(ParameterSpec.of("beta", "weight", "1").defaultValue()).contains("1");
    assertThat(ParameterSpec.optional("threshold", "fixed").defaultValue()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"beta", "k", "zero_division", "top10"})
  void lowercaseNamesAreAccepted(String name) {
    assertThat(ParameterSpec.optional(name, "d").name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Beta", "", "1k", "zero-division", "_k", "a b"})
  void otherNamesAreRejectedQuotingThem(String name) {
    assertThatThrownBy(() -> ParameterSpec.optional(name, "d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'");
  }

  @Test
  void nullsAreRejected() {
    assertThatThrownBy(() -> ParameterSpec.of(null, "d", "1")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ParameterSpec.of("k", null, "1")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ParameterSpec.of("k", "d", null)).isInstanceOf(NullPointerException.class);
  }
}
