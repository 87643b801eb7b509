package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfFloatsTest {
  @ParameterizedTest(name = "f16 {0} = {1}")
  @CsvSource({
    "0x0000, 0.0",
    "0x8000, -0.0",
    "0x3c00, 1.0",
    "0xc000, -2.0",
    "0x3555, 0.333251953125",
    "0x7bff, 65504.0",
    "0x0400, 0.00006103515625",
    "0x0001, 0.000000059604644775390625",
    "0x03ff, 0.00006097555160522461",
    "0x7c00, Infinity",
    "0xfc00, -Infinity"
  })
  void widensF16Exactly(String bits, float expected) {
    int b = Integer.decode(bits);
    assertThat(HalfFloats.f16ToFloat(b)).isEqualTo(expected);
    assertThat(HalfFloats.floatToF16(expected)).isEqualTo(b);
  }

  @ParameterizedTest(name = "bf16 {0} = {1}")
  @CsvSource({
    "0x3f80, 1.0",
    "0xc000, -2.0",
    "0x3e80, 0.25",
    "0x4049, 3.140625",
    "0x7f80, Infinity"
  })
  void widensBf16Exactly(String bits, float expected) {
    int b = Integer.decode(bits);
    assertThat(HalfFloats.bf16ToFloat(b)).isEqualTo(expected);
    assertThat(HalfFloats.floatToBf16(expected)).isEqualTo(b);
  }

  @Test
  void everyF16ValueRoundTrips() {
    for (int b = 0; b < 0x10000; b++) {
      float f = HalfFloats.f16ToFloat(b);
      if (Float.isNaN(f)) {
        assertThat(HalfFloats.floatToF16(f) & 0x7c00).isEqualTo(0x7c00);
        continue;
      }
      assertThat(HalfFloats.floatToF16(f)).as("bits %04x", b).isEqualTo(b);
    }
  }

  @Test
  void everyBf16ValueRoundTrips() {
    for (int b = 0; b < 0x10000; b++) {
      float f = HalfFloats.bf16ToFloat(b);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloats.floatToBf16(f)).as("bits %04x", b).isEqualTo(b);
      }
    }
  }

  @ParameterizedTest(name = "{0} rounds to f16 {1}")
  @CsvSource({
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0)
    "1.00048828125, 0x3c00",
    // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9: ties to even (1 + 2^-9)
    "1.00146484375, 0x3c02",
    "1.0005, 0x3c01",
    "65520.0, 0x7c00",
    "65519.0, 0x7bff",
    "1e-9, 0x0000"
  })
  void narrowsToNearestEven(float value, String bits) {
    assertThat(HalfFloats.floatToF16(value)).isEqualTo(Integer.decode(bits));
  }

  @Test
  void bf16NarrowingRoundsToNearestEven() {
    // 1 + 2^-8 is halfway between bf16 1.0 and 1 + 2^-7: ties to even (1.0)
    assertThat(HalfFloats.floatToBf16(1f + 0x1p-8f)).isEqualTo(0x3f80);
    // 1 + 3 * 2^-8 ties to 1 + 2^-6 (even)
    assertThat(HalfFloats.floatToBf16(1f + 3 * 0x1p-8f)).isEqualTo(0x3f82);
    assertThat(HalfFloats.floatToBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo(0x3f81);
    assertThat(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN)))).isTrue();
  }
}
