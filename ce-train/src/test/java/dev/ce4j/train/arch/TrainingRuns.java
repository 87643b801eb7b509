package dev.ce4j.train.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
