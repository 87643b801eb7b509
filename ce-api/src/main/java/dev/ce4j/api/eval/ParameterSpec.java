package dev.ce4j.api.eval;

import java.util.Objects;
import java.util.Optional;

/**
 * Declares one named parameter an {@link Evaluator} accepts, such as {@code beta}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the stable lowercase name, never null
 * @param description one sentence for {@code ce evaluators}, never null
 * @param defaultValue the value used when the parameter is absent, as text; empty when the
 *     parameter is optional with no default (for example a fixed threshold), never null
 */
public record ParameterSpec(String name, String description, Optional<String> defaultValue) {
  /** Validates the name. */
  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(defaultValue, "defaultValue");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "parameter name '" + name + "' must be lowercase letters, digits and '_'");
    }
  }

  /**
   * A parameter with a default value.
   *
   * @param name the name, never null
   * @param description the description, never null
   * @param defaultValue the default, as text, never null
   * @return the spec, never null
   */
  public static ParameterSpec of(String name, String description, String defaultValue) {
    return new ParameterSpec(name, description, Optional.of(defaultValue));
  }

  /**
   * An optional parameter without a default.
   *
   * @param name the name, never null
   * @param description the description, never null
   * @return the spec, never null
   */
  public static ParameterSpec optional(String name, String description) {
    return new ParameterSpec(name, description, Optional.empty());
  }
}
