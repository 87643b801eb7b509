package dev.ce4j.train.arch;

import static dev.ce4j.train.arch.TrainingRuns.TINY;
import static dev.ce4j.train.arch.TrainingRuns.base;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.arch.deberta.DebertaV2Config;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DeBERTa-v2/v3 trains through every loss and batch layout, reproducibly, from a config and a
 * tokenizer (from scratch) and from a transformers-written folder (fine-tuning), resumes to the same
 * bits, and a folder without its head gets one from the run's seed. The folders are ce-core's
 * DeBERTa-v2 reference fixtures (a v3-style and a v2-style model).
 */
class DebertaV2TrainingTest {
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "deberta-v2")
          .toAbsolutePath().normalize();

  /** v3 style (log buckets, shared position keys, no absolute positions or token types), one label. */
  private static final Path V3 = FIXTURES.resolve("spm-v3-1label-len40");

  /** v2 style (absolute positions, token types, embed_proj, pos_key_proj / pos_query_proj), three labels. */
  private static final Path V2 = FIXTURES.resolve("spm-v2-3label-len48");

  /** v2-xlarge style: the convolution after the first layer, two labels. */
  private static final Path V2_CONV = FIXTURES.resolve("spm-v2conv-2label-len32");

  @TempDir Path dir;

  private void assertTrainsReproducibly(TrainingArguments args) {
    TrainingRuns.assertTrainsReproducibly(args, dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bce", "mse"})
  void pointwiseLossesTrainOnPairs(String loss) {
    assertTrainsReproducibly(base(loss, V3).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"listnet", "listmle", "plistmle", "lambda", "ranknet", "margin_mse", "mnrl"})
  void listAndPositiveFirstLossesTrainOnListwiseData(String loss) {
    assertTrainsReproducibly(base(loss, V3).setTrainData(DataFile.listwise(DATA.resolve("dev.jsonl"))).build());
  }

  @Test
  void crossEntropyTrainsTheThreeLabelModel() {
    assertTrainsReproducibly(base("cross_entropy", V2).build());
  }

  @Test
  void crossEntropyTrainsTheConvolutionModel() {
    assertTrainsReproducibly(base("cross_entropy", V2_CONV).build());
  }

  @Test
  void crossEntropyTrainsANewThreeLabelHead() {
    TrainingArguments args = base("cross_entropy", V3).build();
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
    TrainingArguments args = base("multilabel_bce", V2).setTrainData(DataFile.pairs(data)).build();
    assertTrainsReproducibly(args.toBuilder().setModel(args.model().withNumLabels(2)).build());
  }

  /** tiny.json's whole run (evaluation, checkpoints every 3 steps) for 12 steps on a model source. */
  private static TrainingArguments run(ModelSource model) {
    return TrainingArguments.read(TINY).toBuilder().setModel(model).optMaxSteps(12).optLearningRate(0.01).build();
  }

  @Test
  void aModelFromAConfigAndATokenizerTrainsReproduciblyAndResumesToTheSameBits() throws Exception {
    // the three-label case's config with one output, for tiny.json's bce
    TrainingArguments args = run(
        ModelSource.fromScratch(V2.resolve(ModelFolder.CONFIG), V2.resolve(ModelFolder.TOKENIZER)).withNumLabels(1));
    TrainingResult first = assertRunsResumesAndSaves(args);
    assertThat(first.finalMetrics()).containsKey("dev/map");
  }

  @Test
  void aTransformersFolderFineTunesReproduciblyAndResumesToTheSameBits() throws Exception {
    assertRunsResumesAndSaves(run(ModelSource.folder(V3)));
  }

  private TrainingResult assertRunsResumesAndSaves(TrainingArguments args) {
    return TrainingRuns.assertRunsResumesAndSaves(args, dir, "deberta-v2", DebertaV2Config.class);
  }

  @Test
  void aFolderWithoutItsHeadGetsOneFromTheSeed() throws IOException {
    TrainingRuns.assertHeadlessFolderGetsASeededHead(V3, dir);
  }
}
