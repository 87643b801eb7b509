package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Named string parameters for an {@link Evaluator}, such as {@code beta=2}: what a user writes on
 * the command line or in a training config.
 *
 * <p>Typed getters parse on demand and answer a malformed value with an
 * {@link InvalidInputException} that names the parameter. Immutable and thread-safe.
 */
public final class Parameters {
  private static final Parameters EMPTY = new Parameters(Map.of());
  private final Map<String, String> values;

  private Parameters(Map<String, String> values) {
    this.values = values;
  }

  /**
   * No parameters: every evaluator's defaults.
   *
   * @return the empty parameters, never null
   */
  public static Parameters empty() {
    return EMPTY;
  }

  /**
   * Parameters from a map.
   *
   * @param values name to value, never null, with no null keys or values
   * @return the parameters, never null
   */
  public static Parameters of(Map<String, String> values) {
    Map<String, String> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, "value of " + k)));
    return new Parameters(Collections.unmodifiableMap(copy));
  }

  /**
   * Parameters from {@code KEY=VALUE} strings, as given on a command line.
   *
   * @param assignments the assignments, never null
   * @return the parameters, never null
   * @throws InvalidInputException if one has no {@code =}, an empty key, or repeats a key
   */
  public static Parameters parse(Collection<String> assignments) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String a : assignments) {
      int eq = a.indexOf('=');
      String key = eq < 0 ? "" : a.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw new InvalidInputException("parameter '" + a + "' must have the form KEY=VALUE, for example beta=2");
      }
      if (map.put(key, a.substring(eq + 1).trim()) != null) {
        throw new InvalidInputException("parameter '" + key + "' is given twice");
      }
    }
    return of(map);
  }

  /**
   * Checks that every name here is declared by {@code specs}.
   *
   * @param evaluatorId the evaluator's id, for the message, never null
   * @param specs the declared parameters, never null
   * @return this, for chaining
   * @throws InvalidInputException naming the first unknown parameter and listing the known ones
   */
  public Parameters requireKnown(String evaluatorId, List<ParameterSpec> specs) {
    for (String name : values.keySet()) {
      if (specs.stream().noneMatch(s -> s.name().equals(name))) {
        String known = specs.isEmpty()
            ? "it takes no parameters"
            : "known: " + specs.stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
        throw new InvalidInputException(
            "unknown parameter '" + name + "' for evaluator '" + evaluatorId + "'; " + known);
      }
    }
    return this;
  }

  /**
   * The raw value of a parameter.
   *
   * @param name the name, never null
   * @return the value, or empty if absent; never null
   */
  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * A numeric parameter, if present.
   *
   * @param name the name, never null
   * @return the value, or empty if absent
   * @throws InvalidInputException if present but not a finite number
   */
  public OptionalDouble getDouble(String name) {
    String raw = values.get(Objects.requireNonNull(name, "name"));
    if (raw == null) {
      return OptionalDouble.empty();
    }
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("parameter '" + name + "' must be a number, got '" + raw + "'", e);
    }
    if (!Double.isFinite(v)) {
      throw new InvalidInputException("parameter '" + name + "' must be a finite number, got '" + raw + "'");
    }
    return OptionalDouble.of(v);
  }

  /**
   * A numeric parameter, or a default.
   *
   * @param name the name, never null
   * @param defaultValue returned when absent
   * @return the value
   * @throws InvalidInputException if present but not a finite number
   */
  public double getDouble(String name, double defaultValue) {
    return getDouble(name).orElse(defaultValue);
  }

  /**
   * An integer parameter, or a default.
   *
   * @param name the name, never null
   * @param defaultValue returned when absent
   * @return the value
   * @throws InvalidInputException if present but not an integer
   */
  public int getInt(String name, int defaultValue) {
    String raw = values.get(Objects.requireNonNull(name, "name"));
    if (raw == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("parameter '" + name + "' must be an integer, got '" + raw + "'", e);
    }
  }

  /**
   * All parameters, in the order given.
   *
   * @return an unmodifiable map, never null
   */
  public Map<String, String> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameters p && values.equals(p.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
