package dev.ce4j.core.io;

/**
 * Conversions between F32 and the two 16-bit float formats, done bit by bit in Java so that
 * half-precision checkpoints never reach the native engine as half tensors.
 *
 * <p>Widening (F16 or BF16 to F32) is exact. Narrowing rounds to nearest, ties to even, as PyTorch
 * does; NaN stays NaN and overflow becomes infinity. Stateless and thread-safe.
 */
public final class HalfFloats {
  private HalfFloats() {}

  /**
   * Widens an IEEE 754 half-precision value to F32, exactly.
   *
   * @param bits the 16 bits of the half value (upper 16 bits of the int ignored)
   * @return the same value as a float
   */
  public static float f16ToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      // infinity or NaN; keep the payload
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal half: value = mant * 2^-24, exactly representable as a normal float
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Narrows an F32 value to IEEE 754 half precision, rounding to nearest even.
   *
   * @param value the value
   * @return the 16 bits of the half value, in the low bits of the int
   */
  public static int floatToF16(float value) {
    int f = Float.floatToRawIntBits(value);
    int sign = (f >>> 16) & 0x8000;
    int exp = (f >>> 23) & 0xff;
    int mant = f & 0x7fffff;
    if (exp == 0xff) {
      return sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0);
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return sign | 0x7c00;
    }
    if (e <= 0) {
      if (e < -10) {
        return sign;
      }
      // subnormal half: shift the full mantissa (with the implicit 1) right
      int m = mant | 0x800000;
      int shift = 14 - e;
      int half = m >>> shift;
      int rem = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rem > halfway || (rem == halfway && (half & 1) != 0)) {
        half++;
      }
      return sign | half;
    }
    int half = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
      half++; // may carry into the exponent, which is the correct rounding (up to infinity)
    }
    return sign | half;
  }

  /**
   * Widens a bfloat16 value to F32, exactly.
   *
   * @param bits the 16 bits of the bfloat16 value (upper 16 bits of the int ignored)
   * @return the same value as a float
   */
  public static float bf16ToFloat(int bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /**
   * Narrows an F32 value to bfloat16, rounding to nearest even.
   *
   * @param value the value
   * @return the 16 bits of the bfloat16 value, in the low bits of the int
   */
  public static int floatToBf16(float value) {
    int f = Float.floatToRawIntBits(value);
    if ((f & 0x7fffffff) > 0x7f800000) {
      return ((f >>> 16) | 0x40) & 0xffff; // quiet NaN
    }
    int rounding = 0x7fff + ((f >>> 16) & 1);
    return ((f + rounding) >>> 16) & 0xffff;
  }
}
