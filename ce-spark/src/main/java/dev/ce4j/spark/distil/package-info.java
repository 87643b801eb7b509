/**
 * Distillation data: mined candidates scored by a teacher, written as the listwise training file
 * {@code ce train} reads for {@code margin_mse} and the listwise losses: {@link
 * dev.ce4j.spark.distil.SparkDistillation}.
 */
package dev.ce4j.spark.distil;
