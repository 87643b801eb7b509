package dev.ce4j.spark.app;

import dev.ce4j.core.predict.PredictActivation;
import dev.ce4j.spark.distil.SparkDistillation;
import dev.ce4j.spark.score.ScoringOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code distil}: mine, score with a teacher, write the listwise training file. */
@Command(name = "distil", mixinStandardHelpOptions = true,
    description = "Mine negatives, score them with a teacher, write listwise training JSON Lines (margin_mse, listwise losses).")
final class DistilCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MiningArgs mining;

  @Option(names = "--teacher", required = true, description = "the teacher's model folder (one output)")
  String teacher;

  @Option(names = "--activation", defaultValue = "NONE", description = "teacher activation, default: ${DEFAULT-VALUE} (logits)")
  PredictActivation activation;

  @Option(names = "--batch-size", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(names = "--threads", defaultValue = "0", description = "intra-op threads per task (0: the executor's setting)")
  int threads;

  @Option(names = "--output", required = true, description = "the training file (.jsonl), written on the driver")
  Path output;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = Io.session("distil");
    long n = SparkDistillation.distil(mining.mine(spark), ScoringOptions.of(teacher).withActivation(activation)
        .withBatchSize(batchSize).withIntraOpThreads(threads), output);
    spec.commandLine().getOut().println("wrote " + n + " records to " + output);
    return 0;
  }
}
