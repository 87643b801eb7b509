/**
 * Hugging Face dataset layouts in Parquet to {@code ce}'s training JSON Lines: {@link
 * dev.ce4j.spark.datasets.HfDatasets}.
 */
package dev.ce4j.spark.datasets;
