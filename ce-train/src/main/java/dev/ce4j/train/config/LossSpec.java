package dev.ce4j.train.config;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import java.util.Objects;

/**
 * The training loss by name, with its parameters (such as {@code pos_weight} or {@code scale}).
 * The name is checked against the known losses when the trainer builds the loss.
 *
 * @param name the loss name, never null or blank
 * @param params its parameters, never null
 */
public record LossSpec(String name, Parameters params) {
  /** Validates. */
  public LossSpec {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("loss.name must be a non-empty loss name, got '" + name + "'");
    }
    Objects.requireNonNull(params, "params");
  }

  /**
   * A loss with default parameters.
   *
   * @param name the loss name, never null
   * @return the spec, never null
   */
  public static LossSpec of(String name) {
    return new LossSpec(name, Parameters.empty());
  }
}
