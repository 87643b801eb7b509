package dev.ce4j.train.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics of one evaluation.
 *
 * @param step the optimisation step after which it ran, at least 0
 * @param epoch the epoch (fractional: 1.5 is halfway through the second epoch), at least 0
 * @param values metric key to value in insertion order, never null; NaN allowed
 */
public record MetricsRecord(long step, double epoch, Map<String, Double> values) {
  /** Validates and copies. */
  public MetricsRecord {
    if (step < 0 || !(epoch >= 0)) {
      throw new IllegalArgumentException("step and epoch must be >= 0, got " + step + ", " + epoch);
    }
    LinkedHashMap<String, Double> copy = new LinkedHashMap<>();
    Objects.requireNonNull(values, "values")
        .forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value of " + k)));
    values = Collections.unmodifiableMap(copy);
  }
}
