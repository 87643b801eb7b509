/**
 * The {@code multilabel-classification} evaluator: precision, recall, F-beta and F1 with micro,
 * macro, weighted and samples averages, per-label values, subset accuracy and Hamming loss for a
 * score and a 0/1 indicator per label per sample.
 */
package dev.ce4j.eval.multilabel;
