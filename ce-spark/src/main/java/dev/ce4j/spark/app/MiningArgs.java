package dev.ce4j.spark.app;

import dev.ce4j.spark.mine.MiningJob;
import dev.ce4j.spark.mine.SparkMining;
import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.SamplingStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options {@code mine} and {@code distil} share. */
final class MiningArgs {
  @Option(names = "--queries", required = true, description = "queries: query_id, query, positives (array or string)")
  String queries;

  @Option(names = "--corpus", required = true, description = "corpus: id, text (Parquet or JSON Lines)")
  String corpus;

  @Option(names = "--negatives", defaultValue = "3", description = "negatives per query, default: ${DEFAULT-VALUE}")
  int negatives;

  @Option(names = "--range-min", defaultValue = "0", description = "first rank considered, default: ${DEFAULT-VALUE}")
  int rangeMin;

  @Option(names = "--range-max", defaultValue = "100", description = "one past the last rank, default: ${DEFAULT-VALUE}")
  int rangeMax;

  @Option(names = "--strategy", defaultValue = "TOP", description = "TOP or RANDOM, default: ${DEFAULT-VALUE}")
  SamplingStrategy strategy;

  @Option(names = "--seed", defaultValue = "42", description = "master seed, default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--work", description = "driver-local folder for the index (default: a temporary folder)")
  Path work;

  Dataset<Row> mine(SparkSession spark) throws java.io.IOException {
    MiningOptions options = MiningOptions.DEFAULTS.withRange(rangeMin, rangeMax).withNumNegatives(negatives)
        .withStrategy(strategy);
    Path folder = work != null ? work : Files.createTempDirectory("ce-spark-mine");
    return SparkMining.mine(Io.read(spark, queries), Io.read(spark, corpus), MiningJob.of(options, seed), folder);
  }
}
