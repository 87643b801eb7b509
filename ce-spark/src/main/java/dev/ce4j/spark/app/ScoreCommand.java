package dev.ce4j.spark.app;

import dev.ce4j.core.predict.PredictActivation;
import dev.ce4j.spark.score.ScoringOptions;
import dev.ce4j.spark.score.SparkScoring;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code score}: adds a score column to (query, document) rows. */
@Command(name = "score", mixinStandardHelpOptions = true, description = "Score (query, document) rows with a model folder.")
final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, description = "model folder, readable at this path on every executor")
  String model;

  @Option(names = "--input", required = true, description = "Parquet, or JSON Lines (.jsonl)")
  String input;

  @Option(names = "--output", required = true, description = "Parquet folder, or JSON Lines folder (.jsonl)")
  String output;

  @Option(names = "--query-column", defaultValue = "query", description = "default: ${DEFAULT-VALUE}")
  String queryColumn;

  @Option(names = "--document-column", defaultValue = "document", description = "default: ${DEFAULT-VALUE}")
  String documentColumn;

  @Option(names = "--id-column", defaultValue = "", description = "row id named in error messages")
  String idColumn;

  @Option(names = "--score-column", defaultValue = "score", description = "default: ${DEFAULT-VALUE}")
  String scoreColumn;

  @Option(names = "--batch-size", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "intra-op threads per task (0: the executor's setting)")
  int threads;

  @Option(names = "--activation", defaultValue = "DEFAULT", description = "DEFAULT, SIGMOID, SOFTMAX or NONE")
  PredictActivation activation;

  @Option(names = "--partitions", defaultValue = "0", description = "repartition the input first (0: keep)")
  int partitions;

  @Override
  public Integer call() {
    SparkSession spark = Io.session("score");
    Dataset<Row> data = Io.read(spark, input);
    if (partitions > 0) {
      data = data.repartition(partitions);
    }
    ScoringOptions options = ScoringOptions.of(model).withColumns(queryColumn, documentColumn).withIdColumn(idColumn)
        .withScoreColumn(scoreColumn).withBatchSize(batchSize).withIntraOpThreads(threads).withActivation(activation);
    Io.write(SparkScoring.score(data, options), output);
    spec.commandLine().getOut().println("scored " + input + " -> " + output);
    return 0;
  }
}
