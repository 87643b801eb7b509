package dev.ce4j.train.config;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An evaluator run during training: a registry id, its parameters, the data it scores, and a name
 * that prefixes its metric keys (so the same evaluator can run on two data sets).
 *
 * @param name a unique name among the run's evaluators: letters, digits, {@code _}, {@code -} and
 *     {@code .}, not {@code train} (taken by {@code train/loss}); often the id
 * @param id the evaluator id in the {@link dev.ce4j.api.eval.EvaluatorRegistry}, never null
 * @param params the evaluator's parameters, never null
 * @param data the evaluation data, never null
 */
public record EvaluatorSpec(String name, String id, Parameters params, DataFile data) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final String TRAIN = "train";

  /** Validates. */
  public EvaluatorSpec {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("evaluator id must be a non-empty evaluator id, got '" + id + "'");
    }
    if (name == null || name.isBlank()) {
      throw new InvalidInputException(
          "evaluator name of '" + id + "' must be non-empty, got '" + name + "'");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "evaluator name '" + name + "' may hold only letters, digits, '_', '-' and '.' (it starts every"
              + " metric key of the evaluator, as in " + "dev/map, and names a column of metrics.csv)");
    }
    if (name.equals(TRAIN)) {
      throw new InvalidInputException(
          "evaluator name 'train' is taken by the training loss (train/loss); choose another, such as dev");
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
