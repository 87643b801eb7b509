package dev.ce4j.cli.model;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.model.internal.DeviceOption;
import dev.ce4j.cli.model.internal.OutputFolder;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.onnx.OnnxImport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ce import-onnx}: turns a BERT encoder exported to ONNX (or all-MiniLM-L6-v2, shipped
 * with {@code ce}) into a cross-encoder model folder with a freshly seeded classifier head; see
 * {@link OnnxImport}.
 *
 * <p>The import is pure Java: no deep learning engine is loaded. Not thread-safe: one instance
 * serves one run.
 */
@Command(
    name = "import-onnx",
    mixinStandardHelpOptions = true,
    description = {
      "Import a BERT encoder from ONNX and add a seeded head; write a model folder.",
      "",
      "The folder loads in ce, sentence-transformers and transformers. The new classifier head is"
          + " untrained: fine-tune before trusting its scores. Give either --onnx FILE and"
          + " --tokenizer FILE, or --minilm for all-MiniLM-L6-v2 from the Maven artifact "
          + OnnxImport.MINILM_ARTIFACT + " on ce's class path. The output folder must be new or"
          + " empty unless --force is given.",
      ""
    })
public final class ImportOnnxCommand implements Callable<Integer> {

  /** The seed used when {@code --seed} is not given. */
  public static final long DEFAULT_SEED = 42;

  @Spec private CommandSpec spec;

  @Option(names = "--onnx", paramLabel = "FILE", description = "The .onnx export of a BERT encoder.")
  private Path onnx;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "The encoder's tokenizer.json.")
  private Path tokenizer;

  @Option(
      names = "--minilm",
      description = "Import all-MiniLM-L6-v2 (sentence-transformers/all-MiniLM-L6-v2) shipped with ce,"
          + " instead of --onnx and --tokenizer.")
  private boolean minilm;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The model folder to write; created if needed.")
  private Path output;

  @Option(
      names = "--num-labels",
      paramLabel = "N",
      defaultValue = "1",
      description = "Outputs of the new classifier: 1 for a relevance score (sigmoid), more for"
          + " classes. Default: ${DEFAULT-VALUE}.")
  private int numLabels;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "" + DEFAULT_SEED,
      description = "The seed of the new head (and of the pooler when the export has none)."
          + " Default: ${DEFAULT-VALUE}.")
  private long seed;

  @Option(
      names = "--force",
      description = "Write into a non-empty output folder, replacing the model files in it.")
  private boolean force;

  /** Creates the command; picocli fills in its options. */
  public ImportOnnxCommand() {
    // picocli injects the fields
  }

  /**
   * Imports the encoder and writes the folder.
   *
   * @return {@link ExitCodes#OK}
   * @throws ParameterException if the options do not name one source or {@code --num-labels} is
   *     below 1
   * @throws InvalidInputException if a file is missing or not a BERT encoder, or the output
   *     folder is not empty (without {@code --force}) or cannot be written
   */
  @Override
  public Integer call() {
    if (minilm && (onnx != null || tokenizer != null)) {
      throw new ParameterException(spec.commandLine(),
          "--minilm imports the bundled all-MiniLM-L6-v2; give either --minilm or --onnx and --tokenizer, not both");
    }
    if (!minilm && (onnx == null || tokenizer == null)) {
      throw new ParameterException(spec.commandLine(), onnx == null && tokenizer == null
          ? "give --onnx FILE and --tokenizer FILE, or --minilm"
          : "--onnx and --tokenizer go together; missing " + (onnx == null ? "--onnx FILE" : "--tokenizer FILE"));
    }
    if (numLabels < 1) {
      throw new ParameterException(spec.commandLine(), "--num-labels must be at least 1, got " + numLabels);
    }
    OutputFolder.check(output, force);
    PrintWriter err = spec.commandLine().getErr();
    DeviceOption.reportNone(err, spec.qualifiedName(), "the import is pure Java");
    BertConfig written;
    try {
      written = minilm
          ? OnnxImport.miniLmToModelFolder(ImportOnnxCommand.class.getClassLoader(), output, numLabels, seed)
          : OnnxImport.toModelFolder(onnx, tokenizer, output, numLabels, seed);
      OutputFolder.removeStaleSpecialTokensMap(output);
    } catch (UncheckedIOException e) {
      throw OutputFolder.failed("cannot import into '" + output + "'", e);
    }
    err.println(spec.qualifiedName() + ": wrote " + output + ": " + describe(written) + ", seed " + seed);
    err.flush();
    return ExitCodes.OK;
  }

  /**
   * A one-line summary of a configuration, such as {@code bert, 6 layers, hidden 384, 12 heads,
   * intermediate 1536, vocab 30522, 1 label (sigmoid), max_length 512}.
   *
   * @param config the configuration, never null
   * @return the summary, never null
   */
  static String describe(ModelConfig config) {
    Objects.requireNonNull(config, "config");
    return config.modelType() + ", " + config.describeSizes()
        + ", vocab " + config.vocabSize()
        + ", " + config.numLabels() + (config.numLabels() == 1 ? " label" : " labels")
        + " (" + config.activation().name().toLowerCase(java.util.Locale.ROOT) + ")"
        + ", max_length " + config.maxLength();
  }
}
