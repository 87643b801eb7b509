package dev.ce4j.train;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.checkpoint.PendingCheckpoint;
import dev.ce4j.train.checkpoint.TrainerState;
import dev.ce4j.train.checkpoint.TrainerStateExtra;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.DebugHooks;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.optim.AdamWState;
import dev.ce4j.train.schedule.LrSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Writes a checkpoint of the run (weights, optimiser state, {@code trainer_state.json}, the manifest
 * so far), tracking the best checkpoint for {@code loadBestModelAtEnd}; and restores the loop state
 * and the optimiser state from one. Not thread-safe.
 */
final class CheckpointWriter {

  private final TrainingArguments args;
  private final Path output;
  private final List<TrainingCallback> callbacks;
  private final TrainerSession session;
  private final CheckpointDirectory checkpoints;
  private final LrSchedule schedule;
  private final long totalSteps;
  private final long warmup;
  private final DebugHooks hooks;

  CheckpointWriter(RunSetup setup, CheckpointDirectory checkpoints, DebugHooks hooks) {
    this.args = setup.args;
    this.output = setup.options.output();
    this.callbacks = setup.options.callbacks();
    this.session = setup.session;
    this.checkpoints = checkpoints;
    this.schedule = setup.schedule;
    this.totalSteps = setup.totalSteps;
    this.warmup = setup.warmup;
    this.hooks = hooks;
  }

  /**
   * Writes a checkpoint at the state's step and the manifest in the output folder.
   *
   * @param manifest the manifest so far, never null
   * @param st the loop state, never null
   * @param evaluatedNow whether an evaluation ran at this step
   * @return the manifest with the checkpoint's fingerprint, never null
   * @throws IOException if writing fails
   */
  RunManifest write(RunManifest manifest, LoopState st, boolean evaluatedNow) throws IOException {
    if (evaluatedNow && args.metricForBestModel() != null) {
      double v = st.lastMetrics.getOrDefault(args.metricForBestModel(), Double.NaN);
      boolean better =
          !Double.isNaN(v)
              && (Double.isNaN(st.bestCheckpointMetric)
                  || (args.greaterIsBetter() ? v > st.bestCheckpointMetric : v < st.bestCheckpointMetric));
      if (better) {
        st.bestCheckpointMetric = v;
        st.bestCheckpointStep = st.step;
      }
    }
    CrossEncoder model = session.model;
    LinkedHashMap<String, FloatTensor> host = model.weights().toHost();
    Checkpoint committed;
    RunManifest updated;
    String fingerprint;
    try (PendingCheckpoint pending = checkpoints.begin(st.step)) {
      fingerprint = ModelFolder.write(pending.model(), model.config(), host, model.tokenizerFiles());
      updated = manifest.withCheckpoint(st.step, fingerprint);
      AdamWState opt = session.optimizer.exportState();
      SafeTensors.write(pending.optimizer(), opt.toTensors(), DType.F32, Map.of("format", "ce-adamw"));
      trainerState(st, opt).write(pending.trainerStateFile());
      updated.write(pending.manifest());
      hooks.inCheckpoint(st.step);
      OptionalLong keep = args.loadBestModelAtEnd() && st.bestCheckpointStep >= 0
          ? OptionalLong.of(st.bestCheckpointStep)
          : OptionalLong.empty();
      committed = checkpoints.commitAndPrune(pending, args.saveTotalLimit(), keep);
    }
    updated.write(output.resolve(RunManifest.FILE_NAME));
    for (TrainingCallback cb : callbacks) {
      cb.onCheckpoint(st.step, committed.directory(), fingerprint);
    }
    return updated;
  }

  private TrainerState trainerState(LoopState st, AdamWState opt) {
    TrainerStateExtra extra =
        new TrainerStateExtra(
            opt.steps(), st.lossSum, st.lossCount, st.bestCheckpointStep, st.bestCheckpointMetric,
            new TrainerStateExtra.ScheduleState(
                args.scheduler().jsonName(), st.step, warmup, totalSteps,
                st.step < totalSteps ? schedule.multiplier(st.step) : null));
    Map<String, String> rng = new TreeMap<>();
    rng.put(
        SeedPurpose.DROPOUT.key(),
        "engine generators reseeded before every step with seed(dropout, step); next step's seed "
            + new DefaultSeedStrategy(args.seed()).seed(SeedPurpose.DROPOUT, st.step));
    rng.put(
        SeedPurpose.DATA_ORDER.key(),
        "permutation of epoch e from seed(data-order, e) of dataSeed " + args.effectiveDataSeed()
            + "; position epoch " + st.position.epoch() + " batch " + st.position.batchIndex());
    rng.put(
        SeedPurpose.NEGATIVE_SAMPLING.key(),
        "fresh generator per micro-batch from seed(negative-sampling, step * gradientAccumulationSteps + microBatch)");
    return new TrainerState(st.step, st.position, st.bestMetric, st.bestStep, st.evalsWithoutImprovement, rng, extra);
  }

  /**
   * Sets the loop state to a checkpoint's.
   *
   * @param st the state to set, never null
   * @param ts the checkpoint's trainer state, never null
   */
  static void restore(LoopState st, TrainerState ts) {
    st.step = ts.globalStep();
    st.position = ts.position();
    st.bestMetric = ts.bestMetric();
    st.bestStep = ts.bestStep();
    st.evalsWithoutImprovement = ts.evaluationsWithoutImprovement();
    st.lossSum = ts.extra().lossSum();
    st.lossCount = ts.extra().lossCount();
    st.bestCheckpointStep = ts.extra().bestCheckpointStep();
    st.bestCheckpointMetric = ts.extra().bestCheckpointMetric();
  }

  /**
   * Reads a checkpoint's optimiser state.
   *
   * @param c the checkpoint, never null
   * @param ts its trainer state (which holds the step counts), never null
   * @return the state, never null
   * @throws InvalidInputException if the step counts or the moments are missing or malformed
   */
  static AdamWState readOptimizer(Checkpoint c, TrainerState ts) {
    Map<String, Long> recorded = ts.extra().optimizerSteps();
    if (recorded == null) {
      throw new InvalidInputException(c.trainerStateFile() + ": no optimiser step counts (\"optimizer.steps\")");
    }
    LinkedHashMap<String, Long> steps = new LinkedHashMap<>(recorded);
    Map<String, FloatTensor> tensors =
        steps.isEmpty() ? Map.of() : SafeTensors.readFloats(c.optimizer(), name -> true);
    try {
      return AdamWState.fromTensors(tensors, steps);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(c.optimizer() + ": " + e.getMessage(), e);
    }
  }
}
