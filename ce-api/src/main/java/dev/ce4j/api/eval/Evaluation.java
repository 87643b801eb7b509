package dev.ce4j.api.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable result of one {@link Evaluator} run: metric key to value, where a value is a
 * number ({@code NaN} when undefined) or an array of numbers (the {@code *_per_label} metrics).
 *
 * <p>Keys are stable lowercase strings ({@code fbeta}, {@code f1_macro}, {@code mrr@10}) and keep
 * the order the evaluator put them in. Asking for an absent key throws and names it. Two
 * evaluations are equal when they have the same evaluator id, keys and bitwise-equal values
 * ({@code NaN} equals {@code NaN}). Immutable and thread-safe.
 */
public final class Evaluation {
  private final String evaluatorId;
  private final Map<String, Object> values;

  private Evaluation(String evaluatorId, Map<String, Object> values) {
    this.evaluatorId = evaluatorId;
    this.values = values;
  }

  /**
   * Starts building an evaluation.
   *
   * @param evaluatorId the id of the evaluator that produced it, never null
   * @return a new builder, never null
   */
  public static Builder builder(String evaluatorId) {
    return new Builder(evaluatorId);
  }

  /**
   * The id of the evaluator that produced this result.
   *
   * @return the id, never null
   */
  public String evaluatorId() {
    return evaluatorId;
  }

  /**
   * Every metric key, in the order the evaluator produced them.
   *
   * @return an unmodifiable set, never null
   */
  public Set<String> keys() {
    return values.keySet();
  }

  /**
   * Whether a key is present.
   *
   * @param key the key, never null
   * @return true if present
   */
  public boolean has(String key) {
    return values.containsKey(Objects.requireNonNull(key, "key"));
  }

  /**
   * Whether a key holds an array.
   *
   * @param key a present key, never null
   * @return true for array metrics
   * @throws IllegalArgumentException if absent, naming it
   */
  public boolean isArray(String key) {
    return lookup(key) instanceof double[];
  }

  /**
   * A scalar metric.
   *
   * @param key the key, never null
   * @return the value; {@code NaN} when the metric is undefined
   * @throws IllegalArgumentException if the key is absent or holds an array, naming it
   */
  public double get(String key) {
    Object v = lookup(key);
    if (v instanceof Double d) {
      return d;
    }
    throw new IllegalArgumentException("metric '" + key + "' is an array; use getArray");
  }

  /**
   * An array metric.
   *
   * @param key the key, never null
   * @return a copy of the values, never null
   * @throws IllegalArgumentException if the key is absent or holds a scalar, naming it
   */
  public double[] getArray(String key) {
    Object v = lookup(key);
    if (v instanceof double[] a) {
      return a.clone();
    }
    throw new IllegalArgumentException("metric '" + key + "' is a number; use get");
  }

  private Object lookup(String key) {
    Object v = values.get(Objects.requireNonNull(key, "key"));
    if (v == null) {
      throw new IllegalArgumentException(
          "evaluator '" + evaluatorId + "' produced no metric '" + key + "'; it has: " + values.keySet());
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Evaluation e) || !evaluatorId.equals(e.evaluatorId)
        || !values.keySet().equals(e.values.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Object a = entry.getValue();
      Object b = e.values.get(entry.getKey());
      boolean same = a instanceof double[] x
          ? b instanceof double[] y && Arrays.equals(x, y)
          : a.equals(b);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = evaluatorId.hashCode();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Object v = entry.getValue();
      h = 31 * h + entry.getKey().hashCode()
          + (v instanceof double[] a ? Arrays.hashCode(a) : v.hashCode());
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(evaluatorId).append('{');
    String sep = "";
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Object v = entry.getValue();
      sb.append(sep).append(entry.getKey()).append('=')
          .append(v instanceof double[] a ? Arrays.toString(a) : v);
      sep = ", ";
    }
    return sb.append('}').toString();
  }

  /** Builds an {@link Evaluation}. Not thread-safe; use once. */
  public static final class Builder {
    private final String evaluatorId;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder(String evaluatorId) {
      this.evaluatorId = Objects.requireNonNull(evaluatorId, "evaluatorId");
    }

    /**
     * Adds a scalar metric.
     *
     * @param key a new lowercase key, never null
     * @param value the value, {@code NaN} when undefined
     * @return this builder
     * @throws IllegalArgumentException if the key is repeated or not lowercase
     */
    public Builder put(String key, double value) {
      return putValue(key, value);
    }

    /**
     * Adds an array metric.
     *
     * @param key a new lowercase key, never null
     * @param value the values (copied), never null
     * @return this builder
     * @throws IllegalArgumentException if the key is repeated or not lowercase
     */
    public Builder putArray(String key, double[] value) {
      return putValue(key, Objects.requireNonNull(value, "value").clone());
    }

    private Builder putValue(String key, Object value) {
      Objects.requireNonNull(key, "key");
      if (!key.equals(key.toLowerCase(java.util.Locale.ROOT)) || key.isBlank()) {
        throw new IllegalArgumentException("metric key '" + key + "' must be non-blank lowercase");
      }
      if (values.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("metric key '" + key + "' added twice");
      }
      return this;
    }

    /**
     * Finishes the evaluation.
     *
     * @return the immutable evaluation, never null
     */
    public Evaluation build() {
      return new Evaluation(evaluatorId, Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}
