package dev.ce4j.spark.app;

import dev.ce4j.spark.datasets.HfDatasets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code convert}: a Hugging Face dataset layout in Parquet to ce's training JSON Lines. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Write a Hugging Face Parquet dataset (query/document/label, sentence1/sentence2/label,"
        + " query/positive/negative) as ce training JSON Lines.")
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Parquet file or folder")
  String input;

  @Option(names = "--output", required = true, description = "the training file (.jsonl), written on the driver")
  Path output;

  @Override
  public Integer call() {
    SparkSession spark = Io.session("convert");
    long n = HfDatasets.writeTrainingJsonl(Io.read(spark, input), output);
    spec.commandLine().getOut().println("wrote " + n + " records to " + output);
    return 0;
  }
}
