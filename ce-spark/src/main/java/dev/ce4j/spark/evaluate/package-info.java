/**
 * Any registered evaluator over a scored {@code Dataset<Row>}: {@link
 * dev.ce4j.spark.evaluate.SparkEvaluation}.
 */
package dev.ce4j.spark.evaluate;
