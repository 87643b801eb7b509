package dev.ce4j.train.arch;

import static dev.ce4j.train.arch.TrainingRuns.TINY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.arch.distilbert.DistilBertArchitecture;
import dev.ce4j.core.arch.distilbert.DistilBertConfig;
import dev.ce4j.core.arch.distilbert.DistilBertTensors;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DistilBERT trains through every loss and batch layout, reproducibly, from a config and a tokenizer
 * (from scratch) and from a transformers-written folder (fine-tuning), resumes to the same bits, and
 * a folder without its head gets one from the run's seed. The folders are ce-core's DistilBERT
 * reference fixtures.
 */
class DistilBertTrainingTest {
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "distilbert")
          .toAbsolutePath().normalize();

  /** GELU, learned positions, one label. */
  private static final Path GELU_LEARNED = FIXTURES.resolve("wordpiece-gelu-learned-1label-len24");

  /** ReLU, sinusoidal positions, two labels. */
  private static final Path RELU_SINUSOIDAL = FIXTURES.resolve("wordpiece-cased-relu-sinusoidal-2label-len64");

  @TempDir Path dir;

  /** tiny.json's run, four steps of 4 pairs, no evaluation, on a DistilBERT folder. */
  private static TrainingArguments.Builder base(String loss, Path model) {
    return TrainingArguments.read(TINY).toBuilder()
        .setModel(ModelSource.folder(model))
        .setLoss(LossSpec.of(loss)).optEvaluators(List.of()).optMetricForBestModel(null).optMaxSteps(4).optSaveSteps(100)
        .optBatchSize(4).optGradientAccumulationSteps(1).optLearningRate(0.01);
  }

  private void assertTrainsReproducibly(TrainingArguments args) {
    TrainingRuns.assertTrainsReproducibly(args, dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bce", "mse"})
  void pointwiseLossesTrainOnPairs(String loss) {
    assertTrainsReproducibly(base(loss, GELU_LEARNED).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"listnet", "listmle", "plistmle", "lambda", "ranknet", "margin_mse", "mnrl"})
  void listAndPositiveFirstLossesTrainOnListwiseData(String loss) {
    assertTrainsReproducibly(base(loss, GELU_LEARNED).setTrainData(DataFile.listwise(DATA.resolve("dev.jsonl"))).build());
  }

  @Test
  void crossEntropyTrainsTheTwoLabelModel() {
    assertTrainsReproducibly(base("cross_entropy", RELU_SINUSOIDAL).build());
  }

  @Test
  void crossEntropyTrainsANewThreeLabelHead() {
    TrainingArguments args = base("cross_entropy", GELU_LEARNED).build();
    assertTrainsReproducibly(args.toBuilder().setModel(args.model().withNumLabels(3)).build());
  }

  @Test
  void multiLabelBceTrainsOnLabelArrays() throws IOException {
    Path data = dir.resolve("multi.jsonl");
    Files.writeString(data, """
        {"pair": ["pasta sauce", "bake the pasta"], "label": [1, 0]}
        {"pair": ["pasta sauce", "the striker"], "label": [0, 1]}
        {"pair": ["a planet", "a comet in orbit"], "label": [1, 1]}
        {"pair": ["a planet", "flour and salt"], "label": [0, 0]}
        """);
    assertTrainsReproducibly(base("multilabel_bce", RELU_SINUSOIDAL).setTrainData(DataFile.pairs(data)).build());
  }

  /** tiny.json's whole run (evaluation, checkpoints every 3 steps) for 12 steps on a model source. */
  private static TrainingArguments run(ModelSource model) {
    return TrainingArguments.read(TINY).toBuilder().setModel(model).optMaxSteps(12).optLearningRate(0.01).build();
  }

  @Test
  void aModelFromAConfigAndATokenizerTrainsReproduciblyAndResumesToTheSameBits() throws Exception {
    // the two-label case's config with one output, for tiny.json's bce
    TrainingArguments args = run(ModelSource.fromScratch(
        RELU_SINUSOIDAL.resolve(ModelFolder.CONFIG), RELU_SINUSOIDAL.resolve(ModelFolder.TOKENIZER)).withNumLabels(1));
    TrainingResult first = assertRunsResumesAndSaves(args);
    // the sinusoidal table started as the sinusoids and was trained, as transformers 5 does
    Path model = dir.resolve("a").resolve(CrossEncoderTrainer.FINAL_MODEL);
    DistilBertConfig config = (DistilBertConfig) ModelFolder.readConfig(model);
    FloatTensor trained = ModelFolder.read(model).weights().get(DistilBertTensors.POSITION_EMBEDDINGS);
    float[] start = DistilBertArchitecture.sinusoidalPositions(config.maxPositionEmbeddings(), config.dim()).data();
    assertThat(trained.data()).isNotEqualTo(start);
    double moved = 0;
    for (int i = 0; i < start.length; i++) {
      moved = Math.max(moved, Math.abs(trained.data()[i] - start[i]));
    }
    assertThat(moved).as("largest change of the position table").isLessThan(0.2);
    assertThat(first.finalMetrics()).containsKey("dev/map");
  }

  @Test
  void aTransformersFolderFineTunesReproduciblyAndResumesToTheSameBits() throws Exception {
    assertRunsResumesAndSaves(run(ModelSource.folder(GELU_LEARNED)));
  }

  private TrainingResult assertRunsResumesAndSaves(TrainingArguments args) {
    return TrainingRuns.assertRunsResumesAndSaves(args, dir, "distilbert", DistilBertConfig.class);
  }

  @Test
  void aFolderWithoutItsHeadGetsOneFromTheSeed() throws IOException {
    TrainingRuns.assertHeadlessFolderGetsASeededHead(GELU_LEARNED, dir);
  }
}
