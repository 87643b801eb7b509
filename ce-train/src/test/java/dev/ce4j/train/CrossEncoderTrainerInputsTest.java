package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.train.checkpoint.RunFolder;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link CrossEncoderTrainer} refuses before it writes anything: labels a loss cannot take, a
 * model whose outputs do not fit the loss or the evaluation data, an unknown {@code
 * metricForBestModel}, and output folders it must not write into (another run's, someone else's
 * files, a file, a missing folder to resume). Every refusal leaves the output folder as it was.
 */
class CrossEncoderTrainerInputsTest {
  private static final Path TINY_DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();

  @TempDir Path dir;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  private TrainingArguments tiny() {
    return TrainingArguments.read(ChildJvm.TINY).toBuilder().optMaxSteps(2).optSaveSteps(2).optEvalSteps(2).build();
  }

  private TrainingResult train(TrainingArguments args, Path out, boolean resume) {
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8)).build()) {
      return t.train();
    }
  }

  private Path file(String name, String... lines) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  private static ModelSource scratch(int numLabels) {
    return ModelSource.fromScratch(TINY_DATA.resolve("config.json"), TINY_DATA.resolve("tokenizer.json"))
        .withNumLabels(numLabels);
  }

  /** A config on the tiny model without evaluators, with this loss, labels and outputs. */
  private TrainingArguments with(String loss, DataFile data, int numLabels) {
    return tiny().toBuilder().setModel(scratch(numLabels)).setLoss(LossSpec.of(loss)).setTrainData(data)
        .optEvaluators(List.of()).optMetricForBestModel(null).build();
  }

  private void assertRefusedBeforeWriting(TrainingArguments args, String... messageParts) {
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> train(args, out, false))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    assertThat(out).doesNotExist();
  }

  @Nested
  @DisplayName("labels are checked against the loss, naming file and line, before anything is written")
  class Labels {
    static Stream<Arguments> badLabels() {
      return Stream.of(
          Arguments.of("bce", "2", 1, "needs a label from 0 to 1"),
          Arguments.of("bce", "-1", 1, "needs a label from 0 to 1"),
          Arguments.of("bce", "1.0000001", 1, "needs a label from 0 to 1"),
          Arguments.of("cross_entropy", "3", 3, "needs a class index, an integer from 0 to 2 (the model has 3 outputs)"),
          Arguments.of("cross_entropy", "7", 2, "an integer from 0 to 1"),
          Arguments.of("cross_entropy", "1.5", 3, "is not a class index"),
          Arguments.of("cross_entropy", "-1", 3, "is not a class index"));
    }

    @ParameterizedTest(name = "{0} with label {1} on a {2}-output model")
    @MethodSource("badLabels")
    void aLabelTheLossCannotTakeIsRefused(String loss, String label, int numLabels, String message) throws IOException {
      Path data = file("train.jsonl",
          "{\"pair\": [\"q a\", \"d a\"], \"label\": 0}",
          "{\"pair\": [\"q b\", \"d b\"], \"label\": 1}",
          "{\"pair\": [\"q c\", \"d c\"], \"label\": " + label + "}");
      assertRefusedBeforeWriting(with(loss, DataFile.pairs(data), numLabels), data + ":3", message);
    }

    @Test
    void lambdaNeedsRelevanceGradesOfAtLeastZero() throws IOException {
      Path data = file("train.jsonl",
          "{\"query\": \"q\", \"documents\": [\"a\", \"b\", \"c\"], \"labels\": [2, 0, 1]}",
          "{\"query\": \"r\", \"documents\": [\"a\", \"b\"], \"labels\": [1, -1]}");
      assertRefusedBeforeWriting(with("lambda", DataFile.listwise(data), 1),
          data + ":2", "\"labels\"[1] is -1", "loss 'lambda' needs relevance grades of at least 0");
    }

    @Test
    void mseTakesAnyFiniteNumber() throws IOException {
      Path data = file("train.jsonl",
          "{\"pair\": [\"q a\", \"d a\"], \"label\": -3.5}",
          "{\"pair\": [\"q b\", \"d b\"], \"label\": 12}");
      assertThat(train(with("mse", DataFile.pairs(data), 1), dir.resolve("out"), false).steps()).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("the model's outputs must fit the loss and the evaluation data")
  class Outputs {
    @Test
    void crossEntropyOnAOneOutputModelIsRefused() throws IOException {
      Path data = file("train.jsonl", "{\"pair\": [\"q a\", \"d a\"], \"label\": 0}");
      assertRefusedBeforeWriting(with("cross_entropy", DataFile.pairs(data), 1),
          "loss 'cross_entropy' needs a model with one output per class (at least 2), but the model has 1 output");
    }

    @Test
    void aPointwiseLossOnAThreeOutputModelIsRefused() throws IOException {
      Path data = file("train.jsonl", "{\"pair\": [\"q a\", \"d a\"], \"label\": 1}");
      assertRefusedBeforeWriting(with("bce", DataFile.pairs(data), 3),
          "loss 'bce' needs a model with one output (a relevance score), but the model has 3 outputs");
    }

    @Test
    void multiLabelArraysMustHaveOneValuePerOutput() throws IOException {
      Path data = file("train.jsonl", "{\"pair\": [\"q a\", \"d a\"], \"label\": [1, 0]}");
      assertRefusedBeforeWriting(with("multilabel_bce", DataFile.pairs(data), 3),
          data + ":1", "the labels have 2 values per pair but the model has 3 outputs");
    }

    @Test
    void aModelFolderWithNonFiniteWeightsIsRefusedNamingTheTensor() throws IOException {
      Path model = dir.resolve("model");
      train(tiny().toBuilder().optMaxSteps(1).optEvaluators(List.of()).optMetricForBestModel(null).build(),
          dir.resolve("first"), false);
      Path weights = dir.resolve("first").resolve("model").resolve("model.safetensors");
      LinkedHashMap<String, FloatTensor> w = SafeTensors.readFloats(weights, n -> true);
      float[] bias = w.get("classifier.bias").data().clone();
      bias[0] = Float.NaN;
      w.put("classifier.bias", new FloatTensor(w.get("classifier.bias").shape(), bias));
      Files.createDirectories(model);
      for (String f : List.of("config.json", "tokenizer.json")) {
        Files.copy(dir.resolve("first").resolve("model").resolve(f), model.resolve(f));
      }
      SafeTensors.write(model.resolve("model.safetensors"), w, DType.F32, Map.of());
      assertRefusedBeforeWriting(tiny().toBuilder().setModel(ModelSource.folder(model)).build(),
          model.resolve("model.safetensors") + ": tensor 'classifier.bias' holds NaN at index [0]");
    }

    @Test
    void evaluationDataBeyondTheModelsClassesIsRefusedBeforeTraining() throws IOException {
      Path train = file("train.jsonl", "{\"pair\": [\"q a\", \"d a\"], \"label\": 1}");
      Path dev = file("dev.jsonl",
          "{\"pair\": [\"q a\", \"d a\"], \"label\": 1}",
          "{\"pair\": [\"q b\", \"d b\"], \"label\": 4}");
      TrainingArguments args = with("cross_entropy", DataFile.pairs(train), 3).toBuilder()
          .optEvaluators(List.of(new EvaluatorSpec("dev", "multiclass-classification", Parameters.empty(), DataFile.pairs(dev))))
          .build();
      assertRefusedBeforeWriting(args, "evaluator 'dev' (multiclass-classification on " + dev + ", for a model with 3 outputs): ");
    }

    @Test
    void anEvaluatorParameterValueIsCheckedBeforeTraining() {
      TrainingArguments args = tiny().toBuilder().optEvaluators(List.of(new EvaluatorSpec(
          "dev", "reranking", Parameters.of(Map.of("k", "0")), tiny().evaluators().get(0).data()))).build();
      assertRefusedBeforeWriting(args, "evaluator 'dev' (reranking on ", "parameter 'k' must be an integer >= 1, got '0'");
    }
  }

  @Nested
  @DisplayName("metricForBestModel is checked when the run is built")
  class MetricForBestModel {
    @Test
    void anUnknownMetricIsRefusedListingTheRunsMetrics() {
      assertRefusedBeforeWriting(tiny().toBuilder().optMetricForBestModel("dev/mapp").build(),
          "metricForBestModel 'dev/mapp' is not a metric of this run",
          "train/loss, dev/mrr@10, dev/ndcg@10, dev/map, dev/queries, dev/queries_without_relevant");
    }

    @Test
    void aKeyOfAnotherEvaluatorNameIsRefused() {
      assertRefusedBeforeWriting(tiny().toBuilder().optMetricForBestModel("eval/map").build(),
          "metricForBestModel 'eval/map' is not a metric of this run");
    }

    @Test
    void aPerLabelArrayIsRefused() throws IOException {
      Path train = file("train.jsonl", "{\"pair\": [\"q a\", \"d a\"], \"label\": [1, 0, 1]}");
      TrainingArguments args = with("multilabel_bce", DataFile.pairs(train), 3).toBuilder()
          .optEvaluators(List.of(new EvaluatorSpec("dev", "multilabel-classification", Parameters.empty(), DataFile.pairs(train))))
          .optMetricForBestModel("dev/f1_per_label").build();
      assertRefusedBeforeWriting(args, "metricForBestModel 'dev/f1_per_label' is a per-label array", "dev/f1_macro");
    }

    @Test
    void aMetricWithoutEvaluatorsIsRefused() {
      assertRefusedBeforeWriting(tiny().toBuilder().optEvaluators(List.of()).build(),
          "metricForBestModel 'dev/map' names a metric, but the run has none");
    }

    @Test
    void theTrainingLossIsAMetric() {
      TrainingArguments args = tiny().toBuilder().optMetricForBestModel(CrossEncoderTrainer.TRAIN_LOSS)
          .optGreaterIsBetter(false).build();
      assertThat(train(args, dir.resolve("out"), false).steps()).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("the output folder: ce writes only into its own runs")
  class OutputFolder {
    @Test
    void aFolderWithSomeoneElsesFilesIsRefusedAndLeftAsItWas() throws IOException {
      Path out = dir.resolve("out");
      Files.createDirectories(out.resolve("model"));
      Files.writeString(out.resolve("model").resolve("config.json"), "mine");
      Files.writeString(out.resolve("metrics.csv"), "step,mine\n");
      assertThatThrownBy(() -> train(tiny(), out, false))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("is not empty and holds no training run of ce (it holds metrics.csv, model)")
          .hasMessageContaining("choose another folder");
      assertThat(out.resolve("model").resolve("config.json")).hasContent("mine");
      assertThat(out.resolve("metrics.csv")).hasContent("step,mine");
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("model", "metrics.csv", RunFolder.LOCK_FILE);
      }
      // resuming it is refused as well
      assertThatThrownBy(() -> train(tiny(), out, true))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("nothing to resume")
          .hasMessageContaining("holds no training run");
      assertThat(out.resolve("metrics.csv")).hasContent("step,mine");
    }

    @Test
    void anOutputThatIsAFileIsNamedAsAFile() throws IOException {
      Path out = file("out.txt", "not a folder");
      for (boolean resume : new boolean[] {false, true}) {
        assertThatThrownBy(() -> train(tiny(), out, resume))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("the output " + out + " is a file, not a folder");
      }
      assertThat(out).hasContent("not a folder");
    }

    @Test
    void resumingAFolderThatDoesNotExistIsRefusedAndCreatesNothing() {
      Path out = dir.resolve("typo");
      assertThatThrownBy(() -> train(tiny(), out, true))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("nothing to resume: the output folder " + out + " does not exist");
      assertThat(out).doesNotExist();
    }

    @Test
    void resumingAnEmptyFolderIsRefused() throws IOException {
      Path out = Files.createDirectories(dir.resolve("empty"));
      assertThatThrownBy(() -> train(tiny(), out, true))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("holds no training run (it is empty)");
    }

    @Test
    void aFolderHoldingOnlyALeftOverLockFileIsEmpty() throws IOException {
      Path out = Files.createDirectories(dir.resolve("out"));
      Files.writeString(out.resolve(RunFolder.LOCK_FILE), "");
      assertThat(train(tiny(), out, false).steps()).isEqualTo(2);
      assertThat(out.resolve(RunFolder.LOCK_FILE)).isEmptyFile();
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesOnlyWithTheSameConfig() throws IOException {
      Path out = dir.resolve("out");
      TrainingResult whole = train(tiny(), dir.resolve("whole"), false);
      // what a run killed before its first checkpoint leaves: its manifest and metric files
      train(tiny(), out, false);
      try (Stream<Path> files = Files.list(out)) {
        for (Path p : files.toList()) {
          if (p.getFileName().toString().startsWith("checkpoint-") || p.getFileName().toString().equals("model")) {
            dev.ce4j.core.io.AtomicFiles.deleteTree(p);
          }
        }
      }
      assertThatThrownBy(() -> train(tiny().withSeed(7), out, true))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("no checkpoint yet")
          .hasMessageContaining("seed differs: 42 vs 7");
      assertThat(train(tiny(), out, true).fingerprint()).isEqualTo(whole.fingerprint());
    }

    @Test
    void aFolderInUseByAnotherRunIsRefusedNamingTheHolder() {
      Path out = dir.resolve("out");
      try (RunFolder held = RunFolder.forNewRun(out)) {
        assertThatThrownBy(() -> train(tiny(), out, false))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("the output folder " + out + " is in use by another training run (process "
                + ProcessHandle.current().pid() + " on ")
            .hasMessageContaining("wait until it ends, or choose another folder");
        assertThatThrownBy(() -> train(tiny(), out, true))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("is in use by another training run");
      }
      assertThat(train(tiny(), out, false).steps()).isEqualTo(2);
    }
  }
}
