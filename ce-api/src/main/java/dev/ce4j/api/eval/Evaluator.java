package dev.ce4j.api.eval;

import java.util.List;
import java.util.Objects;

/**
 * A metric plugin: reads {@link Predictions} of one {@link InputKind} and returns an immutable
 * {@link Evaluation}.
 *
 * <p>Three methods are required: {@link #id()}, {@link #inputKind()} and
 * {@link #evaluate(Predictions, Parameters)}; the rest is optional metadata with defaults. An
 * evaluator should declare its metrics ({@link #metrics(Parameters)}): a trainer then knows, before
 * it trains, which metric keys exist, which are single numbers, counts or per-label arrays, and
 * whether higher or lower is better. {@link EvaluatorInputs} holds the input checks most
 * evaluators need.
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

  /**
   * The metrics {@link #evaluate(Predictions, Parameters)} returns with these parameters, in the
   * order it returns them: each key with its kind (a number, a count, a per-label array) and
   * whether higher or lower is better. The contract kit in {@code ce-test} checks that every
   * result has exactly the declared keys, each of the declared shape.
   *
   * <p>The default declares nothing (an empty list). The metrics of such an evaluator are inferred
   * from what it returns by {@link MetricSpec#inferred}: a number or a per-label array by shape,
   * lower-is-better when the key ends with {@code loss}, higher-is-better otherwise. Declare them
   * whenever this rule is wrong for a metric, as it is for an error rate or a calibration error.
   *
   * @param parameters named parameters, as for {@link #evaluate(Predictions, Parameters)}, never
   *     null
   * @return an immutable list, never null; empty when the evaluator does not declare its metrics
   * @throws dev.ce4j.api.InvalidInputException if a parameter is unknown or out of range, as
   *     {@link #evaluate(Predictions, Parameters)} would
   */
  default List<MetricSpec> metrics(Parameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    return List.of();
  }
}
