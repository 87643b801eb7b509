package dev.ce4j.cli.evaluate;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.evaluate.internal.EvaluationJson;
import dev.ce4j.cli.evaluate.internal.PredictionsReader;
import dev.ce4j.cli.internal.PluginsOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ce evaluate}: runs one evaluator on a JSON Lines file of predictions and prints the
 * metrics as exactly one JSON object on standard output.
 *
 * <p>The evaluator's {@link InputKind} chooses the file format (see {@code ce evaluators}). Counts
 * that the evaluator declares (such as {@code queries}) are printed as integers.
 * Parameters are checked against the evaluator's declared parameters before the file is read.
 * Not thread-safe: one instance serves one run.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Compute metrics from a JSON Lines file of predictions; print them as one JSON object.",
      "",
      "File formats, one JSON object per line (blank lines are skipped):",
      "  pointwise   {\"score\": 0.73, \"label\": 1}",
      "  multiclass  {\"scores\": [0.1, 2.3, -1.0], \"label\": 1}",
      "  multilabel  {\"scores\": [0.9, 0.2, 0.6], \"labels\": [1, 0, 1]}",
      "  ranking     {\"query_id\": \"q7\", \"score\": 3.2, \"label\": 2}",
      "Run 'ce evaluators' to see which format each evaluator reads.",
      ""
    })
public final class EvaluateCommand implements Callable<Integer> {
  private static final Pattern SAMPLE_INDEX = Pattern.compile("\\b(?:scores|labels)\\[(\\d+)]");

  @Spec private CommandSpec spec;

  @Mixin private PluginsOption plugins;

  @Option(
      names = {"-e", "--evaluator"},
      required = true,
      paramLabel = "ID",
      description = "The evaluator to run, such as binary-classification.")
  private String evaluatorId;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      description = "An evaluator parameter, such as beta=2; repeatable.")
  private List<String> params = new ArrayList<>();

  @Option(
      names = "--predictions",
      required = true,
      paramLabel = "FILE",
      description = "The predictions, JSON Lines in the format of the evaluator's input kind.")
  private Path predictions;

  /** Creates the command; picocli fills in its options. */
  public EvaluateCommand() {
    // picocli injects the fields
  }

  /**
   * Runs the evaluation and prints the metrics.
   *
   * @return {@link ExitCodes#OK}
   * @throws InvalidInputException on bad parameters, an unknown evaluator or a bad file
   */
  @Override
  public Integer call() {
    Parameters parameters = Parameters.parse(params);
    try (PluginsOption.Plugins loaded = plugins.open()) {
      Evaluator evaluator = loaded.evaluators().get(evaluatorId);
      parameters.requireKnown(evaluator.id(), evaluator.parameters());
      PredictionsReader.Loaded input = PredictionsReader.read(predictions, evaluator.inputKind());
      Evaluation evaluation;
      try {
        evaluation = evaluator.evaluate(input.predictions(), parameters);
      } catch (InvalidInputException e) {
        String message = String.valueOf(e.getMessage());
        String named = message.contains(evaluator.id()) ? message : "evaluator '" + evaluator.id() + "': " + message;
        throw new InvalidInputException(named + lineHint(message, input), e);
      } catch (LinkageError e) {
        // a plugin evaluator whose library jar is missing: name the jar (exit 2), else an internal error
        Throwable explained = loaded.explain(evaluator.getClass(), e);
        if (explained instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(EvaluationJson.toJson(evaluation, MetricSpec.of(evaluator, parameters, evaluation)));
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Where a message like "labels[3] is 2.0" points to in the file, if it names a sample. */
  private String lineHint(String message, PredictionsReader.Loaded input) {
    if (message == null) {
      return "";
    }
    Matcher m = SAMPLE_INDEX.matcher(message);
    if (!m.find()) {
      return "";
    }
    int line;
    try {
      line = input.lineOf(Integer.parseInt(m.group(1)));
    } catch (NumberFormatException e) {
      return "";
    }
    return line < 0 ? "" : " (sample " + m.group(1) + " is " + predictions + ", line " + line + ")";
  }
}
