/**
 * {@code ce} on Apache Spark: scoring ({@link dev.ce4j.spark.score}), BM25 hard-negative mining
 * ({@link dev.ce4j.spark.mine}), distillation data ({@link dev.ce4j.spark.distil}), evaluation
 * ({@link dev.ce4j.spark.evaluate}) and Hugging Face dataset layouts ({@link
 * dev.ce4j.spark.datasets}) over {@code Dataset<Row>}, with the same numbers as one JVM; {@link
 * dev.ce4j.spark.app} is the {@code spark-submit} application. Spark itself is provided by the
 * cluster.
 */
package dev.ce4j.spark;
