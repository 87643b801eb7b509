/**
 * The {@code binary-classification} evaluator: F-beta, F1, precision, recall and accuracy at a
 * given or best decision threshold, and average precision, for one score and a 0/1 label per
 * sample.
 */
package dev.ce4j.eval.binary;
