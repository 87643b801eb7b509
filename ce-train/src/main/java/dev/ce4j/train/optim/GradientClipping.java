package dev.ce4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import dev.ce4j.core.engine.Autograd;
import dev.ce4j.core.engine.PyTorch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Gradient clipping by global L2 norm, with {@code torch.nn.utils.clip_grad_norm_}'s semantics.
 * Thread-safe as long as no one else touches the same gradients (stateless).
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Clips the gradients of {@code params} in place so that their global L2 norm is at most about
   * {@code maxNorm}.
   *
   * <p>As torch: {@code total_norm} is the L2 norm of the per-parameter L2 norms of every defined
   * gradient (float32, on the device); {@code clip_coef = max_norm / (total_norm + 1e-6)}, computed
   * in float32 as torch does ({@code reciprocal(total_norm + 1e-6) * max_norm}); when {@code
   * clip_coef < 1} every gradient is multiplied by it (torch multiplies by {@code min(clip_coef,
   * 1)}, which is the same). A non-finite norm is returned as it is; the gradients are then
   * multiplied by a coefficient of 0 or NaN, as torch does, and the caller should stop training.
   *
   * @param params the parameters (on DJL's PyTorch engine), never null; those without a defined
   *     gradient are ignored
   * @param maxNorm the largest allowed norm, positive
   * @return the global norm before clipping, 0 if no parameter has a gradient
   * @throws IllegalArgumentException if {@code maxNorm} is not positive and finite
   */
  @SuppressWarnings("try") // the scopes act by being open
  public static double clipGradNorm(Collection<NDArray> params, double maxNorm) {
    Objects.requireNonNull(params, "params");
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("max gradient norm must be positive and finite, got "
          + maxNorm);
    }
    try (PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      List<NDArray> grads = new ArrayList<>();
      for (NDArray p : params) {
        NDArray g = Autograd.gradient(p);
        if (g != null) {
          grads.add(g);
        }
      }
      if (grads.isEmpty()) {
        return 0.0;
      }
      NDList norms = new NDList(grads.size());
      for (NDArray g : grads) {
        norms.add(g.norm());
      }
      float total = NDArrays.stack(norms).norm().getFloat();
      float coef = (1f / (total + 1e-6f)) * (float) maxNorm;
      if (coef < 1f || Float.isNaN(coef)) {
        for (NDArray g : grads) {
          g.muli(coef);
        }
      }
      return total;
    }
  }
}
