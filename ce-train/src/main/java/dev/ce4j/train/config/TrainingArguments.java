package dev.ce4j.train.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.ce4j.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a training run needs to be repeated: the seeds, the model source, the data, the loss,
 * the evaluators and the optimisation settings. Built with {@link #builder()} ({@code setX} for
 * required fields, {@code optX} for optional ones) or read from a JSON file with the same field
 * names ({@link #read(Path)}); every value is validated on construction and a bad one is rejected
 * with an {@link InvalidInputException} naming the field and quoting the value.
 *
 * <p>{@link #toJson()} writes canonical JSON: fields in the fixed order of this record, parameter
 * maps sorted by key, every field present. Its {@link #sha256()} identifies a configuration;
 * {@link #differences(TrainingArguments)} lists what two configurations disagree on. Jackson
 * databind reads and writes the type in these two formats (as {@code run.json} embeds it).
 *
 * <p>Defaults follow transformers' {@code TrainingArguments} where it has one. Immutable and
 * thread-safe.
 *
 * @param seed the master seed, any long (0 is a seed like any other)
 * @param dataSeed the seed of the data order, or null to use {@code seed}; see {@link
 *     #effectiveDataSeed()}
 * @param model where the model comes from, never null
 * @param trainData the training files, never null or empty, read in this order
 * @param loss the loss, never null
 * @param evaluators evaluators run every {@code evalSteps}, never null (may be empty); unique names
 * @param epochs passes over the data, at least 1; ignored when {@code maxSteps > 0}
 * @param maxSteps optimisation steps to take, or 0 to run {@code epochs} epochs
 * @param batchSize examples per batch (per forward pass), at least 1; default 16
 * @param learningRate the peak learning rate, finite and above 0; default 5e-5
 * @param scheduler the schedule after warmup, never null; default linear
 * @param warmupRatio the fraction of all steps spent warming up, in [0, 1); default 0
 * @param warmupSteps warmup steps, at least 0; default 0. At most one of the two warmup fields is
 *     non-zero
 * @param weightDecay AdamW's decoupled weight decay, at least 0; default 0
 * @param gradientAccumulationSteps batches per optimisation step, at least 1; default 1
 * @param maxGradNorm the global gradient norm clip, at least 0 (0: no clipping); default 1
 * @param evalSteps evaluate every this many optimisation steps; 0 (default): at the end of each
 *     epoch
 * @param saveSteps checkpoint every this many optimisation steps; 0 (default): at the end of each
 *     epoch
 * @param saveTotalLimit the most checkpoints kept (the newest, plus the best when {@code
 *     loadBestModelAtEnd}); 0 (default): keep all
 * @param loadBestModelAtEnd whether the final model is the best checkpoint by {@code
 *     metricForBestModel}; default false
 * @param metricForBestModel the metric key that ranks checkpoints and drives early stopping, such
 *     as {@code dev/ndcg@10}; null when neither is used
 * @param greaterIsBetter whether a larger {@code metricForBestModel} is better, or null (the
 *     default) to follow the direction its evaluator declares ({@link
 *     dev.ce4j.api.eval.Evaluator#metrics}); for an evaluator that declares none, lower is better
 *     when the key ends with {@code loss}. The trainer resolves null when a run starts and records
 *     the resolved value in {@code run.json}; a value that contradicts the declared direction is
 *     honoured, with a warning
 * @param earlyStoppingPatience stop after this many evaluations without improvement; 0 (default):
 *     never
 * @param earlyStoppingMinDelta the least change that counts as an improvement, at least 0
 * @param loggingSteps report progress every this many steps, at least 1; default 10
 * @param numThreads the intra-op thread count pinned for the run; 0 (default): the number of
 *     logical cores at start (the manifest records the count used)
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} ({@code cuda} is a synonym) or {@code
 *     auto}, never null; default cpu
 * @param determinism the determinism level, never null; default seeded
 * @param sampler how examples are batched, never null; default random
 */
@JsonDeserialize(using = TrainingArgumentsJson.Reader.class)
@JsonSerialize(using = TrainingArgumentsJson.Writer.class)
public record TrainingArguments(
    long seed,
    Long dataSeed,
    ModelSource model,
    List<DataFile> trainData,
    LossSpec loss,
    List<EvaluatorSpec> evaluators,
    int epochs,
    long maxSteps,
    int batchSize,
    double learningRate,
    SchedulerType scheduler,
    double warmupRatio,
    long warmupSteps,
    double weightDecay,
    int gradientAccumulationSteps,
    double maxGradNorm,
    long evalSteps,
    long saveSteps,
    int saveTotalLimit,
    boolean loadBestModelAtEnd,
    String metricForBestModel,
    Boolean greaterIsBetter,
    int earlyStoppingPatience,
    double earlyStoppingMinDelta,
    long loggingSteps,
    int numThreads,
    String device,
    Determinism determinism,
    SamplerType sampler) {

  /** Default batch size. */
  public static final int DEFAULT_BATCH_SIZE = 16;
  /** Default peak learning rate, as transformers. */
  public static final double DEFAULT_LEARNING_RATE = 5e-5;
  /** Default gradient clipping norm, as transformers. */
  public static final double DEFAULT_MAX_GRAD_NORM = 1.0;
  /**
   * The most intra-op threads a run may pin. More threads than logical cores only slow a run down,
   * but a recorded count is kept when a run is replayed elsewhere, so the bound is generous.
   */
  public static final int MAX_THREADS = 1024;
  /** Default logging interval. */
  public static final long DEFAULT_LOGGING_STEPS = 10;

  private static final Pattern DEVICE = Pattern.compile("auto|cpu|(gpu|cuda)(:[0-9]{1,4})?");

  /** Validates every field; see the class comment for the rules. */
  public TrainingArguments {
    if (model == null) {
      throw new InvalidInputException("model is required: a model folder or a config + tokenizer");
    }
    if (trainData == null || trainData.isEmpty()) {
      throw new InvalidInputException("trainData is required: at least one JSON Lines file");
    }
    trainData = List.copyOf(trainData);
    if (loss == null) {
      throw new InvalidInputException("loss is required, for example {\"name\": \"bce\"}");
    }
    evaluators = List.copyOf(Objects.requireNonNull(evaluators, "evaluators"));
    Set<String> names = new HashSet<>();
    for (EvaluatorSpec e : evaluators) {
      if (!names.add(e.name())) {
        throw new InvalidInputException(
            "evaluators: the name '" + e.name() + "' is used twice; give each a unique \"name\"");
      }
    }
    atLeast("epochs", epochs, 1);
    atLeast("maxSteps", maxSteps, 0);
    atLeast("batchSize", batchSize, 1);
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new InvalidInputException(
          "learningRate must be a finite number above 0, got " + learningRate);
    }
    Objects.requireNonNull(scheduler, "scheduler");
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new InvalidInputException("warmupRatio must be in [0, 1), got " + warmupRatio);
    }
    atLeast("warmupSteps", warmupSteps, 0);
    if (warmupRatio > 0 && warmupSteps > 0) {
      throw new InvalidInputException(
          "set warmupRatio or warmupSteps, not both; got warmupRatio " + warmupRatio
              + " and warmupSteps " + warmupSteps);
    }
    nonNegativeFinite("weightDecay", weightDecay);
    atLeast("gradientAccumulationSteps", gradientAccumulationSteps, 1);
    nonNegativeFinite("maxGradNorm", maxGradNorm);
    atLeast("evalSteps", evalSteps, 0);
    atLeast("saveSteps", saveSteps, 0);
    atLeast("saveTotalLimit", saveTotalLimit, 0);
    atLeast("earlyStoppingPatience", earlyStoppingPatience, 0);
    nonNegativeFinite("earlyStoppingMinDelta", earlyStoppingMinDelta);
    atLeast("loggingSteps", loggingSteps, 1);
    atLeast("numThreads", numThreads, 0);
    if (numThreads > MAX_THREADS) {
      throw new InvalidInputException(
          "numThreads must be at most " + MAX_THREADS + " (0 = one per logical core), got " + numThreads);
    }
    if (device == null || !DEVICE.matcher(device.trim().toLowerCase(Locale.ROOT)).matches()) {
      throw new InvalidInputException(
          "device must be auto, cpu, gpu or gpu:N (cuda is a synonym of gpu), got '" + device + "'");
    }
    device = device.trim().toLowerCase(Locale.ROOT);
    Objects.requireNonNull(determinism, "determinism");
    Objects.requireNonNull(sampler, "sampler");
    if (metricForBestModel != null && metricForBestModel.isBlank()) {
      throw new InvalidInputException("metricForBestModel must be a metric key, got '" + metricForBestModel + "'");
    }
    requireMetric("loadBestModelAtEnd", loadBestModelAtEnd, metricForBestModel, evaluators);
    requireMetric("earlyStoppingPatience", earlyStoppingPatience > 0, metricForBestModel, evaluators);
    if (loadBestModelAtEnd && (evalSteps == 0) != (saveSteps == 0)) {
      throw new InvalidInputException(
          "loadBestModelAtEnd needs checkpoints where evaluations are: evalSteps " + evalSteps
              + " and saveSteps " + saveSteps + " must both be 0 (each epoch) or both be set");
    }
    if (loadBestModelAtEnd && saveSteps > 0 && saveSteps % evalSteps != 0) {
      throw new InvalidInputException(
          "loadBestModelAtEnd needs saveSteps to be a multiple of evalSteps, got saveSteps "
              + saveSteps + " and evalSteps " + evalSteps);
    }
  }

  /**
   * The seed of the data order: {@code dataSeed} when set, else {@code seed}.
   *
   * @return the data seed
   */
  public long effectiveDataSeed() {
    return dataSeed != null ? dataSeed : seed;
  }

  /**
   * Whether training length is set by steps rather than epochs.
   *
   * @return true when {@code maxSteps > 0}
   */
  public boolean stepsBounded() {
    return maxSteps > 0;
  }

  /**
   * These arguments with another master seed; a data seed that was not set follows it.
   *
   * @param newSeed the seed
   * @return new arguments, never null
   */
  public TrainingArguments withSeed(long newSeed) {
    return toBuilder().setSeed(newSeed).build();
  }

  /**
   * Reads arguments from a JSON file. Relative paths in it are resolved against the file's folder.
   * Unknown fields, wrong types and invalid values are rejected naming the file and the field.
   *
   * @param file the JSON file, never null
   * @return the arguments, never null
   * @throws InvalidInputException if the file is missing, malformed or invalid
   */
  public static TrainingArguments read(Path file) {
    return TrainingArgumentsJson.read(file);
  }

  /**
   * Parses arguments from JSON text.
   *
   * @param json the JSON object, never null
   * @param baseDirectory the folder relative paths are resolved against, or null to keep them as
   *     written
   * @return the arguments, never null
   * @throws InvalidInputException if the JSON is malformed or invalid, naming the field
   */
  public static TrainingArguments fromJson(String json, Path baseDirectory) {
    return TrainingArgumentsJson.parse(json, baseDirectory, "training arguments");
  }

  /**
   * Canonical JSON: fields in record order, parameter maps sorted by key, every field present
   * (null where unset), pretty-printed with two-space indentation and a final newline.
   *
   * @return the JSON text, never null
   */
  public String toJson() {
    return TrainingArgumentsJson.write(this, true);
  }

  /**
   * The SHA-256 (hex) of the compact canonical JSON, identifying this configuration.
   *
   * @return 64 lowercase hex digits, never null
   */
  public String sha256() {
    try {
      byte[] bytes = TrainingArgumentsJson.write(this, false).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * What these arguments and others disagree on, one line per differing field (nested fields by
   * path), such as {@code numThreads differs: 2 vs 4} (this value first).
   *
   * @param other the other arguments, never null
   * @return the differences in field order, never null; empty when equal
   */
  public List<String> differences(TrainingArguments other) {
    List<String> out = new ArrayList<>();
    TrainingArgumentsJson.diff(
        "", TrainingArgumentsJson.tree(this), TrainingArgumentsJson.tree(Objects.requireNonNull(other, "other")), out);
    return out;
  }

  /**
   * A builder with every optional field at its default.
   *
   * @return a new builder, never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these arguments.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.seedSet = true;
    b.dataSeed = dataSeed;
    b.model = model;
    b.trainData = trainData;
    b.loss = loss;
    b.evaluators = evaluators;
    b.epochs = epochs;
    b.maxSteps = maxSteps;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.scheduler = scheduler;
    b.warmupRatio = warmupRatio;
    b.warmupSteps = warmupSteps;
    b.weightDecay = weightDecay;
    b.gradientAccumulationSteps = gradientAccumulationSteps;
    b.maxGradNorm = maxGradNorm;
    b.evalSteps = evalSteps;
    b.saveSteps = saveSteps;
    b.saveTotalLimit = saveTotalLimit;
    b.loadBestModelAtEnd = loadBestModelAtEnd;
    b.metricForBestModel = metricForBestModel;
    b.greaterIsBetter = greaterIsBetter;
    b.earlyStoppingPatience = earlyStoppingPatience;
    b.earlyStoppingMinDelta = earlyStoppingMinDelta;
    b.loggingSteps = loggingSteps;
    b.numThreads = numThreads;
    b.device = device;
    b.determinism = determinism;
    b.sampler = sampler;
    return b;
  }

  @Override
  public String toString() {
    return TrainingArgumentsJson.write(this, false);
  }

  private static void requireMetric(String field, boolean used, String metric, List<EvaluatorSpec> evaluators) {
    if (used && metric == null) {
      throw new InvalidInputException(
          field + " needs metricForBestModel, the metric key that ranks evaluations (such as dev/ndcg@10)");
    }
    if (used && evaluators.isEmpty()) {
      throw new InvalidInputException(field + " needs at least one evaluator");
    }
  }

  private static void atLeast(String field, long value, long min) {
    if (value < min) {
      throw new InvalidInputException(field + " must be at least " + min + ", got " + value);
    }
  }

  private static void nonNegativeFinite(String field, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new InvalidInputException(field + " must be a finite number at least 0, got " + value);
    }
  }

  /**
   * Builds {@link TrainingArguments}: {@code setX} for the required seed, model, training data and
   * loss; {@code optX} for the rest. Not thread-safe.
   */
  public static final class Builder {
    private long seed;
    private boolean seedSet;
    private Long dataSeed;
    private ModelSource model;
    private List<DataFile> trainData;
    private LossSpec loss;
    private List<EvaluatorSpec> evaluators = List.of();
    private int epochs = 1;
    private long maxSteps;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private SchedulerType scheduler = SchedulerType.LINEAR;
    private double warmupRatio;
    private long warmupSteps;
    private double weightDecay;
    private int gradientAccumulationSteps = 1;
    private double maxGradNorm = DEFAULT_MAX_GRAD_NORM;
    private long evalSteps;
    private long saveSteps;
    private int saveTotalLimit;
    private boolean loadBestModelAtEnd;
    private String metricForBestModel;
    private Boolean greaterIsBetter;
    private int earlyStoppingPatience;
    private double earlyStoppingMinDelta;
    private long loggingSteps = DEFAULT_LOGGING_STEPS;
    private int numThreads;
    private String device = "cpu";
    private Determinism determinism = Determinism.SEEDED;
    private SamplerType sampler = SamplerType.RANDOM;

    private Builder() {}

    /**
     * Sets the master seed (required).
     *
     * @param v any long
     * @return this builder
     */
    public Builder setSeed(long v) {
      seed = v;
      seedSet = true;
      return this;
    }

    /**
     * Sets the model source (required).
     *
     * @param v the source, never null
     * @return this builder
     */
    public Builder setModel(ModelSource v) {
      model = v;
      return this;
    }

    /**
     * Sets the training files (required).
     *
     * @param v the files, never null or empty
     * @return this builder
     */
    public Builder setTrainData(List<DataFile> v) {
      trainData = v;
      return this;
    }

    /**
     * Sets the training files (required).
     *
     * @param v the files, at least one
     * @return this builder
     */
    public Builder setTrainData(DataFile... v) {
      return setTrainData(List.of(v));
    }

    /**
     * Sets the loss (required).
     *
     * @param v the loss, never null
     * @return this builder
     */
    public Builder setLoss(LossSpec v) {
      loss = v;
      return this;
    }

    /**
     * Sets the data-order seed; null to follow the master seed.
     *
     * @param v the seed, or null
     * @return this builder
     */
    public Builder optDataSeed(Long v) {
      dataSeed = v;
      return this;
    }

    /**
     * Sets the evaluators.
     *
     * @param v the evaluators, never null
     * @return this builder
     */
    public Builder optEvaluators(List<EvaluatorSpec> v) {
      evaluators = v;
      return this;
    }

    /**
     * Sets the number of epochs.
     *
     * @param v at least 1
     * @return this builder
     */
    public Builder optEpochs(int v) {
      epochs = v;
      return this;
    }

    /**
     * Sets the number of optimisation steps (overrides epochs when above 0).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optMaxSteps(long v) {
      maxSteps = v;
      return this;
    }

    /**
     * Sets the batch size.
     *
     * @param v at least 1
     * @return this builder
     */
    public Builder optBatchSize(int v) {
      batchSize = v;
      return this;
    }

    /**
     * Sets the peak learning rate.
     *
     * @param v above 0
     * @return this builder
     */
    public Builder optLearningRate(double v) {
      learningRate = v;
      return this;
    }

    /**
     * Sets the schedule.
     *
     * @param v never null
     * @return this builder
     */
    public Builder optScheduler(SchedulerType v) {
      scheduler = v;
      return this;
    }

    /**
     * Sets the warmup as a fraction of all steps.
     *
     * @param v in [0, 1)
     * @return this builder
     */
    public Builder optWarmupRatio(double v) {
      warmupRatio = v;
      return this;
    }

    /**
     * Sets the warmup in steps.
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optWarmupSteps(long v) {
      warmupSteps = v;
      return this;
    }

    /**
     * Sets AdamW's weight decay.
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optWeightDecay(double v) {
      weightDecay = v;
      return this;
    }

    /**
     * Sets the batches per optimisation step.
     *
     * @param v at least 1
     * @return this builder
     */
    public Builder optGradientAccumulationSteps(int v) {
      gradientAccumulationSteps = v;
      return this;
    }

    /**
     * Sets the gradient clipping norm (0: none).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optMaxGradNorm(double v) {
      maxGradNorm = v;
      return this;
    }

    /**
     * Sets the evaluation interval (0: each epoch).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optEvalSteps(long v) {
      evalSteps = v;
      return this;
    }

    /**
     * Sets the checkpoint interval (0: each epoch).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optSaveSteps(long v) {
      saveSteps = v;
      return this;
    }

    /**
     * Sets how many checkpoints are kept (0: all).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optSaveTotalLimit(int v) {
      saveTotalLimit = v;
      return this;
    }

    /**
     * Sets whether the best checkpoint becomes the final model.
     *
     * @param v the flag
     * @return this builder
     */
    public Builder optLoadBestModelAtEnd(boolean v) {
      loadBestModelAtEnd = v;
      return this;
    }

    /**
     * Sets the metric that ranks evaluations.
     *
     * @param v a metric key, or null
     * @return this builder
     */
    public Builder optMetricForBestModel(String v) {
      metricForBestModel = v;
      return this;
    }

    /**
     * Sets whether larger metric values are better; null (the default) to follow the direction the
     * metric's evaluator declares.
     *
     * @param v the flag, or null
     * @return this builder
     */
    public Builder optGreaterIsBetter(Boolean v) {
      greaterIsBetter = v;
      return this;
    }

    /**
     * Sets the early-stopping patience (0: off).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optEarlyStoppingPatience(int v) {
      earlyStoppingPatience = v;
      return this;
    }

    /**
     * Sets the early-stopping minimum improvement.
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optEarlyStoppingMinDelta(double v) {
      earlyStoppingMinDelta = v;
      return this;
    }

    /**
     * Sets the progress interval.
     *
     * @param v at least 1
     * @return this builder
     */
    public Builder optLoggingSteps(long v) {
      loggingSteps = v;
      return this;
    }

    /**
     * Sets the intra-op thread count (0: all logical cores).
     *
     * @param v at least 0
     * @return this builder
     */
    public Builder optNumThreads(int v) {
      numThreads = v;
      return this;
    }

    /**
     * Sets the device.
     *
     * @param v a device name, never null
     * @return this builder
     */
    public Builder optDevice(String v) {
      device = v;
      return this;
    }

    /**
     * Sets the determinism level.
     *
     * @param v never null
     * @return this builder
     */
    public Builder optDeterminism(Determinism v) {
      determinism = v;
      return this;
    }

    /**
     * Sets the batch sampler.
     *
     * @param v never null
     * @return this builder
     */
    public Builder optSampler(SamplerType v) {
      sampler = v;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the arguments, never null
     * @throws InvalidInputException naming the first invalid or missing field
     */
    public TrainingArguments build() {
      if (!seedSet) {
        throw new InvalidInputException("seed is required: any integer, 0 included");
      }
      return new TrainingArguments(
          seed, dataSeed, model, trainData, loss, evaluators, epochs, maxSteps, batchSize,
          learningRate, scheduler, warmupRatio, warmupSteps, weightDecay,
          gradientAccumulationSteps, maxGradNorm, evalSteps, saveSteps, saveTotalLimit,
          loadBestModelAtEnd, metricForBestModel, greaterIsBetter, earlyStoppingPatience,
          earlyStoppingMinDelta, loggingSteps, numThreads, device, determinism, sampler);
    }
  }
}
