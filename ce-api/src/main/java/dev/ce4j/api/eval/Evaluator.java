package dev.ce4j.api.eval;

import java.util.List;
import java.util.Objects;

/**
 * A metric plugin: reads {@link Predictions} of one {@link InputKind} and returns an immutable
 * {@link Evaluation}.
 *
 * <p>Three methods are required: {@link #id()}, {@link #inputKind()} and
 * {@link #evaluate(Predictions, Parameters)}; the rest is optional metadata with defaults.
 * Implementations are registered in {@code META-INF/services/dev.ce4j.api.eval.Evaluator} (for
 * example with {@code @AutoService(Evaluator.class)}) and discovered by
 * {@link EvaluatorRegistry}. They must have a public no-argument constructor that does no I/O and
 * loads no native code, must be stateless and thread-safe, must not modify their inputs, and must
 * give equal results for equal inputs. The {@code ce-test} module publishes a contract test that
 * checks all of this.
 */
public interface Evaluator {

  /**
   * The stable id users select this evaluator by, such as {@code binary-classification}:
   * lowercase letters, digits and {@code -}, unique among all evaluators on the class path.
   *
   * @return the id, never null
   */
  String id();

  /**
   * The kind of predictions this evaluator reads.
   *
   * @return the kind, never null
   */
  InputKind inputKind();

  /**
   * Computes the metrics.
   *
   * @param predictions predictions of {@link #inputKind()}, never null, not modified
   * @param parameters named parameters, each declared by {@link #parameters()}, never null
   * @return the metrics, never null
   * @throws dev.ce4j.api.InvalidInputException if the predictions are of another kind, empty, or
   *     unsuitable (for example a binary label that is not 0 or 1), or a parameter is unknown or
   *     out of range; the message names the culprit
   */
  Evaluation evaluate(Predictions predictions, Parameters parameters);

  /**
   * Computes the metrics with every parameter at its default.
   *
   * @param predictions predictions of {@link #inputKind()}, never null, not modified
   * @return the metrics, never null
   */
  default Evaluation evaluate(Predictions predictions) {
    return evaluate(predictions, Parameters.empty());
  }

  /**
   * Scores labelled samples with a model and computes the metrics: how a trainer evaluates on
   * development data. The default implementation scores the samples and delegates to
   * {@link #evaluate(Predictions, Parameters)}.
   *
   * @param samples labelled pairs of {@link #inputKind()}, never null
   * @param scorer the model, never null
   * @param parameters named parameters, never null
   * @return the metrics, never null
   */
  default Evaluation evaluate(Samples samples, PairScorer scorer, Parameters parameters) {
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(parameters, "parameters");
    return evaluate(samples.predict(scorer), parameters);
  }

  /**
   * One sentence on what this evaluator measures, for {@code ce evaluators}.
   *
   * @return the description, never null; empty by default
   */
  default String description() {
    return "";
  }

  /**
   * The parameters this evaluator accepts.
   *
   * @return an immutable list, never null; empty by default
   */
  default List<ParameterSpec> parameters() {
    return List.of();
  }
}
