/**
 * The {@code spark-submit} application: {@link dev.ce4j.spark.app.SparkApp} with the subcommands
 * {@code score}, {@code mine}, {@code distil}, {@code evaluate} and {@code convert}.
 */
package dev.ce4j.spark.app;
