/**
 * The built-in evaluators of {@code ce}, each discovered through
 * {@link dev.ce4j.api.eval.EvaluatorRegistry}.
 *
 * <p>Sub-packages group them by task: {@code binary}, {@code multilabel} and {@code multiclass}
 * classification (precision, recall, F-beta, accuracy, average precision, with the semantics of
 * current scikit-learn), {@code ranking} and {@code correlation}. Non-API helpers live in
 * {@code internal} packages. Every evaluator is stateless, thread-safe and never modifies its
 * input.
 */
package dev.ce4j.eval;
