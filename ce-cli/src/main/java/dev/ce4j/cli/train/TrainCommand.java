package dev.ce4j.cli.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.progress.MetricsWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ce train}: trains a cross-encoder from a JSON config with {@link CrossEncoderTrainer}.
 * Progress goes to standard error; the last line of standard output is a JSON summary with the
 * output folder, the final model's {@code fingerprint}, the steps and the last metrics.
 *
 * <p>The intra-op thread count is pinned by the trainer; the {@code ce} launcher may also start
 * the JVM with {@code -Dai.djl.pytorch.num_threads=N} (set {@code CE_JAVA_OPTS}), which strict
 * determinism requires. Not thread-safe: one instance serves one run.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a cross-encoder from a JSON config, reproducibly: the same config, seed and thread"
          + " count give bitwise-identical weights.",
      "",
      "Everything the run reads (data, labels for the loss, the model's outputs, evaluators and"
          + " metricForBestModel) is checked before anything is written. A new run needs a new or"
          + " empty output folder; --resume needs the folder of a run, continues from its newest"
          + " intact checkpoint and refuses a changed config, data, thread count or device unless"
          + " --force. The folder is locked while the run trains. Progress goes to standard error;"
          + " the last line of standard output is a JSON summary including \"fingerprint\".",
      ""
    })
public final class TrainCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec private CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The training config (JSON).")
  private Path config;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "The output folder (checkpoints, run.json, metrics, model/).")
  private Path output;

  @Option(names = "--seed", paramLabel = "N", description = "Overrides the config's master seed (any integer, 0 included).")
  private Long seed;

  @Option(names = "--resume", description = "Continue from the latest complete checkpoint in the output folder.")
  private boolean resume;

  @Option(names = "--force", description = "With --resume: resume even when the config, data, thread count or device differ from the checkpoint's.")
  private boolean force;

  /** Creates the command; picocli fills in its options. */
  public TrainCommand() {
    // picocli injects the fields
  }

  /**
   * Trains and prints the summary.
   *
   * @return {@link ExitCodes#OK}
   * @throws ParameterException for {@code --force} without {@code --resume}
   * @throws dev.ce4j.api.InvalidInputException for a bad config or data, an output folder that
   *     holds another run or anything else (or, to resume, no run), an output folder in use by
   *     another process, or a refused resume
   * @throws dev.ce4j.api.CeException if training fails or diverges
   */
  @Override
  public Integer call() {
    if (force && !resume) {
      throw new ParameterException(spec.commandLine(),
          "--force goes with --resume (it resumes a run whose settings changed); a new run never"
              + " writes into a folder that holds anything");
    }
    TrainingArguments args = TrainingArguments.read(config);
    if (seed != null) {
      args = args.withSeed(seed);
    }
    TrainingResult result;
    Map<String, MetricSpec> declared;
    PrintStream progress = ErrStream.of(spec.commandLine().getErr());
    try (CrossEncoderTrainer trainer =
        CrossEncoderTrainer.builder(args, output).resume(resume).force(force).progress(progress).build()) {
      result = trainer.train();
      declared = trainer.metrics();
    }
    ObjectNode summary = JSON.createObjectNode();
    summary.put("output", result.outputDirectory().toString());
    summary.put("model", result.outputDirectory().resolve(CrossEncoderTrainer.FINAL_MODEL).toString());
    summary.put("fingerprint", result.fingerprint());
    summary.put("steps", result.steps());
    summary.put("seed", args.seed());
    ObjectNode metrics = summary.putObject("metrics");
    result.finalMetrics().forEach((k, v) -> {
      MetricSpec m = declared.get(k);
      if (m != null && m.kind().isCount() && MetricsWriter.isWholeNumber(v)) {
        metrics.put(k, v.longValue());
      } else if (Double.isFinite(v)) {
        metrics.put(k, v);
      } else {
        metrics.putNull(k);
      }
    });
    spec.commandLine().getOut().println(summary.toString());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
