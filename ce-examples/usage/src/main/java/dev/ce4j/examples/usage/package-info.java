/**
 * Small runnable examples of ce's Java API, one sub-package per capability: {@code scoring}
 * (load a saved model, score pairs, rank documents), {@code multiclass} (train and evaluate a
 * three-class NLI-style cross-encoder), {@code plugin} (a third-party evaluator plugin used during
 * training) and {@code replay} (replay a run from its manifest). Each example is a class with a
 * {@code main} and a {@code run} method that returns what it printed, for the tests; {@code
 * internal} holds what they share (argument parsing, output folders, fixtures).
 */
package dev.ce4j.examples.usage;
