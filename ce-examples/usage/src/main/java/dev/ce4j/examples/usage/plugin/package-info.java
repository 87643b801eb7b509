/**
 * An evaluator plugin in training: {@link
 * dev.ce4j.examples.usage.plugin.TrainWithPluginEvaluator} finds the calibration plugin through
 * the {@link dev.ce4j.api.eval.EvaluatorRegistry} and uses it as a dev evaluator by id.
 */
package dev.ce4j.examples.usage.plugin;
