/**
 * The contracts of {@code ce}, a framework for training, evaluating and serving cross-encoder
 * rerankers.
 *
 * <p>This module depends on the JDK alone. Sub-packages:
 * <ul>
 *   <li>{@link dev.ce4j.api.eval} &mdash; {@link dev.ce4j.api.eval.Evaluator} plugins, their
 *       inputs ({@link dev.ce4j.api.eval.Predictions}, {@link dev.ce4j.api.eval.Samples}) and their
 *       immutable result ({@link dev.ce4j.api.eval.Evaluation});</li>
 *   <li>{@link dev.ce4j.api.seed} &mdash; {@link dev.ce4j.api.seed.SeedStrategy}, the one source of
 *       every random number in a training run;</li>
 *   <li>{@link dev.ce4j.api.train} &mdash; the {@link dev.ce4j.api.train.Trainer} contract.</li>
 * </ul>
 *
 * <p>Unless a method says otherwise, no parameter may be {@code null} and no method returns
 * {@code null}; violations throw {@link java.lang.NullPointerException}.
 */
package dev.ce4j.api;
