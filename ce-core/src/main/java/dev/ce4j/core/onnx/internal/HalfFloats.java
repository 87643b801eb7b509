package dev.ce4j.core.onnx.internal;

/**
 * Exact widening of IEEE 754 binary16 and bfloat16 bit patterns to {@code float} (Java 17 has no
 * {@code Float.float16ToFloat}). Stateless and thread-safe.
 */
public final class HalfFloats {

  private HalfFloats() {}

  /**
   * Widens an IEEE 754 half-precision value.
   *
   * @param bits the 16 bits in the low half of the int
   * @return the same value as a float (subnormals, infinities and NaN kept)
   */
  public static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      // infinity or NaN: keep the payload
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      // zero or subnormal: mant * 2^-24, exact in float
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Widens a bfloat16 value (the upper half of a float).
   *
   * @param bits the 16 bits in the low half of the int
   * @return the same value as a float
   */
  public static float bfloat16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }
}
