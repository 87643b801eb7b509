package dev.ce4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.engine.Autograd;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.FloatTensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@code torch.optim.AdamW} (single-tensor path, {@code amsgrad=False}, {@code maximize=False})
 * on DJL's PyTorch engine, with transformers' two parameter groups.
 *
 * <p>For each parameter {@code p} with a defined gradient {@code g}, {@link #step(double)} with
 * learning rate {@code lr} does, exactly as torch 1.13's {@code _single_tensor_adamw} and in the
 * same order and precision (scalars are computed in double, as Python does, and rounded to float32
 * where torch rounds them):
 *
 * <pre>
 * step += 1
 * p *= 1 - lr * weight_decay                  (decoupled weight decay, skipped when 0)
 * exp_avg = exp_avg * beta1 + g * (1 - beta1)
 * exp_avg_sq = exp_avg_sq * beta2 + (1 - beta2) * g * g
 * bias_correction1 = 1 - beta1^step;  bias_correction2 = 1 - beta2^step
 * denom = sqrt(exp_avg_sq) / sqrt(bias_correction2) + eps
 * p += (-lr / bias_correction1) * exp_avg / denom
 * </pre>
 *
 * <p>Parameters whose gradient is undefined (no backward pass reached them) are skipped, as torch
 * skips {@code p.grad is None}: no step count, no weight decay. {@code weight_decay} is 0 for the
 * names {@link ParameterGroups#isNoDecay(String)} accepts (or another predicate given to the
 * constructor). The step count is per parameter.
 *
 * <p>The update runs with autograd off, in place on the given arrays; products go to one scratch
 * array per distinct parameter shape and device, the one temporary per parameter (the square
 * root) is closed before {@code step} returns, so memory stays flat. The moments and the scratch
 * arrays live in a sub-manager of the first parameter's manager, on each parameter's device, and
 * are released by {@link #close()}.
 * Results are bitwise reproducible for a fixed device and intra-op thread count; against PyTorch
 * itself they agree to float32 rounding (torch fuses some multiply-adds). Not thread-safe.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, NDArray> params;
  private final AdamWConfig config;
  private final Predicate<String> noDecay;
  private final NDManager stateManager;
  private final LinkedHashMap<String, Moments> state = new LinkedHashMap<>();
  /** Scratch arrays by device and shape, reused by every step. */
  private final Map<String, NDArray> scratch = new HashMap<>();

  private static final class Moments {
    long step;
    final NDArray expAvg;
    final NDArray expAvgSq;

    Moments(long step, NDArray expAvg, NDArray expAvgSq) {
      this.step = step;
      this.expAvg = expAvg;
      this.expAvgSq = expAvgSq;
    }
  }

  /**
   * An optimiser with transformers' parameter groups ({@link ParameterGroups#isNoDecay(String)}).
   *
   * @param params parameter name to live F32 array on the PyTorch engine, never null, not empty;
   *     the map is copied (order kept), the arrays are not
   * @param config the hyperparameters, never null
   */
  public AdamW(Map<String, NDArray> params, AdamWConfig config) {
    this(params, config, ParameterGroups::isNoDecay);
  }

  /**
   * An optimiser with custom parameter groups.
   *
   * @param params parameter name to live F32 array on the PyTorch engine, never null, not empty;
   *     the map is copied (order kept), the arrays are not
   * @param config the hyperparameters, never null
   * @param noDecay accepts the names of the parameters that get no weight decay, never null
   * @throws IllegalArgumentException if {@code params} is empty or holds a non-F32 or non-PyTorch
   *     array
   */
  public AdamW(Map<String, NDArray> params, AdamWConfig config, Predicate<String> noDecay) {
    Objects.requireNonNull(params, "params");
    this.config = Objects.requireNonNull(config, "config");
    this.noDecay = Objects.requireNonNull(noDecay, "noDecay");
    if (params.isEmpty()) {
      throw new IllegalArgumentException("AdamW needs at least one parameter");
    }
    LinkedHashMap<String, NDArray> copy = new LinkedHashMap<>();
    params.forEach(
        (name, a) -> {
          Objects.requireNonNull(a, name);
          if (!Autograd.isTorchArray(a)) {
            throw new IllegalArgumentException(
                "parameter '" + name + "' is not an array of DJL's PyTorch engine");
          }
          if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                "parameter '" + name + "' is " + a.getDataType() + ", AdamW needs FLOAT32");
          }
          copy.put(name, a);
        });
    this.params = Collections.unmodifiableMap(copy);
    this.stateManager = copy.values().iterator().next().getManager().newSubManager();
  }

  /**
   * The hyperparameters.
   *
   * @return the configuration, never null
   */
  public AdamWConfig config() {
    return config;
  }

  /**
   * The parameters this optimiser updates.
   *
   * @return an unmodifiable map of the live arrays, in the order given, never null
   */
  public Map<String, NDArray> parameters() {
    return params;
  }

  /**
   * The weight decay a parameter gets.
   *
   * @param name a parameter name, never null
   * @return 0 for the no-decay group, the configured weight decay otherwise
   */
  public double weightDecay(String name) {
    return noDecay.test(name) ? 0.0 : config.weightDecay();
  }

  /**
   * How many updates a parameter has had.
   *
   * @param name a parameter name, never null
   * @return the step count, 0 before its first update
   * @throws IllegalArgumentException if there is no such parameter
   */
  public long stepCount(String name) {
    requireParam(name);
    Moments m = state.get(name);
    return m == null ? 0 : m.step;
  }

  /**
   * Updates every parameter that has a gradient, in place, with learning rate {@code lr}.
   *
   * @param lr the learning rate of this step (base rate times the schedule's multiplier), finite
   *     and at least 0
   * @throws IllegalArgumentException if {@code lr} is negative or not finite
   */
  @SuppressWarnings("try") // the scopes act by being open
  public void step(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
    double beta1 = config.beta1();
    double beta2 = config.beta2();
    float beta1f = (float) beta1;
    float beta2f = (float) beta2;
    float oneMinusBeta1 = (float) (1 - beta1);
    float oneMinusBeta2 = (float) (1 - beta2);
    float eps = (float) config.eps();
    try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        String name = e.getKey();
        NDArray p = e.getValue();
        try (NDScope scope = new NDScope()) {
          NDArray g = Autograd.gradient(p);
          if (g == null) {
            continue;
          }
          Moments m = state.computeIfAbsent(name, n -> newMoments(p));
          m.step++;
          double wd = weightDecay(name);
          if (wd != 0) {
            p.muli((float) (1 - lr * wd));
          }
          // the same operations, in the same order and precision, as
          //   expAvg = expAvg * beta1 + g * (1 - beta1)
          //   expAvgSq = expAvgSq * beta2 + g * (1 - beta2) * g
          //   p += expAvg * -stepSize / (sqrt(expAvgSq) / sqrt(bc2) + eps)
          // but the products land in a persistent scratch array instead of fresh temporaries:
          // a fresh array per operation costs more than the operation (page faults on the large
          // embedding tensors), so the step allocates one array per parameter (the sqrt)
          NDArray s = scratch(p);
          copy(s, g).muli(oneMinusBeta1);
          m.expAvg.muli(beta1f).addi(s);
          copy(s, g).muli(oneMinusBeta2).muli(g);
          m.expAvgSq.muli(beta2f).addi(s);
          double biasCorrection1 = 1 - StrictMath.pow(beta1, m.step);
          double biasCorrection2 = 1 - StrictMath.pow(beta2, m.step);
          double stepSize = lr / biasCorrection1;
          double biasCorrection2Sqrt = StrictMath.sqrt(biasCorrection2);
          NDArray denom = m.expAvgSq.sqrt().divi((float) biasCorrection2Sqrt).addi(eps);
          p.addi(copy(s, m.expAvg).muli((float) -stepSize).divi(denom));
          scope.suppressNotUsedWarning();
        }
      }
    }
  }

  /**
   * Sets every parameter's gradient to zero in place (torch's {@code zero_grad(set_to_none=
   * False)}); undefined gradients stay undefined.
   */
  public void zeroGrad() {
    for (NDArray p : params.values()) {
      Autograd.zeroGradient(p);
    }
  }

  /**
   * Copies the state to Java memory.
   *
   * @return the moments and step counts of every parameter updated so far, in parameter order,
   *     never null
   */
  public AdamWState exportState() {
    LinkedHashMap<String, ParameterState> out = new LinkedHashMap<>();
    for (String name : params.keySet()) {
      Moments m = state.get(name);
      if (m != null) {
        out.put(name, new ParameterState(m.step, host(m.expAvg), host(m.expAvgSq)));
      }
    }
    return new AdamWState(out);
  }

  /**
   * Replaces the whole state with a snapshot (from {@link #exportState()}, possibly of another
   * process); the next {@link #step(double)} continues exactly where the snapshot's optimiser
   * left off.
   *
   * @param snapshot the state, never null
   * @throws IllegalArgumentException naming the parameter if the snapshot holds an unknown
   *     parameter or a moment of the wrong shape; the current state is then unchanged
   */
  public void importState(AdamWState snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    for (Map.Entry<String, ParameterState> e : snapshot.parameters().entrySet()) {
      NDArray p = params.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException(
            "optimiser state for unknown parameter '" + e.getKey() + "'");
      }
      long[] shape = p.getShape().getShape();
      if (!Arrays.equals(shape, e.getValue().expAvg().shape())) {
        throw new IllegalArgumentException(
            "optimiser state of '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(e.getValue().expAvg().shape())
                + " but the parameter has shape "
                + Arrays.toString(shape));
      }
    }
    clearState();
    for (Map.Entry<String, ParameterState> e : snapshot.parameters().entrySet()) {
      NDArray p = params.get(e.getKey());
      ParameterState s = e.getValue();
      state.put(e.getKey(), new Moments(s.step(), device(s.expAvg(), p), device(s.expAvgSq(), p)));
    }
  }

  /** Releases the moments. The parameters are not touched. Idempotent. */
  @Override
  public void close() {
    clearState();
    scratch.values().forEach(NDArray::close);
    scratch.clear();
    stateManager.close();
  }

  private void clearState() {
    for (Moments m : state.values()) {
      m.expAvg.close();
      m.expAvgSq.close();
    }
    state.clear();
  }

  private void requireParam(String name) {
    if (!params.containsKey(name)) {
      throw new IllegalArgumentException("no parameter named '" + name + "'");
    }
  }

  /** The scratch array of p's shape and device, created on first use and kept until close. */
  private NDArray scratch(NDArray p) {
    String key = p.getDevice() + "/" + p.getShape();
    NDArray s = scratch.get(key);
    if (s == null) {
      s = own(p.zerosLike());
      scratch.put(key, s);
    }
    return s;
  }

  /** Copies {@code from} into {@code to} (same shape) in place; returns {@code to}. */
  private static NDArray copy(NDArray to, NDArray from) {
    return Autograd.copyInto(to, from);
  }

  private Moments newMoments(NDArray p) {
    NDArray expAvg = p.zerosLike();
    NDArray expAvgSq = p.zerosLike();
    return new Moments(0, own(expAvg), own(expAvgSq));
  }

  private NDArray device(FloatTensor t, NDArray p) {
    NDArray a = stateManager.create(t.data(), new Shape(t.shape()));
    if (!a.getDevice().equals(p.getDevice())) {
      NDArray moved = a.toDevice(p.getDevice(), false);
      a.close();
      a = moved;
    }
    return own(a);
  }

  private NDArray own(NDArray a) {
    a.attach(stateManager);
    NDScope.unregister(a);
    return a;
  }

  private static FloatTensor host(NDArray a) {
    return new FloatTensor(a.getShape().getShape(), a.toFloatArray());
  }
}
