package dev.ce4j.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Objects;

/**
 * The libtorch operations the optimiser needs that DJL's engine-neutral API does not give without
 * copies: a parameter's gradient as libtorch holds it, clearing it, and an in-place copy. The one
 * place outside {@link PyTorch} where {@code ce-train} reaches DJL's PyTorch classes. Stateless and
 * thread-safe (as the arrays it is given allow).
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Whether an array belongs to DJL's PyTorch engine (and so works with the other methods).
   *
   * @param array the array, never null
   * @return true for a PyTorch array
   */
  public static boolean isTorchArray(NDArray array) {
    return Objects.requireNonNull(array, "array") instanceof PtNDArray;
  }

  /**
   * The gradient libtorch accumulated for a parameter (not a copy: updates to it are the
   * gradient's), in the parameter's manager.
   *
   * @param parameter a PyTorch array that requires a gradient, never null
   * @return the gradient, never null
   */
  public static NDArray gradient(NDArray parameter) {
    return JniUtils.getGradient(torch(parameter));
  }

  /**
   * Sets a parameter's accumulated gradient to zero, in place.
   *
   * @param parameter a PyTorch array that requires a gradient, never null
   */
  public static void zeroGradient(NDArray parameter) {
    JniUtils.zeroGrad(torch(parameter));
  }

  /**
   * Copies {@code from} into {@code to} in place, without recording it for autograd's graph.
   *
   * @param to the target, of {@code from}'s shape, never null
   * @param from the values, never null
   * @return {@code to}
   */
  public static NDArray copyInto(NDArray to, NDArray from) {
    long[] shape = to.getShape().getShape();
    long[] min = new long[shape.length];
    long[] step = new long[shape.length];
    Arrays.fill(step, 1);
    JniUtils.indexSet(torch(to), torch(from), min, shape, step);
    return to;
  }

  private static PtNDArray torch(NDArray a) {
    if (!(a instanceof PtNDArray p)) {
      throw new IllegalArgumentException("not an array of DJL's PyTorch engine: " + a.getClass().getName());
    }
    return p;
  }
}
