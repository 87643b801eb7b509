package dev.ce4j.spark.app;

import dev.ce4j.api.CeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spark-submit} entry point of the {@code ce-spark-*-app.jar}: {@code spark-submit
 * --class dev.ce4j.spark.app.SparkApp ce-spark-VERSION-app.jar score|mine|distil|evaluate|convert
 * ...}. The Spark session comes from {@code spark-submit} (master, resources); every command reads
 * Parquet (a file or folder) or JSON Lines ({@code .jsonl}/{@code .json}) and says what it wrote.
 * Exit status 0 on success, 1 on an error (one line on standard error, no Spark stack), 2 on a
 * usage error.
 */
@Command(name = "ce-spark", mixinStandardHelpOptions = true,
    description = "ce on Apache Spark: score, mine, distil, evaluate and convert datasets.",
    subcommands = {ScoreCommand.class, MineCommand.class, DistilCommand.class, EvaluateCommand.class,
        ConvertCommand.class})
public final class SparkApp implements Callable<Integer> {
  /** For picocli. */
  public SparkApp() {}

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return 2;
  }

  /**
   * Runs a command line.
   *
   * @param args the arguments, never null
   * @param out standard output, never null
   * @param err standard error, never null
   * @return the exit status
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SparkApp());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, line, parse) -> {
      if (e instanceof CeException) {
        err.println("ce-spark: error: " + e.getMessage());
        err.flush();
        return 1;
      }
      throw e;
    });
    return cl.execute(args);
  }

  /**
   * The main method.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(status);
  }
}
