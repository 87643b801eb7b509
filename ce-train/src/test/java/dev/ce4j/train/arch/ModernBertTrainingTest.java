package dev.ce4j.train.arch;

import static dev.ce4j.train.arch.TrainingRuns.TINY;
import static dev.ce4j.train.arch.TrainingRuns.base;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.modernbert.ModernBertArchitecture;
import dev.ce4j.core.arch.modernbert.ModernBertConfig;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.InitialModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ModernBERT trains through every loss and batch layout, reproducibly, from a config and a tokenizer
 * (from scratch, transformers' truncated normal initialisation) and from a transformers-written
 * folder (fine-tuning), resumes to the same bits (the mean-pooling case with every dropout on), and a
 * folder without its head gets one from the run's seed. The folders are ce-core's ModernBERT
 * reference fixtures.
 */
class ModernBertTrainingTest {
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "modernbert")
          .toAbsolutePath().normalize();

  /** CLS pooling, no biases, no dropout, one label. */
  private static final Path CLS_ONE = FIXTURES.resolve("bpe-cls-gelu-1label-len32");

  /** Mean pooling, every bias, every dropout on, three labels, the Hub's config layout. */
  private static final Path MEAN_THREE = FIXTURES.resolve("bpe-mean-biases-3label-len48");

  @TempDir Path dir;

  private void assertTrainsReproducibly(TrainingArguments args) {
    TrainingRuns.assertTrainsReproducibly(args, dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bce", "mse"})
  void pointwiseLossesTrainOnPairs(String loss) {
    assertTrainsReproducibly(base(loss, CLS_ONE).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"listnet", "listmle", "plistmle", "lambda", "ranknet", "margin_mse", "mnrl"})
  void listAndPositiveFirstLossesTrainOnListwiseData(String loss) {
    assertTrainsReproducibly(base(loss, CLS_ONE).setTrainData(DataFile.listwise(DATA.resolve("dev.jsonl"))).build());
  }

  @Test
  void crossEntropyTrainsTheThreeLabelModel() {
    assertTrainsReproducibly(base("cross_entropy", MEAN_THREE).build());
  }

  @Test
  void crossEntropyTrainsANewThreeLabelHead() {
    TrainingArguments args = base("cross_entropy", CLS_ONE).build();
    assertTrainsReproducibly(args.toBuilder().setModel(args.model().withNumLabels(3)).build());
  }

  @Test
  void multiLabelBceTrainsOnLabelArrays() throws IOException {
    Path data = dir.resolve("multi.jsonl");
    Files.writeString(data, """
        {"pair": ["pasta sauce", "bake the pasta"], "label": [1, 0, 0]}
        {"pair": ["pasta sauce", "the striker"], "label": [0, 1, 1]}
        {"pair": ["a planet", "a comet in orbit"], "label": [1, 1, 0]}
        {"pair": ["a planet", "flour and salt"], "label": [0, 0, 1]}
        """);
    assertTrainsReproducibly(base("multilabel_bce", MEAN_THREE).setTrainData(DataFile.pairs(data)).build());
  }

  /** tiny.json's whole run (evaluation, checkpoints every 3 steps) for 12 steps on a model source. */
  private static TrainingArguments run(ModelSource model) {
    return TrainingArguments.read(TINY).toBuilder().setModel(model).optMaxSteps(12).optLearningRate(0.01).build();
  }

  @Test
  void aModelFromAConfigAndATokenizerTrainsReproduciblyAndResumesToTheSameBits() throws Exception {
    // the three-label case's config (every dropout on) with one output, for tiny.json's bce
    TrainingArguments args = run(ModelSource.fromScratch(
        MEAN_THREE.resolve(ModelFolder.CONFIG), MEAN_THREE.resolve(ModelFolder.TOKENIZER)).withNumLabels(1));
    TrainingResult first = assertRunsResumesAndSaves(args);
    assertThat(first.finalMetrics()).containsKey("dev/map");
  }

  @Test
  void aTransformersFolderFineTunesReproduciblyAndResumesToTheSameBits() throws Exception {
    assertRunsResumesAndSaves(run(ModelSource.folder(CLS_ONE)));
  }

  private TrainingResult assertRunsResumesAndSaves(TrainingArguments args) {
    return TrainingRuns.assertRunsResumesAndSaves(args, dir, "modernbert", ModernBertConfig.class);
  }

  @Test
  void aFolderWithoutItsHeadGetsOneFromTheSeed() throws IOException {
    TrainingRuns.assertHeadlessFolderGetsASeededHead(CLS_ONE, dir);
  }

  @Test
  void aMaskedLmCheckpointKeepsItsPredictionHeadAndGetsASeededClassifier() throws IOException {
    // what answerdotai/ModernBERT-base stores: model.*, the prediction head head.* (named as the
    // classifier's head) and decoder.bias (decoder.weight is tied to the embedding), no classifier
    Path folder = Files.createDirectories(dir.resolve("mlm"));
    try (Stream<Path> files = Files.list(CLS_ONE)) {
      for (Path f : files.toList()) {
        Files.copy(f, folder.resolve(f.getFileName()));
      }
    }
    LinkedHashMap<String, FloatTensor> all = ModelFolder.read(folder).weights();
    LinkedHashMap<String, FloatTensor> mlm = new LinkedHashMap<>(all);
    mlm.keySet().removeIf(ModernBertArchitecture.INSTANCE::isOutputLayer);
    ModernBertConfig config = (ModernBertConfig) ModelFolder.readConfig(folder);
    mlm.put("decoder.bias", WeightInit.filled(new long[] {config.vocabSize()}, 0.5f));
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), mlm, DType.F32, Map.of("format", "pt"));
    CrossEncoderOptions cpu = CrossEncoderOptions.defaults().withDevice("cpu");
    try (CrossEncoder m = InitialModel.build(ModelSource.folder(folder), 7, cpu)) {
      LinkedHashMap<String, FloatTensor> got = m.weights().toHost();
      for (String n : all.keySet()) {
        if (ModernBertArchitecture.INSTANCE.isOutputLayer(n)) {
          assertThat(got.get(n)).as(n).isEqualTo(WeightInit.initialTensor(config, n, 7));
        } else {
          assertThat(got.get(n)).as(n).isEqualTo(all.get(n));
        }
      }
    }
  }
}
