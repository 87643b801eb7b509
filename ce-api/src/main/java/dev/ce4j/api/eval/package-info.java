/**
 * Evaluators as plugins.
 *
 * <p>An {@link dev.ce4j.api.eval.Evaluator} turns {@link dev.ce4j.api.eval.Predictions} (scores
 * already computed, as read from a file) into an immutable {@link dev.ce4j.api.eval.Evaluation}
 * keyed by stable lowercase metric names. The same evaluator scores a model during training:
 * {@link dev.ce4j.api.eval.Samples} hold labelled text pairs, a
 * {@link dev.ce4j.api.eval.PairScorer} (the model) scores them, and the result goes through the
 * same code path. Evaluators take named string {@link dev.ce4j.api.eval.Parameters} such as
 * {@code beta=2}, declared by {@link dev.ce4j.api.eval.ParameterSpec}, and declare the metrics they
 * return with {@link dev.ce4j.api.eval.MetricSpec} (key, kind, which way is better).
 * {@link dev.ce4j.api.eval.EvaluatorInputs} holds the input checks most evaluators share.
 *
 * <p>Implementations are registered with {@code META-INF/services/dev.ce4j.api.eval.Evaluator}
 * (for example through Google AutoService) and found by the one
 * {@link dev.ce4j.api.eval.EvaluatorRegistry}.
 */
package dev.ce4j.api.eval;
