package dev.ce4j.cli.model;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.model.internal.DeviceOption;
import dev.ce4j.cli.model.internal.PrecisionOption;
import dev.ce4j.cli.model.internal.MaxLength;
import dev.ce4j.cli.model.internal.DocumentsReader;
import dev.ce4j.cli.model.internal.ScoresJson;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.predict.RankOptions;
import dev.ce4j.core.RankedDocument;
import dev.ce4j.core.io.ModelFolder;
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
 * {@code ce rank}: scores one query against the documents of a text file (one per line) and
 * prints them best first, one JSON object per line.
 *
 * <p>The documents are read before the model is loaded. Not thread-safe: one instance serves one
 * run.
 */
@Command(
    name = "rank",
    mixinStandardHelpOptions = true,
    description = {
      "Rank the documents of a text file (one per line) for a query; print them best first.",
      "",
      "Output: one JSON object per document, sorted by score, highest first (ties: input order):",
      "  {\"index\":2,\"line\":3,\"score\":0.93,\"document\":\"Paris is the capital.\"}",
      "",
      "index counts documents from 0; line is the document's line in the file (blank lines are"
          + " skipped and are not documents); score has the model's activation applied. The model"
          + " must have one label. The device used is reported on standard error.",
      ""
    })
public final class RankCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private DeviceOption device;

  @Mixin private PrecisionOption precision;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "The model folder (config.json, model.safetensors, tokenizer.json), with one label.")
  private Path model;

  @Option(names = "--query", required = true, paramLabel = "TEXT", description = "The query.")
  private String query;

  @Option(
      names = "--documents",
      required = true,
      paramLabel = "FILE",
      description = "The documents, UTF-8 text, one per line.")
  private Path documents;

  @Option(
      names = "--top-k",
      paramLabel = "N",
      description = "Print only the N best documents. Default: all.")
  private Integer topK;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + CrossEncoder.DEFAULT_BATCH_SIZE,
      description = "Documents per forward pass (sorted by length first). Default: ${DEFAULT-VALUE}.")
  private int batchSize;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      defaultValue = "0",
      description = "Truncate each (query, document) to N tokens (longest text first) instead of"
          + " the model's own maximum length; 0 keeps the model's. N counts [CLS], [SEP] twice and the"
          + " text's tokens: at least 4, at most the model's max_position_embeddings.")
  private int maxLength;

  /** Creates the command; picocli fills in its options. */
  public RankCommand() {
    // picocli injects the fields
  }

  /**
   * Reads the documents, ranks them and prints the ranking.
   *
   * @return {@link ExitCodes#OK}
   * @throws ParameterException if {@code --top-k} or {@code --max-length} is out of range
   * @throws InvalidInputException if the documents file or the model folder is bad, or the model
   *     has more than one label
   */
  @Override
  public Integer call() {
    if (topK != null && topK < 1) {
      throw new ParameterException(spec.commandLine(), "--top-k must be at least 1, got " + topK);
    }
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
    }
    MaxLength.check(spec, maxLength);
    DocumentsReader.Documents docs = DocumentsReader.read(documents);
    MaxLength.checkAgainst(spec, maxLength, model);
    try (CrossEncoder encoder = CrossEncoder.load(model, precision.apply(device.options().withMaxLength(maxLength)))) {
      DeviceOption.report(spec.commandLine().getErr(), spec.qualifiedName(), encoder.device());
      PrecisionOption.report(spec.commandLine().getErr(), spec.qualifiedName(), encoder);
      int labels = encoder.config().numLabels();
      if (labels != 1) {
        throw new InvalidInputException("model '" + model + "' has " + labels + " labels (see its "
            + ModelFolder.CONFIG + "); rank needs a model with one label, a relevance score."
            + " Use 'ce predict' to get every label's score");
      }
      List<String> texts = docs.texts();
      List<RankedDocument> ranked = encoder.rank(query, texts, RankOptions.defaults()
          .withTopK(topK == null ? texts.size() : topK).withBatchSize(batchSize));
      PrintWriter out = spec.commandLine().getOut();
      for (RankedDocument r : ranked) {
        out.println(ScoresJson.rankedLine(r.index(), docs.line(r.index()), r.score(), texts.get(r.index())));
        if (out.checkError()) {
          break; // standard output failed (full disk, closed pipe): ce reports it when the command ends
        }
      }
      out.flush();
    }
    return ExitCodes.OK;
  }
}
