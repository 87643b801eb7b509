package dev.ce4j.train;

import ai.djl.Device;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.checkpoint.TrainerState;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.EngineSetup;
import dev.ce4j.train.internal.Evaluations;
import dev.ce4j.train.internal.InMemoryInputs;
import dev.ce4j.train.internal.InitialModel;
import dev.ce4j.train.internal.Losses;
import dev.ce4j.train.internal.ResumeCheck;
import dev.ce4j.train.internal.TrainingData;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.manifest.RunSeeds;
import dev.ce4j.train.manifest.RuntimeEnvironment;
import dev.ce4j.train.optim.AdamW;
import dev.ce4j.train.optim.AdamWConfig;
import dev.ce4j.train.sampling.BatchSampler;
import dev.ce4j.train.sampling.BatchSamplers;
import dev.ce4j.train.schedule.LrSchedule;
import dev.ce4j.train.schedule.LrSchedules;
import dev.ce4j.train.schedule.ScheduleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The set-up of a run, in two parts. {@link #prepare} reads and checks everything the run reads
 * (engine, loss, data, evaluators, data digests and, for a new run, the initial model against the
 * data and evaluators) before anything is written; {@link #start}, with the output folder locked,
 * restores the newest intact checkpoint (refusing, unless forced, a run that differs from it) or
 * starts from step 0, and gives the loop its first state and manifest.
 *
 * <p>What it loads (model, optimiser) goes into the {@link TrainerSession}, which the trainer
 * closes. Not thread-safe.
 */
final class RunSetup {
  /** The arguments, with {@code greaterIsBetter} resolved from the metric's declaration. */
  final TrainingArguments args;
  final TrainerOptions options;
  final TrainerSession session;
  final TrainingData data;
  final Loss loss;
  final Evaluations evals;
  final SeedStrategy seeds;
  final BatchSampler sampler;
  final long totalSteps;
  final long warmup;
  final LrSchedule schedule;
  private final List<DataFileDigest> digests;
  private final RuntimeEnvironment environment;
  private final int threads;
  private final String deviceName;
  private final CrossEncoderOptions modelOptions;

  private RunSetup(TrainingArguments configured, TrainerOptions options, TrainerSession session) {
    this.options = options;
    this.session = session;
    InMemoryInputs inMemory = options.inMemory();
    threads = EngineSetup.threads(configured.numThreads());
    Device device = EngineSetup.prepare(threads, configured.device(), configured.determinism(), options.env());
    deviceName = Devices.name(device);
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads > cores && !device.isGpu()) {
      options.progressOut().println("ce-train: " + threads + " intra-op threads on " + cores
          + " logical cores: slower than " + cores + ", but a run's thread count decides its bits, so it is kept");
    }
    loss = options.customLoss() != null ? options.customLoss() : Losses.create(configured.loss());
    data = inMemory != null ? TrainingData.of(inMemory.data(), loss) : TrainingData.read(configured.trainData(), loss);
    EvaluatorRegistry registry = options.registry();
    evals = Evaluations.load(configured.evaluators(), registry != null ? registry : EvaluatorRegistry.load());
    args = withDirection(configured, evals);
    List<DataFileDigest> d = new ArrayList<>();
    args.trainData().forEach(
        f -> d.add(inMemory != null ? inMemory.digest(f.path()) : DataFileDigest.of("train", f.path())));
    args.evaluators().forEach(s -> d.add(DataFileDigest.of("eval:" + s.name(), s.data().path())));
    digests = d;
    environment = RuntimeEnvironment.detect(threads, deviceName);

    seeds = new DefaultSeedStrategy(args.seed());
    SeedStrategy dataSeeds = new DefaultSeedStrategy(args.effectiveDataSeed());
    sampler = BatchSamplers.create(args.sampler(), data.size(), data::texts, args.batchSize(), dataSeeds);
    totalSteps = totalSteps(sampler, args.gradientAccumulationSteps());
    warmup = LrSchedules.warmupSteps(args.warmupSteps(), args.warmupRatio(), totalSteps);
    schedule = ScheduleType.valueOf(args.scheduler().name()).create(warmup, totalSteps);
    modelOptions = CrossEncoderOptions.defaults().withDevice(device);
  }

  /**
   * Reads and checks everything the run reads; writes nothing. For a new run, the initial model is
   * built (into the session) and checked against the data and evaluators.
   *
   * @param args the configured arguments, never null
   * @param options the trainer's options, never null
   * @param session where the model goes, never null
   * @return the set-up, never null
   */
  static RunSetup prepare(TrainingArguments args, TrainerOptions options, TrainerSession session) {
    RunSetup setup = new RunSetup(args, options, session);
    if (!options.resume()) {
      session.model = setup.initialModel();
      setup.requireFits();
    }
    return setup;
  }

  /** Where the loop starts: its state and the manifest so far. */
  record Start(LoopState state, RunManifest manifest) {}

  /**
   * Restores the newest intact checkpoint when resuming (or starts again from step 0 when there is
   * none), else starts a new run; the output folder must be locked. Fills the session's model and
   * optimiser.
   *
   * @param checkpoints the output folder's checkpoints, never null
   * @return the loop's start, never null
   * @throws IOException if reading the folder fails
   */
  Start start(CheckpointDirectory checkpoints) throws IOException {
    Path output = options.output();
    LoopState st = new LoopState();
    RunManifest manifest;
    Optional<Checkpoint> from =
        options.resume()
            ? checkpoints.newestIntact(line -> options.progressOut().println("ce-train: " + line))
            : Optional.empty();
    if (from.isPresent()) {
      Checkpoint c = from.get();
      RunManifest recorded = RunManifest.read(c.manifest());
      refuseDifferences(recorded, "cannot resume from " + c.directory());
      TrainerState ts = c.readTrainerState();
      CheckpointWriter.restore(st, ts);
      manifest =
          new RunManifest(
              args, RunSeeds.of(args), digests, environment,
              recorded.checkpoints().stream().filter(x -> x.step() <= c.step()).toList(), null,
              recorded.metrics().stream().filter(x -> x.step() <= c.step()).toList());
      if (!manifest.metrics().isEmpty()) {
        st.lastMetrics = manifest.metrics().get(manifest.metrics().size() - 1).values();
      }
      session.model = CrossEncoder.load(c.model(), modelOptions);
      requireFits();
      session.optimizer = newOptimizer();
      session.optimizer.importState(CheckpointWriter.readOptimizer(c, ts));
      options.progressOut().println("ce-train: resuming from " + c.directory() + " (step " + st.step + ")");
    } else {
      if (options.resume()) {
        // a run killed before its first checkpoint: start it again, if it is the same run
        Path recordedFile = output.resolve(RunManifest.FILE_NAME);
        if (Files.exists(recordedFile)) {
          refuseDifferences(RunManifest.read(recordedFile),
              "cannot resume " + output + " (no checkpoint yet: the run starts again from step 0)");
        }
        session.model = initialModel();
        requireFits();
        options.progressOut().println(
            "ce-train: " + output + " has no complete checkpoint; starting the run again from step 0");
      }
      manifest = RunManifest.start(args, digests, environment);
      options.progressOut().println(
          "ce-train: initial weights fingerprint " + ModelFingerprint.of(session.model.weights()));
      session.optimizer = newOptimizer();
    }
    return new Start(st, manifest);
  }

  /** The model the run starts from: the in-memory one's copy, or the configured one. */
  private CrossEncoder initialModel() {
    InMemoryInputs inMemory = options.inMemory();
    return inMemory != null
        ? inMemory.copyModel(modelOptions)
        : InitialModel.build(args.model(), seeds.seed(SeedPurpose.WEIGHT_INIT), modelOptions);
  }

  private AdamW newOptimizer() {
    CrossEncoder model = session.model;
    model.weights().setRequiresGradient(true);
    return new AdamW(
        model.weights().asMap(), AdamWConfig.withWeightDecay(args.weightDecay()),
        model.config().architecture()::isNoDecay);
  }

  /**
   * The arguments with {@code greaterIsBetter} resolved: as configured, else as the evaluator of
   * {@code metricForBestModel} declares (see {@link Evaluations#greaterIsBetter}). The resolved value
   * is what {@code run.json} records, so a replay ranks the same way.
   */
  private TrainingArguments withDirection(TrainingArguments a, Evaluations evaluations) {
    boolean greater = evaluations.greaterIsBetter(a.metricForBestModel(), a.greaterIsBetter(),
        CrossEncoderTrainer.TRAIN_LOSS, warning -> options.progressOut().println("ce-train: warning: " + warning));
    return Boolean.valueOf(greater).equals(a.greaterIsBetter()) ? a : a.toBuilder().optGreaterIsBetter(greater).build();
  }

  /**
   * Checks, before anything is written, that the data, the loss and the evaluators fit the model,
   * and that {@code metricForBestModel} is one of the run's single-number metrics.
   */
  private void requireFits() {
    int numLabels = session.model.config().numLabels();
    data.requireFits(loss, numLabels);
    session.metricSpecs = Collections.unmodifiableMap(
        evals.requireFits(
            numLabels, session.model.activation(), args.metricForBestModel(), CrossEncoderTrainer.TRAIN_LOSS));
  }

  private void refuseDifferences(RunManifest recorded, String what) {
    List<String> diffs = ResumeCheck.differences(recorded, args, digests, threads, deviceName);
    if (!diffs.isEmpty() && !options.force()) {
      throw new InvalidInputException(
          what + ": the run differs from the one that wrote it: " + String.join("; ", diffs)
              + ". Resume with the same settings, or force it (--force; the result then need not match an"
              + " uninterrupted run)");
    }
  }

  private long totalSteps(BatchSampler batches, int accum) {
    if (args.stepsBounded()) {
      return args.maxSteps();
    }
    long total = 0;
    for (int e = 0; e < args.epochs(); e++) {
      total += (batches.batchCount(e) + accum - 1) / accum;
    }
    return total;
  }
}
