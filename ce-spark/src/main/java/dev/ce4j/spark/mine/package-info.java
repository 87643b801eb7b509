/**
 * BM25 hard-negative mining over a corpus at cluster scale: {@link dev.ce4j.spark.mine.SparkMining}.
 */
package dev.ce4j.spark.mine;
