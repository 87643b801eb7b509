/**
 * An example evaluator plugin: {@link
 * dev.ce4j.examples.calibration.ExpectedCalibrationErrorEvaluator} measures how well binary
 * probabilities are calibrated. It depends on {@code ce-api} alone and is registered with
 * {@code @AutoService}, so its jar works with {@code ce evaluators --plugins DIR} and
 * {@code ce evaluate --plugins DIR}.
 */
package dev.ce4j.examples.calibration;
