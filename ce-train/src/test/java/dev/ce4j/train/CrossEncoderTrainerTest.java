package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.loss.BinaryCrossEntropyLoss;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.loss.LossInput;
import dev.ce4j.train.manifest.RunManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process checks of {@link CrossEncoderTrainer}: resume refusals naming the difference,
 * forced resume, an output folder that holds a run, NaN divergence keeping the last good
 * checkpoint, and load-best-at-end. Uses the tiny example cut to a few steps.
 */
class CrossEncoderTrainerTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  private TrainingArguments tiny(long maxSteps) {
    return TrainingArguments.read(ChildJvm.TINY).toBuilder()
        .optMaxSteps(maxSteps).optSaveSteps(2).optEvalSteps(2).build();
  }

  private TrainingResult train(TrainingArguments args, Path out, boolean resume, boolean force) {
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume).force(force)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8)).build()) {
      return t.train();
    }
  }

  @Test
  void resumingWithAnotherConfigIsRefusedNamingTheDifferenceUnlessForced() {
    Path out = dir.resolve("run");
    TrainingResult first = train(tiny(2), out, false, false);
    assertThat(first.steps()).isEqualTo(2);

    TrainingArguments changed = tiny(4).toBuilder().optLearningRate(0.01).build();
    assertThatThrownBy(() -> train(changed, out, true, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot resume from")
        .hasMessageContaining("checkpoint-2")
        .hasMessageContaining("learningRate differs")
        .hasMessageContaining("maxSteps differs")
        .hasMessageContaining("--force");

    TrainingResult forced = train(changed, out, true, true);
    assertThat(forced.steps()).isEqualTo(4);
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("resuming from");
  }

  @Test
  void resumingWithAnotherThreadCountIsRefused() {
    Path out = dir.resolve("run");
    train(tiny(2), out, false, false);
    TrainingArguments twoThreads = tiny(2).toBuilder().optNumThreads(2).build();
    assertThatThrownBy(() -> train(twoThreads, out, true, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("thread count differs: 1 then, 2 now");
  }

  @Test
  void resumingWithAChangedDataFileIsRefusedNamingTheFile() throws IOException {
    Path data = dir.resolve("train.jsonl");
    Files.copy(ChildJvm.TINY.resolveSibling("../data/tiny/train.jsonl").normalize(), data);
    TrainingArguments args = tiny(2).toBuilder().setTrainData(DataFile.pairs(data)).build();
    Path out = dir.resolve("run");
    train(args, out, false, false);
    Files.writeString(data, Files.readString(data).replaceFirst("\"label\": 1", "\"label\": 0"));

    assertThatThrownBy(() -> train(args, out, true, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("data file train " + data + " changed");
  }

  @Test
  void aNewRunRefusesAnOutputFolderThatHoldsARun() {
    Path out = dir.resolve("run");
    train(tiny(2), out, false, false);
    assertThatThrownBy(() -> train(tiny(2), out, false, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("already holds a training run");
  }

  @Test
  void resumeOfAFinishedRunKeepsItsFingerprint() {
    Path out = dir.resolve("run");
    TrainingResult first = train(tiny(4), out, false, false);
    TrainingResult again = train(tiny(4), out, true, false);
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(again.steps()).isEqualTo(4);
  }

  /** {@code bce}, its value passed through {@code then} (which also sees the logits). */
  private static Loss bceThen(BinaryOperator<NDArray> then) {
    Loss bce = new BinaryCrossEntropyLoss();
    return new Loss() {
      @Override
      public String id() {
        return bce.id();
      }

      @Override
      public LossInput input() {
        return bce.input();
      }

      @Override
      public Map<String, String> parameters() {
        return bce.parameters();
      }

      @Override
      public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
        return then.apply(bce.compute(logits, labels, mask), logits);
      }
    };
  }

  @Test
  void aNanLossStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint() {
    Path out = dir.resolve("run");
    int[] calls = {0};
    // two batches per step (gradientAccumulationSteps 2): calls 9 and 10 are step 5
    Loss nanAtStep5 = bceThen((loss, logits) -> ++calls[0] >= 9 ? loss.mul(Float.NaN) : loss);
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(tiny(8), out).loss(nanAtStep5)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8)).build()) {
      assertThatThrownBy(t::train)
          .isInstanceOfSatisfying(TrainingDivergedException.class, e -> assertThat(e.step()).isEqualTo(5))
          .hasMessageContaining("training diverged at step 5: the training loss is NaN")
          .hasMessageContaining("checkpoint-4");
    }
    CheckpointDirectory cd = new CheckpointDirectory(out);
    assertThat(cd.pathOf(4)).isDirectory();
    assertThat(ModelFingerprint.ofFolder(cd.pathOf(4).resolve("model")))
        .isEqualTo(RunManifest.read(out.resolve("run.json")).checkpoints().get(1).fingerprint());
    assertThat(out.resolve(CrossEncoderTrainer.FINAL_MODEL)).doesNotExist();
    assertThat(RunManifest.read(out.resolve("run.json")).finalFingerprint()).isNull();
  }

  @Test
  void aRunWhoseScoresBlowUpStopsWithTheDivergenceMessageNotAnEvaluatorsComplaint() {
    Path out = dir.resolve("run");
    // finite weights with scores that are not: a learning rate of a million
    TrainingArguments args = tiny(8).toBuilder().optLearningRate(1e6).optEvalSteps(1).build();
    assertThatThrownBy(() -> train(args, out, false, false))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("the model's scores on the evaluation data are no longer finite")
        .hasMessageContaining("Lower learningRate")
        .hasMessageNotContaining("scores of query");
    assertThat(out.resolve(CrossEncoderTrainer.FINAL_MODEL)).doesNotExist();
  }

  @Test
  void weightsThatOverflowStopTheRunBeforeTheyAreEvaluatedOrSaved() {
    Path out = dir.resolve("run");
    // a finite loss whose gradient overflows float32: without clipping, AdamW's update is NaN
    // scalars as arrays of the batch's manager (see DEVELOPERS.md: never mul(Number) under autograd)
    Loss overflowing = bceThen((loss, logits) -> loss.add(logits.sum().mul(logits.getManager().create(1e38f))));
    TrainingArguments args = tiny(8).toBuilder().optMaxGradNorm(0).optEvalSteps(1).optSaveSteps(1).build();
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).loss(overflowing)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8)).build()) {
      assertThatThrownBy(t::train)
          .isInstanceOfSatisfying(TrainingDivergedException.class, e -> assertThat(e.step()).isEqualTo(1))
          .hasMessageContaining("training diverged at step 1: the weights are no longer finite after the optimiser step (first: ")
          .hasMessageContaining("No checkpoint was written before")
          .hasMessageContaining("set maxGradNorm");
    }
    assertThat(new CheckpointDirectory(out).pathOf(1)).doesNotExist();
    assertThat(RunManifest.read(out.resolve("run.json")).metrics()).isEmpty();
    assertThat(out.resolve(CrossEncoderTrainer.FINAL_MODEL)).doesNotExist();
  }

  @Test
  void loadBestModelAtEndMakesTheBestCheckpointTheFinalModel() {
    Path out = dir.resolve("run");
    TrainingArguments args = tiny(8).toBuilder().optLoadBestModelAtEnd(true).optSaveTotalLimit(1).build();
    TrainingResult r = train(args, out, false, false);

    RunManifest m = RunManifest.read(out.resolve("run.json"));
    String key = args.metricForBestModel();
    long bestStep = -1;
    double best = Double.NEGATIVE_INFINITY;
    for (var rec : m.metrics()) {
      if (rec.values().get(key) > best) {
        best = rec.values().get(key);
        bestStep = rec.step();
      }
    }
    long expectedStep = bestStep;
    String expected = m.checkpoints().stream().filter(c -> c.step() == expectedStep).findFirst().orElseThrow().fingerprint();
    assertThat(r.fingerprint()).isEqualTo(expected);
    assertThat(ModelFingerprint.ofFolder(out.resolve(CrossEncoderTrainer.FINAL_MODEL))).isEqualTo(expected);
    assertThat(new CheckpointDirectory(out).pathOf(expectedStep)).isDirectory();
  }

  @Test
  void unknownLossAndEvaluatorAreRejectedBeforeTraining() {
    TrainingArguments badLoss = tiny(2).toBuilder().setLoss(dev.ce4j.train.config.LossSpec.of("hinge")).build();
    assertThatThrownBy(() -> train(badLoss, dir.resolve("a"), false, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown loss 'hinge'")
        .hasMessageContaining("bce");
    assertThat(dir.resolve("a")).doesNotExist();
  }

  @Test
  void earlyStoppingStopsAfterPatienceEvaluationsWithoutImprovement() {
    TrainingArguments args = tiny(24).toBuilder()
        .optEarlyStoppingPatience(1).optEarlyStoppingMinDelta(1.0).build();
    TrainingResult r = train(args, dir.resolve("run"), false, false);
    // evaluation at step 2 sets the best, the one at step 4 cannot improve by 1.0: stop
    assertThat(r.steps()).isEqualTo(4);
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("early stopping after step 4");
    assertThat(RunManifest.read(dir.resolve("run").resolve("run.json")).metrics()).hasSize(2);
  }

  @Test
  void strictDeterminismRefusesAThreadCountNotPinnedAtJvmStart() {
    String pinned = System.getProperty("ai.djl.pytorch.num_threads");
    int other = pinned == null ? 3 : Integer.parseInt(pinned) + 2;
    TrainingArguments strict = tiny(2).toBuilder()
        .optDeterminism(dev.ce4j.train.config.Determinism.STRICT).optNumThreads(other).build();
    assertThatThrownBy(() -> train(strict, dir.resolve("run"), false, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("determinism strict needs the thread count pinned before the engine starts")
        .hasMessageContaining("-Dai.djl.pytorch.num_threads=" + other);
  }
}
