/**
 * Correlation between scores and numeric labels, as for semantic-similarity benchmarks:
 * {@link dev.ce4j.eval.correlation.CorrelationEvaluator} (id {@code correlation}) reports
 * Pearson's and Spearman's coefficients, equal to scipy's {@code pearsonr} and {@code spearmanr}.
 */
package dev.ce4j.eval.correlation;
