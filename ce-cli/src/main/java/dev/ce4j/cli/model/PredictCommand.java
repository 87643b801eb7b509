package dev.ce4j.cli.model;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.model.internal.DeviceOption;
import dev.ce4j.cli.model.internal.PrecisionOption;
import dev.ce4j.cli.model.internal.MaxLength;
import dev.ce4j.cli.model.internal.PairsReader;
import dev.ce4j.cli.model.internal.ProgressLine;
import dev.ce4j.cli.model.internal.ScoresJson;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.predict.PredictActivation;
import dev.ce4j.core.predict.PredictOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ce predict}: scores (query, document) pairs from a JSON Lines file with a model folder
 * and prints one line per pair, in input order.
 *
 * <p>The whole input is read and checked before the model is loaded, so a bad line costs no
 * model load and prints no partial output. Not thread-safe: one instance serves one run.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Score (query, document) pairs with a model; print one line per pair, in input order.",
      "",
      "Input: JSON Lines, one pair per line as a JSON array of two strings (blank lines are"
          + " skipped):",
      "  [\"what is the capital of france\", \"Paris is the capital of France.\"]",
      "or the lines of a training file (labels are ignored): {\"pair\": [\"query\", \"document\"], ...}"
          + " gives one pair, {\"query\": ..., \"documents\": [...], ...} one pair per document.",
      "",
      "Output: a number per pair when the model has one label, else a JSON array of num_labels"
          + " numbers. Scores have the model's activation applied (sigmoid for one label unless"
          + " config.json says otherwise); --activation picks another (--raw: none). The device"
          + " used, and on long runs the progress, are reported on standard error.",
      ""
    })
public final class PredictCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private DeviceOption device;

  @Mixin private PrecisionOption precision;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "The model folder (config.json, model.safetensors, tokenizer.json), as"
          + " written by ce or by sentence-transformers.")
  private Path model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "The pairs, JSON Lines: [\"query\", \"document\"] per line.")
  private Path input;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + CrossEncoder.DEFAULT_BATCH_SIZE,
      description = "Pairs per forward pass (pairs are sorted by length first). Default: ${DEFAULT-VALUE}.")
  private int batchSize;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      defaultValue = "0",
      description = "Truncate each pair to N tokens (longest text first) instead of the model's"
          + " own maximum length; 0 keeps the model's. N counts [CLS], [SEP] twice and the text's"
          + " tokens: at least 4, at most the model's max_position_embeddings.")
  private int maxLength;

  @Option(names = "--raw", description = "Print raw logits, without the model's activation (--activation none).")
  private boolean raw;

  @Option(
      names = "--activation",
      paramLabel = "NAME",
      description = "The function applied to the logits: default (the model's own), sigmoid, softmax"
          + " (over a pair's labels; models with several) or none. Default: default.")
  private String activation;

  @Option(names = "--no-progress", description = "Print no progress lines on standard error.")
  private boolean noProgress;

  /** Creates the command; picocli fills in its options. */
  public PredictCommand() {
    // picocli injects the fields
  }

  /**
   * Reads the pairs, scores them and prints the scores.
   *
   * @return {@link ExitCodes#OK}
   * @throws ParameterException if {@code --batch-size} or {@code --max-length} is out of range
   * @throws InvalidInputException if the input file or the model folder is bad, naming the file
   *     (and the line for the input)
   */
  @Override
  public Integer call() {
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(),
          "--batch-size must be at least 1, got " + batchSize);
    }
    MaxLength.check(spec, maxLength);
    PredictActivation act = activation();
    List<TextPair> pairs = PairsReader.read(input);
    MaxLength.checkAgainst(spec, maxLength, model);
    try (CrossEncoder encoder = CrossEncoder.load(model, precision.apply(device.options().withMaxLength(maxLength)))) {
      DeviceOption.report(spec.commandLine().getErr(), spec.qualifiedName(), encoder.device());
      PrecisionOption.report(spec.commandLine().getErr(), spec.qualifiedName(), encoder);
      if (act == PredictActivation.SOFTMAX && encoder.config().numLabels() < 2) {
        throw new InvalidInputException("--activation softmax needs a model with several labels; model '" + model
            + "' has one (the softmax of one output is always 1): use sigmoid, none or default");
      }
      PredictOptions options = PredictOptions.defaults().withBatchSize(batchSize).withActivation(act);
      if (!noProgress) {
        options = options.withListener(new ProgressLine(spec.commandLine().getErr(), spec.qualifiedName()));
      }
      double[][] scores = encoder.predict(pairs, options);
      PrintWriter out = spec.commandLine().getOut();
      for (double[] row : scores) {
        out.println(ScoresJson.predictionLine(row));
        if (out.checkError()) {
          break; // standard output failed (full disk, closed pipe): ce reports it when the command ends
        }
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** {@code --activation}, or {@code none} for {@code --raw}; both given is a usage error. */
  private PredictActivation activation() {
    if (raw && activation != null) {
      throw new ParameterException(spec.commandLine(), "--raw and --activation cannot be used together;"
          + " --raw is --activation none");
    }
    if (raw) {
      return PredictActivation.NONE;
    }
    try {
      return activation == null ? PredictActivation.DEFAULT : PredictActivation.parse(activation);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--activation: " + e.getMessage());
    }
  }
}
