package dev.ce4j.cli.model;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.model.internal.DeviceOption;
import dev.ce4j.cli.model.internal.OutputFolder;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.tokenize.PairTokenizer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ce init}: creates a new model with seeded random weights from a Hugging Face {@code
 * config.json} and a {@code tokenizer.json}, and writes it as a model folder.
 *
 * <p>The weights are those of {@link CrossEncoder#create}: normal(0, initializer_range) weights,
 * zero biases, LayerNorm weights 1, as transformers initialises them, determined by the seed
 * alone. Not thread-safe: one instance serves one run.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a model with seeded random weights from a config.json and a tokenizer.json.",
      "",
      "Writes a model folder that ce, sentence-transformers and transformers load. The config is"
          + " a Hugging Face config.json whose \"model_type\" (or --model-type) names an"
          + " architecture of 'ce architectures', with that architecture's sizes (for bert, roberta,"
          + " xlm-roberta, electra and deberta-v2: vocab_size, hidden_size, num_hidden_layers,"
          + " num_attention_heads, intermediate_size, and for electra embedding_size; for distilbert:"
          + " vocab_size, dim, n_layers, n_heads, hidden_dim; for modernbert: the same sizes as bert, every"
          + " key with transformers' ModernBertConfig defaults);"
          + " the number of outputs comes from id2label or num_labels (transformers' default: 2)."
          + " The same seed gives the same weights, bit for bit. The output folder must be new or"
          + " empty unless --force is given.",
      ""
    })
public final class InitCommand implements Callable<Integer> {

  /** The seed used when {@code --seed} is not given. */
  public static final long DEFAULT_SEED = 42;

  @Spec private CommandSpec spec;

  @Mixin private DeviceOption device;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "A Hugging Face config.json of a model.")
  private Path config;

  @Option(
      names = "--model-type",
      paramLabel = "TYPE",
      description = "The model_type, when the config names none (it must agree when it does), such"
          + " as bert; 'ce architectures' lists them.")
  private String modelType;

  @Option(
      names = "--tokenizer",
      required = true,
      paramLabel = "FILE",
      description = "The tokenizer.json to save with the model; its ids must fit vocab_size.")
  private Path tokenizer;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The model folder to write; created if needed.")
  private Path output;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "" + DEFAULT_SEED,
      description = "The seed of the initial weights. Default: ${DEFAULT-VALUE}.")
  private long seed;

  @Option(
      names = "--force",
      description = "Write into a non-empty output folder, replacing the model files in it.")
  private boolean force;

  /** Creates the command; picocli fills in its options. */
  public InitCommand() {
    // picocli injects the fields
  }

  /**
   * Creates the model and writes the folder.
   *
   * @return {@link ExitCodes#OK}
   * @throws InvalidInputException if the config or tokenizer file is bad, the tokenizer's ids do
   *     not fit the config's vocab_size, the model would not fit in the Java heap, or the output
   *     folder is not empty (without {@code --force}) or cannot be written
   */
  @Override
  public Integer call() {
    OutputFolder.check(output, force);
    ModelConfig bert = ConfigJson.read(config, modelType);
    // checked here as well as in CrossEncoder.create, so that the messages name the config file
    TokenizerFiles.of(tokenizer).checkFits(bert, config.toString());
    try (PairTokenizer pairs = PairTokenizer.load(tokenizer, bert.maxLength())) {
      pairs.checkTypeIdsFit(bert, config.toString());
    }
    ModelWeights.checkFitsInHeap(bert, config.toString());
    PrintWriter err = spec.commandLine().getErr();
    try (CrossEncoder encoder = CrossEncoder.create(bert, tokenizer, seed, device.options())) {
      DeviceOption.report(err, spec.qualifiedName(), encoder.device());
      try {
        encoder.save(output);
        OutputFolder.removeStaleSpecialTokensMap(output);
      } catch (UncheckedIOException e) {
        throw OutputFolder.failed("cannot write the model folder '" + output + "'", e);
      }
      err.println(spec.qualifiedName() + ": wrote " + output + ": " + ImportOnnxCommand.describe(encoder.config())
          + ", seed " + seed);
      err.flush();
    }
    return ExitCodes.OK;
  }
}
