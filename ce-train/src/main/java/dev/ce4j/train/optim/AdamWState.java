package dev.ce4j.train.optim;

import dev.ce4j.core.model.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of {@link AdamW}'s state, in Java memory, by parameter name: what a checkpoint saves
 * so that a resumed run continues bit for bit.
 *
 * <p>Parameters that have not been updated yet have no entry, as in torch. {@link #toTensors()}
 * and {@link #steps()} split the snapshot into tensors (for a safetensors file) and step counts
 * (for JSON); {@link #fromTensors(Map, Map)} joins them again. Immutable; the tensors are shared,
 * not copied, and must not be modified.
 *
 * @param parameters parameter name to its state, never null; copied, iteration order kept
 */
public record AdamWState(Map<String, ParameterState> parameters) {
  /** Prefix of the first-moment tensors in {@link #toTensors()}. */
  public static final String EXP_AVG_PREFIX = "exp_avg.";

  /** Prefix of the second-moment tensors in {@link #toTensors()}. */
  public static final String EXP_AVG_SQ_PREFIX = "exp_avg_sq.";

  /** Copies the map, keeping its order. */
  public AdamWState {
    Objects.requireNonNull(parameters, "parameters");
    LinkedHashMap<String, ParameterState> copy = new LinkedHashMap<>();
    parameters.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, k)));
    parameters = Collections.unmodifiableMap(copy);
  }

  /**
   * The moments as named tensors: {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}.
   *
   * @return a fresh map in parameter order, never null
   */
  public LinkedHashMap<String, FloatTensor> toTensors() {
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    parameters.forEach(
        (name, s) -> {
          out.put(EXP_AVG_PREFIX + name, s.expAvg());
          out.put(EXP_AVG_SQ_PREFIX + name, s.expAvgSq());
        });
    return out;
  }

  /**
   * The step count of every parameter with state.
   *
   * @return a fresh map in parameter order, never null
   */
  public LinkedHashMap<String, Long> steps() {
    LinkedHashMap<String, Long> out = new LinkedHashMap<>();
    parameters.forEach((name, s) -> out.put(name, s.step()));
    return out;
  }

  /**
   * Joins tensors and step counts written by {@link #toTensors()} and {@link #steps()}.
   *
   * @param tensors {@code exp_avg.<name>} and {@code exp_avg_sq.<name>} tensors, never null
   * @param steps parameter name to step count, never null; its order is the state's order
   * @return the state, never null
   * @throws IllegalArgumentException naming the parameter if a tensor is missing or extra, or a
   *     step count is invalid
   */
  public static AdamWState fromTensors(Map<String, FloatTensor> tensors, Map<String, Long> steps) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(steps, "steps");
    LinkedHashMap<String, ParameterState> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : steps.entrySet()) {
      String name = e.getKey();
      FloatTensor m = tensors.get(EXP_AVG_PREFIX + name);
      FloatTensor v = tensors.get(EXP_AVG_SQ_PREFIX + name);
      if (m == null || v == null) {
        throw new IllegalArgumentException(
            "optimiser state of '" + name + "' lacks " + (m == null ? "exp_avg" : "exp_avg_sq"));
      }
      out.put(name, new ParameterState(Objects.requireNonNull(e.getValue(), name), m, v));
    }
    if (tensors.size() != 2 * out.size()) {
      for (String key : tensors.keySet()) {
        String name =
            key.startsWith(EXP_AVG_SQ_PREFIX)
                ? key.substring(EXP_AVG_SQ_PREFIX.length())
                : key.startsWith(EXP_AVG_PREFIX) ? key.substring(EXP_AVG_PREFIX.length()) : null;
        if (name == null || !steps.containsKey(name)) {
          throw new IllegalArgumentException(
              "unexpected optimiser state tensor '" + key + "' (no step count for it)");
        }
      }
    }
    return new AdamWState(out);
  }

  /**
   * Whether two snapshots hold the same parameters, step counts and bitwise identical moments.
   *
   * @param other another snapshot, never null
   * @return true if equal bit for bit
   */
  public boolean bitwiseEquals(AdamWState other) {
    if (!parameters.keySet().equals(other.parameters.keySet())) {
      return false;
    }
    for (Map.Entry<String, ParameterState> e : parameters.entrySet()) {
      if (!e.getValue().bitwiseEquals(other.parameters.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
