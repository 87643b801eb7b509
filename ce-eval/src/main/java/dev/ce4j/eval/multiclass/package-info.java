/**
 * The {@code multiclass-classification} evaluator: accuracy and precision, recall, F-beta and F1
 * with micro, macro and weighted averages and per-class values, for a score per class and one
 * true class per sample.
 */
package dev.ce4j.eval.multiclass;
