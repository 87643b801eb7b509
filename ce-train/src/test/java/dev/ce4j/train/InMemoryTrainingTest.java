package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.ListwiseExample;
import dev.ce4j.train.data.PairDataset;
import dev.ce4j.train.data.PairExample;
import dev.ce4j.train.data.TrainingExamples;
import dev.ce4j.train.internal.InMemoryInputs;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.reproduce.ReproduceReport;
import dev.ce4j.train.reproduce.Reproducer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training a loaded model on data held in memory: the same bits as the same run from files, the
 * caller's model untouched, the inputs recorded in the run folder so that {@code ce reproduce}
 * matches, resume to the same bits, and bad input refused before anything is written.
 */
class InMemoryTrainingTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @TempDir Path dir;
  private Path base;

  /** A seeded tiny model saved as a folder: what a user would have loaded. */
  @BeforeEach
  void baseModel() {
    base = dir.resolve("base");
    try (CrossEncoder m = CrossEncoder.create(ConfigJson.read(DATA.resolve("config.json")), DATA.resolve("tokenizer.json"), 7)) {
      m.save(base);
    }
  }

  /** tiny.json's settings, 12 steps, checkpoints every 3. */
  private static TrainingArguments.Builder settings() {
    return TrainingArguments.read(TINY).toBuilder().optMaxSteps(12);
  }

  private static List<PairExample> trainPairs() {
    return PairDataset.read(DATA.resolve("train.jsonl")).examples();
  }

  private static TrainingResult run(CrossEncoderTrainer.Builder b) {
    try (CrossEncoderTrainer t = b.progress(QUIET).build()) {
      return t.train();
    }
  }

  @Test
  void aLoadedModelAndInMemoryPairsTrainAsTheSameFilesDoAndTheRunReplays() throws IOException {
    TrainingResult fromFiles = run(CrossEncoderTrainer.builder(
        settings().setModel(ModelSource.folder(base)).setTrainData(DataFile.pairs(DATA.resolve("train.jsonl"))).build(),
        dir.resolve("files")));

    Path out = dir.resolve("memory");
    TrainingResult inMemory;
    String before;
    try (CrossEncoder loaded = CrossEncoder.load(base)) {
      before = ModelFingerprint.of(loaded.weights());
      inMemory = run(CrossEncoderTrainer.builder(settings(), loaded, TrainingExamples.pairs(trainPairs()), out));
      assertThat(ModelFingerprint.of(loaded.weights())).as("the caller's model is not trained").isEqualTo(before);
    }
    assertThat(inMemory.fingerprint()).isEqualTo(fromFiles.fingerprint());

    // the inputs are recorded in the run folder, with the data's SHA-256 in run.json
    Path inputs = out.resolve(InMemoryInputs.FOLDER);
    assertThat(ModelFingerprint.ofFolder(inputs.resolve(InMemoryInputs.MODEL))).isEqualTo(before);
    RunManifest m = RunManifest.read(out.resolve(RunManifest.FILE_NAME));
    DataFileDigest train = m.dataFiles().stream().filter(d -> d.role().equals("train")).findFirst().orElseThrow();
    assertThat(train.path()).isEqualTo(inputs.resolve(InMemoryInputs.TRAIN).toString());
    assertThat(train.sha256()).isEqualTo(TrainingExamples.pairs(trainPairs()).sha256());
    assertThat(PairDataset.read(inputs.resolve(InMemoryInputs.TRAIN)).examples()).extracting(PairExample::pair)
        .isEqualTo(trainPairs().stream().map(PairExample::pair).toList());

    ReproduceReport r = Reproducer.reproduce(out, dir.resolve("replay"), QUIET);
    assertThat(r.matches()).as(String.join("\n", r.lines())).isTrue();
  }

  @Test
  void anInterruptedInMemoryRunResumesToTheSameBitsAndRefusesOtherData() {
    Path whole = dir.resolve("whole");
    Path cut = dir.resolve("cut");
    try (CrossEncoder loaded = CrossEncoder.load(base)) {
      TrainingExamples data = TrainingExamples.pairs(trainPairs());
      String expected = run(CrossEncoderTrainer.builder(settings(), loaded, data, whole)).fingerprint();
      assertThatThrownBy(() -> run(CrossEncoderTrainer.builder(settings(), loaded, data, cut)
          .callback(new TrainingCallback() {
            @Override
            public void onStep(long step, double loss, double learningRate) {
              if (step == 7) {
                throw new IllegalStateException("stopped");
              }
            }
          }))).hasMessageContaining("stopped");
      TrainingExamples other = TrainingExamples.pairs(trainPairs().subList(1, trainPairs().size()));
      assertThatThrownBy(() -> run(CrossEncoderTrainer.builder(settings(), loaded, other, cut).resume(true)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("cannot resume")
          .hasMessageContaining(InMemoryInputs.TRAIN);
      assertThat(run(CrossEncoderTrainer.builder(settings(), loaded, data, cut).resume(true)).fingerprint())
          .isEqualTo(expected);
    }
  }

  @Test
  void listwiseDataTrainsAListLossAndBadInputIsRefusedBeforeAnythingIsWritten() {
    List<ListwiseExample> lists = List.of(
        ListwiseExample.of("q1", "a small dog", List.of("puppy", "piano", "pizza"), 1, 0, 0),
        ListwiseExample.of("q2", "an instrument with keys", List.of("piano", "puppy", "pasta"), 1, 0, 0));
    try (CrossEncoder loaded = CrossEncoder.load(base)) {
      TrainingResult r = run(CrossEncoderTrainer.builder(
          settings().setLoss(LossSpec.of("listnet")).optMaxSteps(2).optBatchSize(2).optGradientAccumulationSteps(1),
          loaded, TrainingExamples.listwise(lists), dir.resolve("lists")));
      assertThat(r.fingerprint()).matches("[0-9a-f]{64}");

      Path refused = dir.resolve("refused");
      assertThatThrownBy(() -> run(CrossEncoderTrainer.builder(settings().setLoss(LossSpec.of("listnet")), loaded,
          TrainingExamples.pairs(trainPairs()), refused)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("needs listwise training data")
          .hasMessageContaining("TrainingExamples.listwise");
      assertThat(Files.exists(refused)).isFalse();
    }
    assertThatThrownBy(() -> TrainingExamples.pairs(List.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds no examples");
  }

  @Test
  void aModelLoadedToScoreInInt8IsRefusedBeforeAnythingIsWritten() {
    Path out = dir.resolve("int8");
    try (CrossEncoder int8 = CrossEncoder.load(base, CrossEncoderOptions.defaults().withDevice("cpu")
        .withPrecision(CrossEncoderOptions.Precision.INT8))) {
      assertThatThrownBy(() -> CrossEncoderTrainer.builder(settings(), int8, TrainingExamples.pairs(trainPairs()), out))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("training computes in fp32; the model was loaded to score in int8");
    }
    assertThat(out).doesNotExist();
  }
}
