package dev.ce4j.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense F32 tensor in Java memory, row-major: the form in which weights travel between files and
 * the engine.
 *
 * <p>The record copies neither array on construction or access, so that large weight tensors are
 * not duplicated; callers must not modify the arrays after handing them over. Not thread-safe if
 * the arrays are modified.
 *
 * @param shape the dimensions, never null, each at least 0; empty for a scalar
 * @param data the values, never null, of length the product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] data) {
  /** Validates that the data length matches the shape. */
  public FloatTensor {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    long n = numel(shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /**
   * The number of elements of a shape.
   *
   * @param shape the dimensions, never null
   * @return their product (1 for a scalar)
   * @throws IllegalArgumentException if a dimension is negative
   */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /**
   * The first value that is NaN or infinite.
   *
   * @return its flat (row-major) index, or -1 when every value is finite
   */
  public int firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The multi-dimensional index of a flat (row-major) index, as {@code [row, column]} for a matrix.
   *
   * @param flat a flat index in {@code [0, data().length)}
   * @return the index, such as {@code [3, 17]}, never null
   */
  public String index(int flat) {
    long[] at = new long[shape.length];
    long rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      at[d] = shape[d] == 0 ? 0 : rest % shape[d];
      rest = shape[d] == 0 ? 0 : rest / shape[d];
    }
    return Arrays.toString(at);
  }

  /**
   * Whether two tensors have equal shapes and bitwise-equal values.
   *
   * @param other the other tensor, never null
   * @return true if identical
   */
  public boolean bitwiseEquals(FloatTensor other) {
    if (!Arrays.equals(shape, other.shape) || data.length != other.data.length) {
      return false;
    }
    for (int i = 0; i < data.length; i++) {
      if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(other.data[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && bitwiseEquals(t);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
