/**
 * Helpers shared by the classification evaluators: parameter parsing ({@code beta},
 * {@code zero_division}), input checks, and precision / recall / F-beta arithmetic with
 * scikit-learn's {@code zero_division} and NaN-ignoring averages.
 *
 * <p>Not API: these types may change without notice. All are stateless or immutable and
 * thread-safe; no method accepts or returns null unless it says so.
 */
package dev.ce4j.eval.internal;
