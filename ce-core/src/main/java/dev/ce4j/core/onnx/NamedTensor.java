package dev.ce4j.core.onnx;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named dense float tensor in row-major (C) order, as a Hugging Face state dict holds it: for
 * example {@code bert.encoder.layer.0.attention.self.query.weight} of shape {@code [out, in]}.
 *
 * <p>Immutable and thread-safe: the constructor copies its arrays, {@link #shape()} and {@link
 * #data()} return copies, and {@link #buffer()} gives a read-only view without copying.
 *
 * @param name the tensor's name, never null or blank
 * @param shape the dimensions, never null; every dimension at least 1, product at most {@link
 *     Integer#MAX_VALUE}; an empty shape is a scalar
 * @param data the values in row-major order, never null; its length equals the product of the
 *     dimensions
 */
public record NamedTensor(String name, long[] shape, float[] data) {

  /** Validates the name, the shape and that the data length matches the shape; copies both. */
  public NamedTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    if (name.isBlank()) {
      throw new IllegalArgumentException("tensor name is blank");
    }
    shape = shape.clone();
    long count = 1;
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has a dimension " + d + " in shape " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " ("
              + count
              + " elements) but "
              + data.length
              + " values");
    }
    data = data.clone();
  }

  /**
   * The dimensions.
   *
   * @return a copy of the shape, never null
   */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * The values in row-major order.
   *
   * @return a copy of the data, never null; use {@link #buffer()} to read without copying
   */
  @Override
  public float[] data() {
    return data.clone();
  }

  /**
   * A read-only view of the values, positioned at 0, without copying.
   *
   * @return a new read-only buffer over the data, never null
   */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  /**
   * The number of values.
   *
   * @return the product of the dimensions
   */
  public int size() {
    return data.length;
  }

  /**
   * Two tensors are equal when name, shape and every value (compared as by {@link Float#compare})
   * are equal.
   *
   * @param o the other object, may be null
   * @return whether they are equal
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  /**
   * A hash of name, shape and values.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  /**
   * Name and shape, without the values.
   *
   * @return for example {@code bert.pooler.dense.weight[384, 384]}, never null
   */
  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
