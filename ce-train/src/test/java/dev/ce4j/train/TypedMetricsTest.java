package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorInputs;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.eval.binary.BinaryClassificationEvaluator;
import dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator;
import dev.ce4j.eval.ranking.RerankingEvaluator;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.progress.MetricsWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared metrics in training: the direction of {@code metricForBestModel} comes from its
 * evaluator's declaration (and is what {@code run.json} records), a contradicting {@code
 * greaterIsBetter} is honoured with a warning, counts and thresholds cannot rank checkpoints
 * without a direction, an evaluator whose results contradict its declaration is refused before
 * anything is written, and the logs keep per-label arrays (metrics.jsonl) and write counts as
 * integers.
 */
class TypedMetricsTest {
  private static final Path TINY_DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  /** The share of 0/1 labels predicted wrong at 0.5: lower is better, though its key does not say "loss". */
  public static final class ErrorRate implements Evaluator {
    @Override
    public String id() {
      return "error-rate";
    }

    @Override
    public InputKind inputKind() {
      return InputKind.POINTWISE;
    }

    @Override
    public List<MetricSpec> metrics(Parameters parameters) {
      return List.of(MetricSpec.lowerIsBetter("error", "share predicted wrong"), MetricSpec.count("n", "samples"));
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      PointwisePredictions p = EvaluatorInputs.requireNonEmpty(id(), predictions, PointwisePredictions.class);
      double[] s = p.scores();
      double[] y = p.labels();
      int wrong = 0;
      for (int i = 0; i < s.length; i++) {
        wrong += (s[i] >= 0.5) == (y[i] == 1) ? 0 : 1;
      }
      return Evaluation.builder(id()).put("error", (double) wrong / s.length).put("n", s.length).build();
    }
  }

  /** Declares a metric it never returns. */
  public static final class Misdeclared implements Evaluator {
    @Override
    public String id() {
      return "misdeclared";
    }

    @Override
    public InputKind inputKind() {
      return InputKind.POINTWISE;
    }

    @Override
    public List<MetricSpec> metrics(Parameters parameters) {
      return List.of(MetricSpec.higherIsBetter("accuracy", ""), MetricSpec.higherIsBetter("f1", ""));
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      return Evaluation.builder(id()).put("accuracy", 0.5).build();
    }
  }

  private TrainingArguments pointwise(String evaluatorId, String metric) {
    DataFile train = DataFile.pairs(TINY_DATA.resolve("train.jsonl"));
    return TrainingArguments.builder().setSeed(42)
        .setModel(ModelSource.fromScratch(TINY_DATA.resolve("config.json"), TINY_DATA.resolve("tokenizer.json")))
        .setTrainData(train).setLoss(LossSpec.of("bce")).optBatchSize(16).optLearningRate(0.002).optNumThreads(1)
        .optMaxSteps(2).optEvalSteps(1).optSaveSteps(2)
        .optEvaluators(List.of(new EvaluatorSpec("dev", evaluatorId, Parameters.empty(), train)))
        .optMetricForBestModel(metric).build();
  }

  private CrossEncoderTrainer trainer(TrainingArguments args, Path out, Evaluator... evaluators) {
    CrossEncoderTrainer.Builder b = CrossEncoderTrainer.builder(args, out)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8));
    if (evaluators.length > 0) {
      b.evaluatorRegistry(EvaluatorRegistry.of(List.of(evaluators)));
    }
    return b.build();
  }

  private JsonNode recordedArguments(Path out) throws IOException {
    return JSON.readTree(out.resolve(RunManifest.FILE_NAME).toFile()).get("arguments");
  }

  @Test
  void theDeclaredDirectionRanksAndIsRecorded() throws IOException {
    Path out = dir.resolve("run");
    try (CrossEncoderTrainer t = trainer(pointwise("error-rate", "dev/error"), out, new ErrorRate())) {
      t.train();
      assertThat(t.metrics()).containsOnlyKeys("train/loss", "dev/error", "dev/n");
      assertThat(t.metrics().get("dev/error").direction()).isEqualTo(MetricSpec.Direction.LOWER_IS_BETTER);
    }
    // the name rule would have said higher-is-better: "error" does not end with "loss"
    assertThat(recordedArguments(out).get("greaterIsBetter").booleanValue()).isFalse();
    assertThat(progress.toString(StandardCharsets.UTF_8)).doesNotContain("warning");
    RunManifest manifest = RunManifest.read(out.resolve(RunManifest.FILE_NAME));
    assertThat(manifest.arguments().greaterIsBetter()).isFalse();
    // the recorded arguments are the configured ones with the direction filled in, as an explicit
    // greaterIsBetter would have given them: a replay or resume ranks the same way
    assertThat(manifest.arguments())
        .isEqualTo(pointwise("error-rate", "dev/error").toBuilder().optGreaterIsBetter(false).build());
  }

  @Test
  void anUndeclaredEvaluatorFollowsTheNameRule() throws IOException {
    Evaluator undeclared = new Evaluator() {
      @Override public String id() { return "undeclared-loss"; }
      @Override public InputKind inputKind() { return InputKind.POINTWISE; }
      @Override public Evaluation evaluate(Predictions p, Parameters params) {
        return Evaluation.builder(id()).put("eval_loss", 0.5).putArray("loss_per_label", new double[] {0.5}).build();
      }
    };
    Path out = dir.resolve("run");
    try (CrossEncoderTrainer t = trainer(pointwise("undeclared-loss", "dev/eval_loss"), out, undeclared)) {
      t.train();
      assertThat(t.metrics().get("dev/eval_loss")).isEqualTo(MetricSpec.inferred("eval_loss", false));
      assertThat(t.metrics().get("dev/loss_per_label").kind()).isEqualTo(MetricSpec.Kind.PER_LABEL);
    }
    assertThat(recordedArguments(out).get("greaterIsBetter").booleanValue()).isFalse();
    assertThat(JSON.readTree(Files.readAllLines(out.resolve(MetricsWriter.JSONL)).get(0)).get("perLabel").toString())
        .isEqualTo("{\"dev/loss_per_label\":[0.5]}");
  }

  @Test
  void aContradictingGreaterIsBetterIsHonouredWithAWarning() throws IOException {
    Path out = dir.resolve("run");
    TrainingArguments args = pointwise("error-rate", "dev/error").toBuilder().optGreaterIsBetter(true).build();
    try (CrossEncoderTrainer t = trainer(args, out, new ErrorRate())) {
      t.train();
    }
    assertThat(recordedArguments(out).get("greaterIsBetter").booleanValue()).isTrue();
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains(
        "ce-train: warning: greaterIsBetter true contradicts metricForBestModel 'dev/error', which its evaluator"
            + " declares lower-is-better; the run ranks by greaterIsBetter true as configured");
  }

  @Test
  void aCountCannotRankCheckpoints() {
    Path out = dir.resolve("run");
    TrainingArguments args = pointwise("error-rate", "dev/n").toBuilder().optGreaterIsBetter(true).build();
    assertThatThrownBy(() -> trainer(args, out, new ErrorRate()).train())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("metricForBestModel 'dev/n' is a count: it describes the evaluation data, not the model")
        .hasMessageContaining("such as one of dev/error");
    assertThat(out).doesNotExist();
  }

  @Test
  void aThresholdNeedsAnExplicitDirection() throws IOException {
    Path out = dir.resolve("run");
    TrainingArguments args = pointwise(BinaryClassificationEvaluator.ID, "dev/f1_threshold");
    assertThatThrownBy(() -> trainer(args, out, new BinaryClassificationEvaluator()).train())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("metricForBestModel 'dev/f1_threshold' has no better direction")
        .hasMessageContaining("dev/fbeta, dev/precision")
        .hasMessageContaining("or set greaterIsBetter");
    assertThat(out).doesNotExist();

    try (CrossEncoderTrainer t = trainer(args.toBuilder().optGreaterIsBetter(false).build(), out,
        new BinaryClassificationEvaluator())) {
      assertThat(t.train().steps()).isEqualTo(2);
    }
    assertThat(recordedArguments(out).get("greaterIsBetter").booleanValue()).isFalse();
  }

  @Test
  void anEvaluatorWhoseResultsContradictItsDeclarationIsRefusedBeforeWriting() {
    Path out = dir.resolve("run");
    assertThatThrownBy(() -> trainer(pointwise("misdeclared", null), out, new Misdeclared()).train())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("evaluator 'dev' (misdeclared, " + Misdeclared.class.getName() + ") returns other"
            + " metrics than it declares: declared metric 'f1' is missing from the result");
    assertThat(out).doesNotExist();
  }

  @Test
  void perLabelArraysGoToMetricsJsonlAndRunJsonNotTheCsv() throws IOException {
    Path out = dir.resolve("run");
    Path data = dir.resolve("multi.jsonl");
    Files.writeString(data, "{\"pair\": [\"what about star\", \"a star comet\"], \"label\": [1, 0, 1]}\n"
        + "{\"pair\": [\"what about oven\", \"oven recipe sauce\"], \"label\": [0, 0, 1]}\n");
    TrainingArguments args = pointwise(MultilabelClassificationEvaluator.ID, "dev/f1_macro").toBuilder()
        .setModel(ModelSource.fromScratch(TINY_DATA.resolve("config.json"), TINY_DATA.resolve("tokenizer.json"))
            .withNumLabels(3))
        .setTrainData(DataFile.pairs(data)).setLoss(LossSpec.of("multilabel_bce")).optBatchSize(2)
        .optEvaluators(List.of(
            new EvaluatorSpec("dev", MultilabelClassificationEvaluator.ID, Parameters.empty(), DataFile.pairs(data))))
        .build();
    try (CrossEncoderTrainer t = trainer(args, out, new MultilabelClassificationEvaluator())) {
      t.train();
    }
    List<String> jsonl = Files.readAllLines(out.resolve(MetricsWriter.JSONL));
    assertThat(jsonl).hasSize(2);
    JsonNode first = JSON.readTree(jsonl.get(0));
    // the two samples' labels are [1, 0, 1] and [0, 0, 1]: supports 1, 0, 2, written as integers
    assertThat(first.get("perLabel").get("dev/support_per_label").toString()).isEqualTo("[1,0,2]");
    assertThat(first.get("perLabel").get("dev/f1_per_label").size()).isEqualTo(3);
    assertThat(first.get("values").has("dev/f1_per_label")).isFalse();
    assertThat(first.get("values").has("dev/f1_macro")).isTrue();
    assertThat(Files.readString(out.resolve(MetricsWriter.CSV)).lines().findFirst().orElseThrow())
        .contains("dev/f1_macro").doesNotContain("per_label");

    RunManifest manifest = RunManifest.read(out.resolve(RunManifest.FILE_NAME));
    assertThat(manifest.metrics().get(0).perLabel().get("dev/support_per_label")).containsExactly(1, 0, 2);
    assertThat(MetricsWriter.readJsonLines(out.resolve(MetricsWriter.JSONL))).isEqualTo(manifest.metrics());
  }

  @Test
  void countsAreIntegersInTheCsvTheJsonlAndTheProgressLines() throws IOException {
    Path out = dir.resolve("run");
    TrainingArguments args = pointwise(RerankingEvaluator.ID, "rank/map").toBuilder()
        .optEvaluators(List.of(new EvaluatorSpec("rank", RerankingEvaluator.ID, Parameters.empty(),
            DataFile.listwise(TINY_DATA.resolve("dev.jsonl")))))
        .build();
    try (CrossEncoderTrainer t = trainer(args, out, new RerankingEvaluator())) {
      t.train();
    }
    JsonNode first = JSON.readTree(Files.readAllLines(out.resolve(MetricsWriter.JSONL)).get(0));
    assertThat(first.get("values").get("rank/queries").toString()).isEqualTo("12");
    assertThat(first.get("values").get("rank/queries_without_relevant").toString()).isEqualTo("0");
    assertThat(first.has("perLabel")).isFalse();
    String csv = Files.readString(out.resolve(MetricsWriter.CSV));
    assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",rank/map,rank/queries,rank/queries_without_relevant");
    assertThat(csv.lines().skip(1)).hasSize(2).allSatisfy(row -> assertThat(row).endsWith(",12,0"));
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("| rank/queries 12 | rank/queries_without_relevant 0");
  }
}
