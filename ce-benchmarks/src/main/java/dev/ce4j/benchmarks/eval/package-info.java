/**
 * Benchmarks of the evaluators against scikit-learn, measured side by side in one run; each is a
 * {@code main} program, not a test.
 */
package dev.ce4j.benchmarks.eval;
