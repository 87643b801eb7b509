package dev.ce4j.spark.app;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mine}: BM25 hard negatives for queries against a corpus. */
@Command(name = "mine", mixinStandardHelpOptions = true, description = "Mine BM25 hard negatives for queries.")
final class MineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin MiningArgs mining;

  @Option(names = "--output", required = true, description = "Parquet folder, or JSON Lines folder (.jsonl)")
  String output;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = Io.session("mine");
    Io.write(mining.mine(spark), output);
    spec.commandLine().getOut().println("mined " + mining.queries + " -> " + output);
    return 0;
  }

}
