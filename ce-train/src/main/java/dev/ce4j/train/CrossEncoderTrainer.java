package dev.ce4j.train;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.train.Trainer;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.seed.EngineSeeds;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.checkpoint.RunFolder;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.TrainingExamples;
import dev.ce4j.train.internal.DebugHooks;
import dev.ce4j.train.internal.EngineSetup;
import dev.ce4j.train.internal.InMemoryInputs;
import dev.ce4j.train.internal.IoErrors;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.optim.AdamW;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Trains a {@link CrossEncoder} reproducibly: one master seed governs every random number from
 * weight initialisation to the last step, a killed run resumes bit for bit, and every run leaves a
 * manifest ({@code run.json}) that {@link dev.ce4j.train.reproduce.Reproducer} can replay.
 *
 * <h2>What the seed governs</h2>
 *
 * A {@link DefaultSeedStrategy} on {@link TrainingArguments#seed()} derives: the initial weights of
 * a new model, or of a new head on a loaded encoder ({@link SeedPurpose#WEIGHT_INIT}); the dropout
 * masks (the engine's generators are reseeded via {@link EngineSeeds} with {@code
 * seed(DROPOUT, step)} before every optimisation step, so a resumed run draws the same masks
 * without saving generator state); in-batch negatives ({@link SeedPurpose#NEGATIVE_SAMPLING},
 * index {@code step * gradientAccumulationSteps + microBatch}). A second strategy on {@link
 * TrainingArguments#effectiveDataSeed()} derives the data order of each epoch ({@link
 * SeedPurpose#DATA_ORDER}, index = epoch), so changing {@code dataSeed} alone changes the order and
 * keeps the initial weights. Evaluation draws nothing.
 *
 * <h2>Threads and determinism</h2>
 *
 * The intra-op thread count ({@code numThreads}, or the number of logical cores) is pinned before
 * the first step (see {@link EngineSetup}: the JVM should be started with {@code
 * -Dai.djl.pytorch.num_threads=N}, as the {@code ce} launcher and the tests do), recorded in the
 * manifest, and a resume with another count is refused. On the CPU, the same configuration, data,
 * seed and thread count give bitwise-identical weights in every new JVM.
 *
 * <h2>The loop</h2>
 *
 * An optimisation step takes {@code gradientAccumulationSteps} consecutive batches of one epoch
 * (fewer at the end of an epoch); each batch's loss is divided by the number of batches of its
 * step before the backward pass. Then the global gradient norm is clipped to {@code maxGradNorm}
 * (when above 0), {@link AdamW} updates with {@code learningRate * schedule(step)}, and the
 * gradients are zeroed. A NaN or infinite loss or gradient norm stops training with a {@link
 * TrainingDivergedException}; the checkpoints written before stay. After a step: progress every
 * {@code loggingSteps}; evaluation every {@code evalSteps} (or at each epoch's end); a checkpoint
 * every {@code saveSteps} (or at each epoch's end); early stopping after {@code
 * earlyStoppingPatience} evaluations without an improvement of at least {@code
 * earlyStoppingMinDelta}. Metric keys are {@code <evaluator name>/<metric key>}, plus {@code
 * train/loss}, the mean step loss since the previous evaluation. Which way {@code
 * metricForBestModel} improves is {@code greaterIsBetter} when set, else what its evaluator
 * declares ({@link dev.ce4j.api.eval.Evaluator#metrics}); see {@link #metrics()}.
 *
 * <h2>The output folder</h2>
 *
 * <pre>
 *   run.json                  the manifest (arguments, seeds, data digests, environment,
 *                             checkpoint fingerprints, final fingerprint, metrics)
 *   metrics.csv, metrics.jsonl  every evaluation
 *   checkpoint-&lt;step&gt;/       see {@link Checkpoint}; trainer_state.json's "extra" holds the
 *                             optimiser step counts, the best checkpoint and the loss accumulator
 *   model/                    the final model (the best checkpoint's with loadBestModelAtEnd)
 * </pre>
 *
 * A new run refuses an output folder that already holds a run. With {@link Builder#resume(boolean)}
 * it continues from the latest complete checkpoint (leftovers of a crashed checkpoint write are
 * removed first), refusing, unless {@link Builder#force(boolean)}, when the configuration, a data
 * file, the thread count or the device differs from the checkpoint's, naming each difference.
 *
 * <p>Not thread-safe; one {@link #train()} per trainer. Trains on the engine's process-global
 * generators: do not run two trainers in one JVM at the same time.
 */
public final class CrossEncoderTrainer implements Trainer {
  /** The final model's folder in the output folder. */
  public static final String FINAL_MODEL = "model";
  /** The metric key of the mean training loss since the previous evaluation. */
  public static final String TRAIN_LOSS = "train/loss";

  /** The arguments; once set up, with greaterIsBetter resolved from the metric's declaration. */
  private TrainingArguments args;
  private final TrainerOptions options;
  private final TrainerSession session = new TrainerSession();
  private boolean used;

  private CrossEncoderTrainer(Builder b) {
    this.args = b.args;
    this.options = new TrainerOptions(
        b.inMemory, b.output, b.resume, b.force, b.callbacks, b.registry, b.loss, b.progress, b.env);
  }

  /**
   * A builder for a run with these arguments, writing into an output folder.
   *
   * @param args the arguments, never null
   * @param outputDirectory the output folder, created if needed, never null
   * @return the builder, never null
   */
  public static Builder builder(TrainingArguments args, Path outputDirectory) {
    return new Builder(args, outputDirectory, null);
  }

  /**
   * A builder for a run that fine-tunes a loaded model on data held in memory. The run records both
   * as files in its folder ({@code inputs/model/}, {@code inputs/train.jsonl}; its arguments name
   * them and {@code run.json} records the data's SHA-256), so {@code ce reproduce} replays it like
   * any run; the given model is copied and left as it was.
   *
   * @param settings the run's settings (seed, loss, steps, evaluators, ...), never null; its model
   *     and training data are set here
   * @param model the model to fine-tune, open until {@link #train()} has set up, never null
   * @param trainData the training data, never null
   * @param outputDirectory the output folder, created if needed, never null
   * @return the builder, never null
   * @throws InvalidInputException if the settings are invalid, or the model was loaded to score
   *     in int8 or bf16 ({@link CrossEncoder#precision()}): training stays float32
   */
  public static Builder builder(
      TrainingArguments.Builder settings, CrossEncoder model, TrainingExamples trainData, Path outputDirectory) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(model, "model");
    if (model.precision() != CrossEncoderOptions.Precision.FP32) {
      throw new InvalidInputException("training computes in fp32; the model was loaded to score in "
          + model.precision() + ": load it with CrossEncoderOptions precision FP32 (the default) to train it");
    }
    InMemoryInputs inputs = new InMemoryInputs(model, trainData);
    return new Builder(inputs.bind(settings, outputDirectory), outputDirectory, inputs);
  }

  /** Configures a {@link CrossEncoderTrainer}. Not thread-safe. */
  public static final class Builder {
    private final TrainingArguments args;
    private final Path output;
    private final InMemoryInputs inMemory;
    private boolean resume;
    private boolean force;
    private final List<TrainingCallback> callbacks = new ArrayList<>();
    private EvaluatorRegistry registry;
    private Loss loss;
    private PrintStream progress = System.err;
    private UnaryOperator<String> env = System::getenv;

    private Builder(TrainingArguments args, Path output, InMemoryInputs inMemory) {
      this.args = Objects.requireNonNull(args, "args");
      this.output = Objects.requireNonNull(output, "outputDirectory");
      this.inMemory = inMemory;
    }

    /**
     * Continue from the latest complete checkpoint of the output folder (start afresh if there is
     * none).
     *
     * @param v whether to resume; default false
     * @return this builder
     */
    public Builder resume(boolean v) {
      resume = v;
      return this;
    }

    /**
     * Resume even when the configuration, data, thread count or device differs from the
     * checkpoint's (the result then need not equal an uninterrupted run's).
     *
     * @param v whether to force; default false
     * @return this builder
     */
    public Builder force(boolean v) {
      force = v;
      return this;
    }

    /**
     * Adds a callback.
     *
     * @param callback the callback, never null
     * @return this builder
     */
    public Builder callback(TrainingCallback callback) {
      callbacks.add(Objects.requireNonNull(callback, "callback"));
      return this;
    }

    /**
     * The evaluators to look ids up in; default {@link EvaluatorRegistry#load()}.
     *
     * @param v the registry, never null
     * @return this builder
     */
    public Builder evaluatorRegistry(EvaluatorRegistry v) {
      registry = Objects.requireNonNull(v, "registry");
      return this;
    }

    /**
     * A loss object used instead of the one the arguments name (for losses outside {@code ce});
     * the arguments' loss name is still recorded.
     *
     * @param v the loss, never null
     * @return this builder
     */
    public Builder loss(Loss v) {
      loss = Objects.requireNonNull(v, "loss");
      return this;
    }

    /**
     * Where progress lines go; default standard error.
     *
     * @param v the stream, never null
     * @return this builder
     */
    public Builder progress(PrintStream v) {
      progress = Objects.requireNonNull(v, "progress");
      return this;
    }

    /**
     * The environment variables read ({@code CUBLAS_WORKSPACE_CONFIG}, the test hook of {@link
     * DebugHooks}); default {@link System#getenv(String)}.
     *
     * @param v the lookup, never null
     * @return this builder
     */
    public Builder environment(UnaryOperator<String> v) {
      env = Objects.requireNonNull(v, "environment");
      return this;
    }

    /**
     * Builds the trainer; nothing is loaded until {@link CrossEncoderTrainer#train()}.
     *
     * @return the trainer, to be closed, never null
     */
    public CrossEncoderTrainer build() {
      return new CrossEncoderTrainer(this);
    }
  }

  /**
   * Runs training to its end, or resumes it.
   *
   * @return the outcome, never null
   * @throws InvalidInputException for bad configuration or data, an output folder that holds
   *     another run, or a refused resume (naming each difference)
   * @throws TrainingDivergedException if the loss or gradient norm becomes NaN or infinite
   * @throws CeException if training fails otherwise
   */
  @Override
  public TrainingResult train() {
    if (used) {
      throw new IllegalStateException("train() may be called once per trainer");
    }
    used = true;
    try {
      return run();
    } catch (IOException e) {
      throw new CeException("training failed writing " + options.output() + ": " + IoErrors.reason(e), e);
    }
  }

  // The parts, in the order a run meets them: RunSetup (set-up and resume), TrainingLoop (the loop
  // and the final model), TrainingStep (one optimisation step), EvaluationTracker (evaluation, best
  // metric, early stopping), CheckpointWriter (checkpoints written and restored), Divergence.
  @SuppressWarnings("try") // the run folder stays locked while its resource is open
  private TrainingResult run() throws IOException {
    // set-up: everything the run reads is read and checked before anything is written
    RunSetup setup = RunSetup.prepare(args, options, session);
    args = setup.args;
    Path output = options.output();
    try (RunFolder folder = options.resume() ? RunFolder.forResume(output) : RunFolder.forNewRun(output)) {
      CheckpointDirectory checkpoints = new CheckpointDirectory(output);
      RunSetup.Start start = setup.start(checkpoints);
      if (options.inMemory() != null) {
        options.inMemory().write(output);
      }
      return new TrainingLoop(setup, checkpoints).run(start.state(), start.manifest());
    }
  }

  /**
   * The metrics of the run, each with its kind and direction: {@code train/loss} and every
   * {@code <evaluator name>/<key>}, in report order. Known once {@link #train()} has checked the
   * evaluators against the model (before it trains).
   *
   * @return an unmodifiable map, never null; empty before then or without evaluators
   */
  public Map<String, MetricSpec> metrics() {
    Map<String, MetricSpec> specs = session.metricSpecs;
    return specs.size() <= 1 ? Map.of() : specs;
  }

  /** Releases the model and the optimiser state; idempotent. */
  @Override
  public void close() {
    session.close();
  }
}
