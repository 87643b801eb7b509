package dev.ce4j.train.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.TextPair;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.InitialModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the architecture training tests share: a quiet, interruptible run and tiny.json cut short. */
final class TrainingRuns {
  static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");

  private TrainingRuns() {}

  /** Trains quietly; the losses of steps up to {@code stopAfter} are collected, then the run stops (-1: never). */
  static TrainingResult train(TrainingArguments args, Path out, List<Double> losses, boolean resume, long stopAfter) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume).progress(quiet)
        .callback(new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            if (step == stopAfter + 1) {
              throw new IllegalStateException("stopped");
            }
            losses.add(loss);
          }
        }).build()) {
      return t.train();
    }
  }

  /** tiny.json's run, four steps of 4 pairs, no evaluation, on a model folder. */
  static TrainingArguments.Builder base(String loss, Path model) {
    return TrainingArguments.read(TINY).toBuilder()
        .setModel(ModelSource.folder(model))
        .setLoss(LossSpec.of(loss)).optEvaluators(List.of()).optMetricForBestModel(null).optMaxSteps(4)
        .optSaveSteps(100)
        .optBatchSize(4).optGradientAccumulationSteps(1).optLearningRate(0.01);
  }

  /** Trains twice from the same arguments: four finite losses, the same fingerprint, weights that moved. */
  static void assertTrainsReproducibly(TrainingArguments args, Path dir) {
    List<Double> losses = new ArrayList<>();
    TrainingResult a = train(args, dir.resolve("a"), losses, false, -1);
    TrainingResult b = train(args, dir.resolve("b"), new ArrayList<>(), false, -1);
    assertThat(losses).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    assertThat(a.steps()).isEqualTo(4);
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
    // the weights moved: the run's model is not the folder it started from
    assertThat(a.fingerprint()).isNotEqualTo(ModelFingerprint.ofFolder(args.model().path()));
  }

  /**
   * Trains twice (the same bits), stops a third run after step 7 and resumes it (the same bits), and
   * loads the final model: its config names {@code modelType} and it scores two pairs apart.
   */
  static TrainingResult assertRunsResumesAndSaves(TrainingArguments args, Path dir, String modelType,
      Class<? extends ModelConfig> configClass) {
    List<Double> losses = new ArrayList<>();
    TrainingResult first = train(args, dir.resolve("a"), losses, false, -1);
    assertThat(losses).hasSize(12).allSatisfy(l -> assertThat(l).isFinite());
    TrainingResult again = train(args, dir.resolve("b"), new ArrayList<>(), false, -1);
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());

    Path stopped = dir.resolve("c");
    assertThatThrownBy(() -> train(args, stopped, new ArrayList<>(), false, 7)).hasMessage("stopped");
    assertThat(train(args, stopped, new ArrayList<>(), true, -1).fingerprint()).isEqualTo(first.fingerprint());

    Path model = dir.resolve("a").resolve(CrossEncoderTrainer.FINAL_MODEL);
    assertThat(ModelFingerprint.ofFolder(model)).isEqualTo(first.fingerprint());
    assertThat(read(model.resolve(ModelFolder.CONFIG))).contains("\"model_type\" : \"" + modelType + "\"");
    try (CrossEncoder loaded = CrossEncoder.load(model, CrossEncoderOptions.defaults().withDevice("cpu"))) {
      assertThat(loaded.config()).isInstanceOf(configClass);
      double[][] scores = loaded.predict(List.of(
          TextPair.of("what about star", "a star star comet"), TextPair.of("what about star", "oven recipe sauce")));
      assertThat(scores[0]).isNotEqualTo(scores[1]);
    }
    return first;
  }

  /**
   * A copy of {@code fixture} without its head tensors: the head comes from the seed (the same for
   * the same seed, another where the initialisation draws), the body is the folder's, and it trains.
   */
  static void assertHeadlessFolderGetsASeededHead(Path fixture, Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("headless"));
    try (Stream<Path> files = Files.list(fixture)) {
      for (Path f : files.toList()) {
        Files.copy(f, folder.resolve(f.getFileName()));
      }
    }
    ModelConfig config = ModelFolder.readConfig(folder);
    Architecture arch = config.architecture();
    LinkedHashMap<String, FloatTensor> all = ModelFolder.read(folder).weights();
    LinkedHashMap<String, FloatTensor> body = new LinkedHashMap<>(all);
    body.keySet().removeIf(arch::isHead);
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), body, DType.F32, Map.of("format", "pt"));
    CrossEncoderOptions cpu = CrossEncoderOptions.defaults().withDevice("cpu");
    LinkedHashMap<String, FloatTensor> a;
    LinkedHashMap<String, FloatTensor> b;
    LinkedHashMap<String, FloatTensor> other;
    try (CrossEncoder m = InitialModel.build(ModelSource.folder(folder), 7, cpu)) {
      a = m.weights().toHost();
    }
    try (CrossEncoder m = InitialModel.build(ModelSource.folder(folder), 7, cpu)) {
      b = m.weights().toHost();
    }
    try (CrossEncoder m = InitialModel.build(ModelSource.folder(folder), 8, cpu)) {
      other = m.weights().toHost();
    }
    assertThat(b).isEqualTo(a);
    for (String n : all.keySet()) {
      if (arch.isHead(n)) {
        assertThat(a.get(n)).as(n).isEqualTo(WeightInit.initialTensor(config, n, 7));
        if (!WeightInit.initialTensor(config, n, 8).equals(WeightInit.initialTensor(config, n, 7))) {
          assertThat(other.get(n)).as(n).isNotEqualTo(a.get(n));
        }
      } else {
        assertThat(a.get(n)).as(n).isEqualTo(all.get(n));
      }
    }
    // training from it works too
    TrainingArguments args = base("bce", folder).build();
    List<Double> losses = new ArrayList<>();
    train(args, dir.resolve("run"), losses, false, -1);
    assertThat(losses).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
