package dev.ce4j.train.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics of one evaluation: the single numbers, and the per-label arrays (such as {@code
 * dev/f1_per_label}) apart.
 *
 * <p>Two records are equal when their steps, epochs, values and per-label arrays are (arrays by
 * content). Immutable and thread-safe.
 *
 * @param step the optimisation step after which it ran, at least 0
 * @param epoch the epoch (fractional: 1.5 is halfway through the second epoch), at least 0
 * @param values metric key to value in insertion order, never null; NaN allowed
 * @param perLabel metric key to one value per label, in insertion order (empty when the evaluators
 *     report no per-label metric; null, as in manifests written before they were logged, is taken as
 *     empty); NaN allowed
 */
@JsonPropertyOrder({"step", "epoch", "values", "perLabel"})
public record MetricsRecord(
    @JsonProperty(value = "step", required = true) long step,
    @JsonProperty(value = "epoch", required = true) double epoch,
    @JsonProperty(value = "values", required = true)
        @JsonSerialize(contentUsing = NonFiniteAsNull.DoubleWriter.class)
        @JsonDeserialize(contentUsing = NonFiniteAsNull.DoubleReader.class)
        Map<String, Double> values,
    @JsonProperty("perLabel")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @JsonSerialize(contentUsing = NonFiniteAsNull.ArrayWriter.class)
        @JsonDeserialize(contentUsing = NonFiniteAsNull.ArrayReader.class)
        Map<String, double[]> perLabel) {
  /** Validates and copies; absent per-label arrays (files written before they were logged) are none. */
  @JsonCreator
  public MetricsRecord {
    perLabel = perLabel == null ? Map.of() : perLabel;
    if (step < 0 || !(epoch >= 0)) {
      throw new IllegalArgumentException("step and epoch must be >= 0, got " + step + ", " + epoch);
    }
    LinkedHashMap<String, Double> copy = new LinkedHashMap<>();
    Objects.requireNonNull(values, "values")
        .forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k)));
    values = Collections.unmodifiableMap(copy);
    LinkedHashMap<String, double[]> arrays = new LinkedHashMap<>();
    Objects.requireNonNull(perLabel, "perLabel").forEach((k, v) -> {
      if (copy.containsKey(Objects.requireNonNull(k, "key"))) {
        throw new IllegalArgumentException("metric '" + k + "' is both a value and a per-label array");
      }
      arrays.put(k, Objects.requireNonNull(v, "values of " + k).clone());
    });
    perLabel = Collections.unmodifiableMap(arrays);
  }

  /**
   * A record without per-label arrays.
   *
   * @param step the optimisation step, at least 0
   * @param epoch the epoch, at least 0
   * @param values metric key to value, never null
   */
  public MetricsRecord(long step, double epoch, Map<String, Double> values) {
    this(step, epoch, values, Map.of());
  }

  /**
   * The per-label arrays.
   *
   * @return metric key to a copy of its values, in insertion order; never null
   */
  @Override
  public Map<String, double[]> perLabel() {
    LinkedHashMap<String, double[]> copy = new LinkedHashMap<>();
    perLabel.forEach((k, v) -> copy.put(k, v.clone()));
    return Collections.unmodifiableMap(copy);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MetricsRecord r) || step != r.step || Double.compare(epoch, r.epoch) != 0
        || !values.equals(r.values) || !perLabel.keySet().equals(r.perLabel.keySet())) {
      return false;
    }
    for (Map.Entry<String, double[]> e : perLabel.entrySet()) {
      if (!Arrays.equals(e.getValue(), r.perLabel.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(step, epoch, values);
    for (Map.Entry<String, double[]> e : perLabel.entrySet()) {
      h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("MetricsRecord[step=").append(step).append(", epoch=").append(epoch)
        .append(", values=").append(values);
    if (!perLabel.isEmpty()) {
      b.append(", perLabel={");
      String sep = "";
      for (Map.Entry<String, double[]> e : perLabel.entrySet()) {
        b.append(sep).append(e.getKey()).append('=').append(Arrays.toString(e.getValue()));
        sep = ", ";
      }
      b.append('}');
    }
    return b.append(']').toString();
  }
}
