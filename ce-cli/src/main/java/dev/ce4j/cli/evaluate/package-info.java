/**
 * Evaluation from the command line: {@code ce evaluators} lists the evaluators that
 * {@link dev.ce4j.api.eval.EvaluatorRegistry} finds (plugins included) and {@code ce evaluate}
 * runs one on a JSON Lines file of predictions and prints the metrics as one JSON object.
 */
package dev.ce4j.cli.evaluate;
