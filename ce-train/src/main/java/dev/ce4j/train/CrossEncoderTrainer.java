package dev.ce4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.api.train.Trainer;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.NonFiniteScoreException;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.AtomicFiles;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelCard;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.seed.EngineSeeds;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.checkpoint.PendingCheckpoint;
import dev.ce4j.train.checkpoint.RunFolder;
import dev.ce4j.train.checkpoint.TrainerState;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.TrainingExamples;
import dev.ce4j.train.internal.DebugHooks;
import dev.ce4j.train.internal.EngineSetup;
import dev.ce4j.train.internal.Evaluations;
import dev.ce4j.train.internal.InMemoryInputs;
import dev.ce4j.train.internal.InitialModel;
import dev.ce4j.train.internal.IoErrors;
import dev.ce4j.train.internal.Losses;
import dev.ce4j.train.internal.ResumeCheck;
import dev.ce4j.train.internal.TrainingData;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.manifest.RunSeeds;
import dev.ce4j.train.manifest.RuntimeEnvironment;
import dev.ce4j.train.manifest.TrainingModelCard;
import dev.ce4j.train.optim.AdamW;
import dev.ce4j.train.optim.AdamWConfig;
import dev.ce4j.train.optim.AdamWState;
import dev.ce4j.train.optim.GradientClipping;
import dev.ce4j.train.progress.MetricsWriter;
import dev.ce4j.train.progress.ProgressReporter;
import dev.ce4j.train.sampling.BatchSampler;
import dev.ce4j.train.sampling.BatchSamplers;
import dev.ce4j.train.sampling.DataPosition;
import dev.ce4j.train.schedule.LrSchedule;
import dev.ce4j.train.schedule.LrSchedules;
import dev.ce4j.train.schedule.ScheduleType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
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

  private static final String EXTRA_OPT_STEPS = "optimizer.steps";
  private static final String EXTRA_LOSS_SUM = "lossSinceEval.sum";
  private static final String EXTRA_LOSS_COUNT = "lossSinceEval.count";
  private static final String EXTRA_BEST_CKPT_STEP = "bestCheckpoint.step";
  private static final String EXTRA_BEST_CKPT_METRIC = "bestCheckpoint.metric";
  private static final String EXTRA_SCHEDULE = "scheduler";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The arguments; once set up, with greaterIsBetter resolved from the metric's declaration. */
  private TrainingArguments args;
  private final InMemoryInputs inMemory;
  private final Path output;
  private final boolean resume;
  private final boolean force;
  private final List<TrainingCallback> callbacks;
  private final EvaluatorRegistry registry;
  private final Loss customLoss;
  private final PrintStream progressOut;
  private final UnaryOperator<String> env;
  private CrossEncoder model;
  private AdamW optimizer;
  private boolean used;
  private Map<String, MetricSpec> metricSpecs = Map.of();

  private CrossEncoderTrainer(Builder b) {
    this.args = b.args;
    this.inMemory = b.inMemory;
    this.output = b.output;
    this.resume = b.resume;
    this.force = b.force;
    this.callbacks = List.copyOf(b.callbacks);
    this.registry = b.registry;
    this.customLoss = b.loss;
    this.progressOut = b.progress;
    this.env = b.env;
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
   * @throws InvalidInputException if the settings are invalid
   */
  public static Builder builder(
      TrainingArguments.Builder settings, CrossEncoder model, TrainingExamples trainData, Path outputDirectory) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
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

  /** Mutable loop state; what a checkpoint saves besides weights and optimiser. */
  private static final class LoopState {
    long step;
    DataPosition position = DataPosition.START;
    double bestMetric = Double.NaN;
    long bestStep = -1;
    int evalsWithoutImprovement;
    double lossSum;
    long lossCount;
    long bestCheckpointStep = -1;
    double bestCheckpointMetric = Double.NaN;
    Map<String, Double> lastMetrics = Map.of();
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
      throw new CeException("training failed writing " + output + ": " + IoErrors.reason(e), e);
    }
  }

  @SuppressWarnings("try") // the run folder stays locked while its resource is open
  private TrainingResult run() throws IOException {
    int threads = EngineSetup.threads(args.numThreads());
    Device device = EngineSetup.prepare(threads, args.device(), args.determinism(), env);
    String deviceName = Devices.name(device);
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads > cores && !device.isGpu()) {
      progressOut.println("ce-train: " + threads + " intra-op threads on " + cores + " logical cores: slower than "
          + cores + ", but a run's thread count decides its bits, so it is kept");
    }
    // set-up: everything the run reads is read and checked before anything is written
    Loss loss = customLoss != null ? customLoss : Losses.create(args.loss());
    TrainingData data = inMemory != null ? TrainingData.of(inMemory.data(), loss) : TrainingData.read(args.trainData(), loss);
    Evaluations evals = Evaluations.load(args.evaluators(), registry != null ? registry : EvaluatorRegistry.load());
    args = withDirection(args, evals);
    List<DataFileDigest> digests = new ArrayList<>();
    args.trainData().forEach(f -> digests.add(inMemory != null ? inMemory.digest(f.path()) : DataFileDigest.of("train", f.path())));
    args.evaluators().forEach(s -> digests.add(DataFileDigest.of("eval:" + s.name(), s.data().path())));
    RuntimeEnvironment environment = RuntimeEnvironment.detect(threads, deviceName);

    SeedStrategy seeds = new DefaultSeedStrategy(args.seed());
    SeedStrategy dataSeeds = new DefaultSeedStrategy(args.effectiveDataSeed());
    BatchSampler sampler =
        BatchSamplers.create(args.sampler(), data.size(), data::texts, args.batchSize(), dataSeeds);
    int accum = args.gradientAccumulationSteps();
    long totalSteps = totalSteps(sampler, accum);
    long warmup = LrSchedules.warmupSteps(args.warmupSteps(), args.warmupRatio(), totalSteps);
    LrSchedule schedule = ScheduleType.valueOf(args.scheduler().name()).create(warmup, totalSteps);
    CrossEncoderOptions options = CrossEncoderOptions.defaults().withDevice(device);
    if (!resume) {
      model = initialModel(seeds, options);
      requireFits(data, loss, evals);
    }

    try (RunFolder folder = resume ? RunFolder.forResume(output) : RunFolder.forNewRun(output)) {
      CheckpointDirectory checkpoints = new CheckpointDirectory(output);
      LoopState st = new LoopState();
      RunManifest manifest;
      Optional<Checkpoint> from =
          resume ? checkpoints.newestIntact(line -> progressOut.println("ce-train: " + line)) : Optional.empty();
      if (from.isPresent()) {
        Checkpoint c = from.get();
        RunManifest recorded = RunManifest.read(c.manifest());
        refuseDifferences(recorded, digests, threads, deviceName, "cannot resume from " + c.directory());
        TrainerState ts = c.readTrainerState();
        restore(st, ts);
        manifest =
            new RunManifest(
                args, RunSeeds.of(args), digests, environment,
                recorded.checkpoints().stream().filter(x -> x.step() <= c.step()).toList(), null,
                recorded.metrics().stream().filter(x -> x.step() <= c.step()).toList());
        if (!manifest.metrics().isEmpty()) {
          st.lastMetrics = manifest.metrics().get(manifest.metrics().size() - 1).values();
        }
        model = CrossEncoder.load(c.model(), options);
        requireFits(data, loss, evals);
        optimizer = newOptimizer();
        optimizer.importState(readOptimizer(c, ts));
        progressOut.println("ce-train: resuming from " + c.directory() + " (step " + st.step + ")");
      } else {
        if (resume) {
          // a run killed before its first checkpoint: start it again, if it is the same run
          Path recordedFile = output.resolve(RunManifest.FILE_NAME);
          if (Files.exists(recordedFile)) {
            refuseDifferences(RunManifest.read(recordedFile), digests, threads, deviceName,
                "cannot resume " + output + " (no checkpoint yet: the run starts again from step 0)");
          }
          model = initialModel(seeds, options);
          requireFits(data, loss, evals);
          progressOut.println("ce-train: " + output + " has no complete checkpoint; starting the run again from step 0");
        }
        manifest = RunManifest.start(args, digests, environment);
        progressOut.println("ce-train: initial weights fingerprint " + ModelFingerprint.of(model.weights()));
        optimizer = newOptimizer();
      }
      if (inMemory != null) {
        inMemory.write(output);
      }
      return train(new Run(data, loss, evals, sampler, totalSteps, warmup, schedule, seeds, checkpoints), st, manifest);
    }
  }

  /** The model the run starts from: the in-memory one's copy, or the configured one. */
  private CrossEncoder initialModel(SeedStrategy seeds, CrossEncoderOptions options) {
    return inMemory != null
        ? inMemory.copyModel(options)
        : InitialModel.build(args.model(), seeds.seed(SeedPurpose.WEIGHT_INIT), options);
  }

  /** What the loop needs besides its state: fixed for the whole run. */
  private record Run(
      TrainingData data, Loss loss, Evaluations evals, BatchSampler sampler, long totalSteps,
      long warmup, LrSchedule schedule, SeedStrategy seeds, CheckpointDirectory checkpoints) {}

  /**
   * The arguments with {@code greaterIsBetter} resolved: as configured, else as the evaluator of
   * {@code metricForBestModel} declares (see {@link Evaluations#greaterIsBetter}). The resolved value
   * is what {@code run.json} records, so a replay ranks the same way.
   */
  private TrainingArguments withDirection(TrainingArguments a, Evaluations evals) {
    boolean greater = evals.greaterIsBetter(a.metricForBestModel(), a.greaterIsBetter(), TRAIN_LOSS,
        warning -> progressOut.println("ce-train: warning: " + warning));
    return Boolean.valueOf(greater).equals(a.greaterIsBetter()) ? a : a.toBuilder().optGreaterIsBetter(greater).build();
  }

  /**
   * Checks, before anything is written, that the data, the loss and the evaluators fit the model,
   * and that {@code metricForBestModel} is one of the run's single-number metrics.
   */
  private void requireFits(TrainingData data, Loss loss, Evaluations evals) {
    int numLabels = model.config().numLabels();
    data.requireFits(loss, numLabels);
    metricSpecs = Collections.unmodifiableMap(
        evals.requireFits(numLabels, model.activation(), args.metricForBestModel(), TRAIN_LOSS));
  }

  /**
   * The metrics of the run, each with its kind and direction: {@code train/loss} and every
   * {@code <evaluator name>/<key>}, in report order. Known once {@link #train()} has checked the
   * evaluators against the model (before it trains).
   *
   * @return an unmodifiable map, never null; empty before then or without evaluators
   */
  public Map<String, MetricSpec> metrics() {
    return metricSpecs.size() <= 1 ? Map.of() : metricSpecs;
  }

  private boolean isCount(String key) {
    MetricSpec spec = metricSpecs.get(key);
    return spec != null && spec.kind().isCount();
  }

  private void refuseDifferences(
      RunManifest recorded, List<DataFileDigest> digests, int threads, String deviceName, String what) {
    List<String> diffs = ResumeCheck.differences(recorded, args, digests, threads, deviceName);
    if (!diffs.isEmpty() && !force) {
      throw new InvalidInputException(
          what + ": the run differs from the one that wrote it: " + String.join("; ", diffs)
              + ". Resume with the same settings, or force it (--force; the result then need not match an"
              + " uninterrupted run)");
    }
  }

  private static void restore(LoopState st, TrainerState ts) {
    st.step = ts.globalStep();
    st.position = ts.position();
    st.bestMetric = ts.bestMetric();
    st.bestStep = ts.bestStep();
    st.evalsWithoutImprovement = ts.evaluationsWithoutImprovement();
    st.lossSum = Double.longBitsToDouble(Long.parseUnsignedLong(ts.extra().getOrDefault(EXTRA_LOSS_SUM, "0"), 16));
    st.lossCount = Long.parseLong(ts.extra().getOrDefault(EXTRA_LOSS_COUNT, "0"));
    st.bestCheckpointStep = Long.parseLong(ts.extra().getOrDefault(EXTRA_BEST_CKPT_STEP, "-1"));
    st.bestCheckpointMetric =
        Double.longBitsToDouble(
            Long.parseUnsignedLong(
                ts.extra().getOrDefault(EXTRA_BEST_CKPT_METRIC, Long.toHexString(Double.doubleToRawLongBits(Double.NaN))), 16));
  }

  private TrainingResult train(Run run, LoopState st, RunManifest start) throws IOException {
    RunManifest manifest = start;
    TrainingData data = run.data();
    Loss loss = run.loss();
    Evaluations evals = run.evals();
    BatchSampler sampler = run.sampler();
    long totalSteps = run.totalSteps();
    LrSchedule schedule = run.schedule();
    SeedStrategy seeds = run.seeds();
    CheckpointDirectory checkpoints = run.checkpoints();
    long warmup = run.warmup();
    int accum = args.gradientAccumulationSteps();
    MetricsWriter metrics = MetricsWriter.create(output, manifest.metrics(), this::isCount);
    manifest.write(output.resolve(RunManifest.FILE_NAME));

    DebugHooks hooks = DebugHooks.from(env);
    ProgressReporter progress = new ProgressReporter(progressOut, Math.max(1, totalSteps), st.step, System::nanoTime);
    Engine engine = PyTorch.engine();
    List<NDArray> params = new ArrayList<>(model.weights().asMap().values());
    boolean stop = false;
    while (!stop && st.step < totalSteps) {
      if (!args.stepsBounded() && st.position.epoch() >= args.epochs()) {
        break;
      }
      long epoch = st.position.epoch();
      int batchCount = sampler.batchCount(epoch);
      if (batchCount == 0) {
        throw new InvalidInputException("the training data yields no batches");
      }
      int first = st.position.batchIndex();
      int n = Math.min(accum, batchCount - first);
      EngineSeeds.seedEngine(seeds.seed(SeedPurpose.DROPOUT, st.step));
      double lossSum = 0;
      for (int j = 0; j < n; j++) {
        int[] indices = sampler.batch(epoch, first + j);
        SplittableRandom negatives =
            new SplittableRandom(seeds.seed(SeedPurpose.NEGATIVE_SAMPLING, st.step * accum + j));
        try (NDManager bm = model.manager().newSubManager();
            GradientCollector gc = engine.newGradientCollector()) {
          NDArray l = data.batch(model, indices, bm, negatives).loss(model, loss);
          lossSum += l.getFloat();
          // divide by an array of the batch's manager, not div(Number): DJL frees that scalar at
          // once while autograd still holds it for the backward pass
          gc.backward(n == 1 ? l : l.div(bm.create((float) n)));
        }
      }
      long stepNumber = st.step + 1;
      double stepLoss = lossSum / n;
      if (!Double.isFinite(stepLoss)) {
        optimizer.zeroGrad();
        throw diverged(stepNumber, "the training loss is " + stepLoss, checkpoints);
      }
      if (args.maxGradNorm() > 0) {
        double norm = GradientClipping.clipGradNorm(params, args.maxGradNorm());
        if (!Double.isFinite(norm)) {
          optimizer.zeroGrad();
          throw diverged(stepNumber, "the gradient norm is " + norm, checkpoints);
        }
      }
      double lr = args.learningRate() * schedule.multiplier(st.step);
      optimizer.step(lr);
      optimizer.zeroGrad();
      st.step = stepNumber;
      st.position =
          first + n < batchCount ? new DataPosition(epoch, first + n) : new DataPosition(epoch + 1, 0);
      boolean epochEnd = st.position.batchIndex() == 0;
      st.lossSum += stepLoss;
      st.lossCount++;
      for (TrainingCallback cb : callbacks) {
        cb.onStep(st.step, stepLoss, lr);
      }
      if (st.step % args.loggingSteps() == 0 || st.step == totalSteps) {
        progress.report(st.step, fractionalEpoch(st.position, sampler), stepLoss, lr);
      }
      boolean evaluate = !evals.isEmpty() && (args.evalSteps() > 0 ? st.step % args.evalSteps() == 0 : epochEnd);
      boolean save = args.saveSteps() > 0 ? st.step % args.saveSteps() == 0 : epochEnd;
      if (evaluate || save) {
        // the loss and gradient norm were finite, yet the update can overflow a weight: no
        // evaluation, checkpoint or final model of such weights
        requireFiniteWeights(st.step, checkpoints);
      }
      if (evaluate) {
        MetricsRecord record = evaluate(evals, st, sampler, checkpoints);
        manifest = manifest.withMetrics(record);
        metrics.append(record);
        progress.message("ce-train: step " + st.step + " " + format(record.values(), this::isCount));
        for (TrainingCallback cb : callbacks) {
          cb.onEvaluation(record);
        }
        stop = updateBest(st, record);
      }
      if (save) {
        manifest = checkpoint(checkpoints, manifest, st, evaluate, hooks, schedule, totalSteps, warmup);
      }
      hooks.afterStep(st.step);
      if (stop) {
        progress.message(
            "ce-train: early stopping after step " + st.step + ": no improvement of "
                + args.metricForBestModel() + " in " + st.evalsWithoutImprovement + " evaluations");
      }
    }

    requireFiniteWeights(st.step, checkpoints);
    Path finalDir = output.resolve(FINAL_MODEL);
    LinkedHashMap<String, FloatTensor> finalWeights;
    ModelConfig finalConfig;
    TokenizerFiles finalTokenizer;
    if (args.loadBestModelAtEnd() && st.bestCheckpointStep >= 0) {
      Checkpoint best =
          checkpoints.find(st.bestCheckpointStep)
              .orElseThrow(() -> new CeException("the best checkpoint (step " + st.bestCheckpointStep + ") is missing from " + output));
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
      finalWeights = model.weights().toHost();
      finalConfig = model.config();
      finalTokenizer = model.tokenizerFiles();
    }
    ModelFolder.write(finalDir, finalConfig, finalWeights, finalTokenizer);
    String fingerprint = ModelFingerprint.of(finalWeights);
    manifest = manifest.withFinalFingerprint(fingerprint);
    AtomicFiles.write(finalDir.resolve(ModelCard.FILE),
        TrainingModelCard.of(finalConfig, manifest, output).markdown().getBytes(StandardCharsets.UTF_8));
    manifest.write(output.resolve(RunManifest.FILE_NAME));
    return new TrainingResult(output, fingerprint, st.step, st.lastMetrics);
  }

  private long totalSteps(BatchSampler sampler, int accum) {
    if (args.stepsBounded()) {
      return args.maxSteps();
    }
    long total = 0;
    for (int e = 0; e < args.epochs(); e++) {
      total += (sampler.batchCount(e) + accum - 1) / accum;
    }
    return total;
  }

  private static double fractionalEpoch(DataPosition p, BatchSampler sampler) {
    int count = sampler.batchCount(p.epoch());
    return p.epoch() + (count == 0 ? 0 : (double) p.batchIndex() / count);
  }

  private AdamW newOptimizer() {
    model.weights().setRequiresGradient(true);
    return new AdamW(
        model.weights().asMap(), AdamWConfig.withWeightDecay(args.weightDecay()), model.config().architecture()::isNoDecay);
  }

  private TrainingDivergedException diverged(long step, String what, CheckpointDirectory checkpoints) throws IOException {
    Optional<Checkpoint> last = checkpoints.latest();
    return new TrainingDivergedException(
        step,
        "training diverged at step " + step + ": " + what + " (learning rate " + args.learningRate()
            + "). " + (last.isPresent()
                ? "The last good checkpoint is " + last.get().directory() + "."
                : "No checkpoint was written before.")
            + (args.maxGradNorm() > 0
                ? " Lower learningRate (or maxGradNorm, now " + args.maxGradNorm() + "), then train again"
                : " Lower learningRate or set maxGradNorm (gradient clipping), then train again"));
  }

  /** Stops the run when a weight is NaN or infinite, naming the first such tensor. */
  @SuppressWarnings("try") // the scopes act by being open
  private void requireFiniteWeights(long step, CheckpointDirectory checkpoints) throws IOException {
    String bad = null;
    try (PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
        NDArray w = e.getValue();
        if (w.isNaN().any().getBoolean() || w.isInfinite().any().getBoolean()) {
          bad = e.getKey();
          break;
        }
      }
    }
    if (bad != null) {
      throw diverged(step, "the weights are no longer finite after the optimiser step (first: " + bad + ")", checkpoints);
    }
  }

  private MetricsRecord evaluate(Evaluations evals, LoopState st, BatchSampler sampler, CheckpointDirectory checkpoints)
      throws IOException {
    LinkedHashMap<String, Double> values = new LinkedHashMap<>();
    values.put(TRAIN_LOSS, st.lossCount == 0 ? Double.NaN : st.lossSum / st.lossCount);
    st.lossSum = 0;
    st.lossCount = 0;
    Evaluations.Result result;
    try {
      result = evals.evaluate(model);
    } catch (NonFiniteScoreException e) {
      throw diverged(st.step, "the model's scores on the evaluation data are no longer finite (the logit of pair "
          + e.pairIndex() + " is " + e.logit() + ") although its weights are", checkpoints);
    }
    values.putAll(result.values());
    st.lastMetrics = values;
    return new MetricsRecord(st.step, fractionalEpoch(st.position, sampler), values, result.perLabel());
  }

  /** Updates the best metric and the early-stopping count; returns whether to stop. */
  private boolean updateBest(LoopState st, MetricsRecord record) {
    String key = args.metricForBestModel();
    if (key == null) {
      return false;
    }
    Double v = record.values().get(key);
    if (v == null) {
      throw new InvalidInputException(
          "metricForBestModel '" + key + "' is not among the metrics: " + String.join(", ", record.values().keySet()));
    }
    boolean improved =
        Double.isNaN(st.bestMetric)
            || (args.greaterIsBetter()
                ? v > st.bestMetric + args.earlyStoppingMinDelta()
                : v < st.bestMetric - args.earlyStoppingMinDelta());
    if (improved && !Double.isNaN(v)) {
      st.bestMetric = v;
      st.bestStep = st.step;
      st.evalsWithoutImprovement = 0;
    } else {
      st.evalsWithoutImprovement++;
    }
    return args.earlyStoppingPatience() > 0 && st.evalsWithoutImprovement >= args.earlyStoppingPatience();
  }

  private RunManifest checkpoint(
      CheckpointDirectory checkpoints, RunManifest manifest, LoopState st, boolean evaluatedNow,
      DebugHooks hooks, LrSchedule schedule, long totalSteps, long warmup) throws IOException {
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
    LinkedHashMap<String, FloatTensor> host = model.weights().toHost();
    String fingerprint = ModelFingerprint.of(host);
    RunManifest updated = manifest.withCheckpoint(st.step, fingerprint);
    Checkpoint committed;
    try (PendingCheckpoint pending = checkpoints.begin(st.step)) {
      ModelFolder.write(pending.model(), model.config(), host, model.tokenizerFiles());
      AdamWState opt = optimizer.exportState();
      SafeTensors.write(pending.optimizer(), opt.toTensors(), DType.F32, Map.of("format", "ce-adamw"));
      Map<String, String> extra = new TreeMap<>();
      extra.put(EXTRA_OPT_STEPS, JSON.writeValueAsString(opt.steps()));
      extra.put(EXTRA_LOSS_SUM, Long.toHexString(Double.doubleToRawLongBits(st.lossSum)));
      extra.put(EXTRA_LOSS_COUNT, Long.toString(st.lossCount));
      extra.put(EXTRA_BEST_CKPT_STEP, Long.toString(st.bestCheckpointStep));
      extra.put(EXTRA_BEST_CKPT_METRIC, Long.toHexString(Double.doubleToRawLongBits(st.bestCheckpointMetric)));
      extra.put(
          EXTRA_SCHEDULE,
          String.format(
              Locale.ROOT, "{\"type\": \"%s\", \"step\": %d, \"warmupSteps\": %d, \"totalSteps\": %d, \"nextMultiplier\": %s}",
              args.scheduler().jsonName(), st.step, warmup, totalSteps,
              st.step < totalSteps ? Double.toString(schedule.multiplier(st.step)) : "null"));
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
      new TrainerState(
              st.step, st.position, st.bestMetric, st.bestStep, st.evalsWithoutImprovement, rng, extra)
          .write(pending.trainerStateFile());
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

  private static AdamWState readOptimizer(Checkpoint c, TrainerState ts) {
    String stepsJson = ts.extra().get(EXTRA_OPT_STEPS);
    if (stepsJson == null) {
      throw new InvalidInputException(c.trainerStateFile() + ": no optimiser step counts (\"" + EXTRA_OPT_STEPS + "\")");
    }
    LinkedHashMap<String, Long> steps = new LinkedHashMap<>();
    try {
      JsonNode n = JSON.readTree(stepsJson);
      n.properties().forEach(e -> steps.put(e.getKey(), e.getValue().asLong()));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(c.trainerStateFile() + ": malformed optimiser step counts", e);
    }
    Map<String, FloatTensor> tensors =
        steps.isEmpty() ? Map.of() : SafeTensors.readFloats(c.optimizer(), name -> true);
    try {
      return AdamWState.fromTensors(tensors, steps);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(c.optimizer() + ": " + e.getMessage(), e);
    }
  }

  private static String format(Map<String, Double> values, Predicate<String> isCount) {
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " | ").append(k).append(' ').append(
        isCount.test(k) && MetricsWriter.isWholeNumber(v)
            ? Long.toString(v.longValue())
            : String.format(Locale.ROOT, "%.6f", v)));
    return b.toString();
  }

  /** Releases the model and the optimiser state; idempotent. */
  @Override
  public void close() {
    if (optimizer != null) {
      optimizer.close();
      optimizer = null;
    }
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
