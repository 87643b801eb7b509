/**
 * Scoring a {@code Dataset<Row>} of (query, document) pairs with a model folder: {@link
 * dev.ce4j.spark.score.SparkScoring}.
 */
package dev.ce4j.spark.score;
