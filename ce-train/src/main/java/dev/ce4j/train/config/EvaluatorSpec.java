package dev.ce4j.train.config;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import java.util.Objects;

/**
 * An evaluator run during training: a registry id, its parameters, the data it scores, and a name
 * that prefixes its metric keys (so the same evaluator can run on two data sets).
 *
 * @param name a unique name among the run's evaluators, never null or blank; often the id
 * @param id the evaluator id in the {@link dev.ce4j.api.eval.EvaluatorRegistry}, never null
 * @param params the evaluator's parameters, never null
 * @param data the evaluation data, never null
 */
public record EvaluatorSpec(String name, String id, Parameters params, DataFile data) {
  /** Validates. */
  public EvaluatorSpec {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("evaluator id must be a non-empty evaluator id, got '" + id + "'");
    }
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(
          "evaluator name of '" + id + "' must be non-empty, got '" + name + "'");
    }
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(data, "data");
  }

  /**
   * An evaluator named by its id, with default parameters.
   *
   * @param id the evaluator id, never null
   * @param data the evaluation data, never null
   * @return the spec, never null
   */
  public static EvaluatorSpec of(String id, DataFile data) {
    return new EvaluatorSpec(id, id, Parameters.empty(), data);
  }
}
