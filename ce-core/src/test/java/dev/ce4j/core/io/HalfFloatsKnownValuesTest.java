package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfFloatsKnownValuesTest {

  // bit patterns and values from the IEEE 754 binary16 tables (numpy.float16 agrees)
  @ParameterizedTest(name = "half 0x{0} = {1}")
  @CsvSource({
    "0000, 0.0",
    "3C00, 1.0",
    "C000, -2.0",
    "3555, 0.333251953125",
    "7BFF, 65504.0",
    "0400, 6.103515625E-5",
    "0001, 5.9604644775390625E-8",
    "03FF, 6.097555160522461E-5",
    "7C00, Infinity",
    "FC00, -Infinity"
  })
  void widensHalf(String hex, float expected) {
    assertThat(HalfFloats.f16ToFloat(Integer.parseInt(hex, 16))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "half 0x{0} is NaN")
  @CsvSource({"7C01", "7E00", "FFFF"})
  void keepsNaN(String hex) {
    assertThat(HalfFloats.f16ToFloat(Integer.parseInt(hex, 16))).isNaN();
  }

  @ParameterizedTest(name = "half 0x8000 is -0")
  @CsvSource({"8000"})
  void keepsNegativeZero(String hex) {
    assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat(Integer.parseInt(hex, 16))))
        .isEqualTo(0x80000000);
  }

  @ParameterizedTest(name = "bfloat16 0x{0} = {1}")
  @CsvSource({
    "3F80, 1.0",
    "C040, -3.0",
    "3EAB, 0.333984375",
    "7F80, Infinity",
    "0001, 9.183549615799121E-41"
  })
  void widensBfloat16(String hex, float expected) {
    assertThat(HalfFloats.bf16ToFloat(Integer.parseInt(hex, 16))).isEqualTo(expected);
  }
}
