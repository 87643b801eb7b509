package dev.ce4j.train;

import dev.ce4j.api.CeException;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.AtomicFiles;
import dev.ce4j.core.io.ModelCard;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.DebugHooks;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.manifest.TrainingModelCard;
import dev.ce4j.train.progress.MetricsWriter;
import dev.ce4j.train.progress.ProgressReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The training loop: steps until the last one (or early stopping), after each step reporting
 * progress, evaluating and writing checkpoints when due, then writes the final model (the best
 * checkpoint's with {@code loadBestModelAtEnd}) and the finished manifest. Not thread-safe.
 */
final class TrainingLoop {
  private final RunSetup setup;
  private final TrainingArguments args;
  private final Path output;
  private final PrintStream progressOut;
  private final List<TrainingCallback> callbacks;
  private final TrainerSession session;
  private final CheckpointDirectory checkpoints;

  TrainingLoop(RunSetup setup, CheckpointDirectory checkpoints) {
    this.setup = setup;
    this.args = setup.args;
    this.output = setup.options.output();
    this.progressOut = setup.options.progressOut();
    this.callbacks = setup.options.callbacks();
    this.session = setup.session;
    this.checkpoints = checkpoints;
  }

  /**
   * Trains from a state to the end.
   *
   * @param st the state to start from, never null
   * @param start the manifest so far, never null
   * @return the outcome, never null
   * @throws IOException if writing fails
   */
  TrainingResult run(LoopState st, RunManifest start) throws IOException {
    RunManifest manifest = start;
    long totalSteps = setup.totalSteps;
    MetricsWriter metrics = MetricsWriter.create(output, manifest.metrics(), session::isCount);
    manifest.write(output.resolve(RunManifest.FILE_NAME));

    DebugHooks hooks = DebugHooks.from(setup.options.env());
    ProgressReporter progress = new ProgressReporter(progressOut, Math.max(1, totalSteps), st.step, System::nanoTime);
    Divergence divergence = new Divergence(args, session, checkpoints);
    TrainingStep trainingStep = new TrainingStep(setup, divergence);
    EvaluationTracker evaluations = new EvaluationTracker(setup, divergence);
    CheckpointWriter checkpointWriter = new CheckpointWriter(setup, checkpoints, hooks);
    boolean stop = false;
    while (!stop && st.step < totalSteps) {
      if (!args.stepsBounded() && st.position.epoch() >= args.epochs()) {
        break;
      }
      TrainingStep.Outcome step = trainingStep.take(st);
      for (TrainingCallback cb : callbacks) {
        cb.onStep(st.step, step.loss(), step.learningRate());
      }
      if (st.step % args.loggingSteps() == 0 || st.step == totalSteps) {
        progress.report(
            st.step, EvaluationTracker.fractionalEpoch(st.position, setup.sampler), step.loss(), step.learningRate());
      }
      boolean evaluate =
          evaluations.any() && (args.evalSteps() > 0 ? st.step % args.evalSteps() == 0 : step.epochEnd());
      boolean save = args.saveSteps() > 0 ? st.step % args.saveSteps() == 0 : step.epochEnd();
      if (evaluate || save) {
        // the loss and gradient norm were finite, yet the update can overflow a weight: no
        // evaluation, checkpoint or final model of such weights
        divergence.requireFiniteWeights(st.step);
      }
      if (evaluate) {
        MetricsRecord record = evaluations.evaluate(st);
        manifest = manifest.withMetrics(record);
        metrics.append(record);
        progress.message(
            "ce-train: step " + st.step + " " + EvaluationTracker.format(record.values(), session::isCount));
        for (TrainingCallback cb : callbacks) {
          cb.onEvaluation(record);
        }
        stop = evaluations.updateBest(st, record);
      }
      if (save) {
        manifest = checkpointWriter.write(manifest, st, evaluate);
      }
      hooks.afterStep(st.step);
      if (stop) {
        progress.message(
            "ce-train: early stopping after step " + st.step + ": no improvement of "
                + args.metricForBestModel() + " in " + st.evalsWithoutImprovement + " evaluations");
      }
    }

    divergence.requireFiniteWeights(st.step);
    return writeFinalModel(st, manifest);
  }

  /** Writes the final model, its card and the finished manifest. */
  private TrainingResult writeFinalModel(LoopState st, RunManifest manifest) throws IOException {
    Path finalDir = output.resolve(CrossEncoderTrainer.FINAL_MODEL);
    LinkedHashMap<String, FloatTensor> finalWeights;
    ModelConfig finalConfig;
    TokenizerFiles finalTokenizer;
    if (args.loadBestModelAtEnd() && st.bestCheckpointStep >= 0) {
      Checkpoint best =
          checkpoints.find(st.bestCheckpointStep)
              .orElseThrow(() -> new CeException(
                  "the best checkpoint (step " + st.bestCheckpointStep + ") is missing from " + output));
      Optional<String> damage = best.damage();
      if (damage.isPresent()) {
        throw new CeException(
            "the best checkpoint " + best.directory() + " is damaged (" + damage.get() + "), so the final"
                + " model (loadBestModelAtEnd) cannot be written from it; the checkpoints of the run are"
                + " in " + output);
      }
      ModelFolder.Contents contents = ModelFolder.read(best.model());
      finalWeights = contents.weights();
      finalConfig = contents.config();
      finalTokenizer = contents.tokenizer();
      progressOut.println("ce-train: the final model is the best checkpoint, step " + best.step());
    } else {
      CrossEncoder model = session.model;
      finalWeights = model.weights().toHost();
      finalConfig = model.config();
      finalTokenizer = model.tokenizerFiles();
    }
    String fingerprint = ModelFolder.write(finalDir, finalConfig, finalWeights, finalTokenizer);
    RunManifest finished = manifest.withFinalFingerprint(fingerprint);
    AtomicFiles.write(finalDir.resolve(ModelCard.FILE),
        TrainingModelCard.of(finalConfig, finished, output).markdown().getBytes(StandardCharsets.UTF_8));
    finished.write(output.resolve(RunManifest.FILE_NAME));
    return new TrainingResult(output, fingerprint, st.step, st.lastMetrics);
  }
}
