package dev.ce4j.examples.usage.plugin;

import dev.ce4j.api.CeException;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.examples.usage.internal.Arguments;
import dev.ce4j.examples.usage.internal.EngineThreads;
import dev.ce4j.examples.usage.internal.ExampleMain;
import dev.ce4j.examples.usage.internal.OutputFolder;
import dev.ce4j.examples.usage.internal.TinyFixture;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.SchedulerType;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.loss.BinaryCrossEntropyLoss;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.manifest.RunManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Uses an evaluator plugin during training: the {@value #PLUGIN_ID} evaluator of {@code
 * ce-examples/calibration-plugin}, a jar that depends on {@code ce-api} alone and registers its
 * evaluator with {@code @AutoService}. This example never names its class: the plugin jar is on
 * the run-time class path only, {@link EvaluatorRegistry#load()} finds it with {@link
 * java.util.ServiceLoader} next to the built-in evaluators, and the training configuration refers
 * to it by id, exactly like a built-in one.
 *
 * <ol>
 *   <li>Lists every evaluator the registry found, with the class and the jar it came from.
 *   <li>Trains the tiny model of {@code ce-examples/data/tiny} from scratch with binary
 *       cross-entropy ({@value #STEPS} steps, 20 epochs of its 96 pairs, a few seconds), evaluating
 *       the dev queries every {@value #EVAL_STEPS} steps with two evaluators: {@code
 *       binary-classification} (named {@code dev}) and the plugin (named {@code calibration},
 *       {@code bins=5}).
 *   <li>Prints the metric log: the plugin's {@code calibration/ece}, {@code calibration/mce} and
 *       {@code calibration/brier} sit next to {@code dev/accuracy} in {@code metrics.csv}, {@code
 *       metrics.jsonl}, {@code run.json} and the training result. As the tiny model overfits its
 *       training pairs its dev probabilities grow overconfident, and the calibration error shows
 *       it.
 * </ol>
 *
 * <p>Usage: {@code TrainWithPluginEvaluator [--output DIR] [--seed N]}. Deterministic for a seed.
 * Trains on the engine's process-global generators: one run per JVM at a time.
 */
public final class TrainWithPluginEvaluator {
  /** The plugin evaluator's id. */
  public static final String PLUGIN_ID = "expected-calibration-error";
  /** The name the plugin evaluator runs under: its metric keys are {@code calibration/<key>}. */
  public static final String PLUGIN_NAME = "calibration";
  /** The default seed. */
  public static final long DEFAULT_SEED = 42;
  /** The training steps. */
  public static final long STEPS = 240;
  /** Evaluate every this many steps. */
  public static final long EVAL_STEPS = 48;
  /** The intra-op thread count of the run (the tiny model gains nothing from more). */
  public static final int THREADS = 1;

  private static final String USAGE = "TrainWithPluginEvaluator [--output DIR] [--seed N]";

  private TrainWithPluginEvaluator() {}

  /**
   * The options.
   *
   * @param output the output folder, never null
   * @param seed the master seed of the run
   */
  public record Options(Path output, long seed) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(output, "output");
    }

    /**
     * Parses {@code [--output DIR] [--seed N]}.
     *
     * @param args the arguments, never null
     * @return the options, never null
     * @throws dev.ce4j.api.InvalidInputException naming a bad argument
     */
    public static Options parse(String[] args) {
      Arguments a = Arguments.parse(args, USAGE, List.of("--output", "--seed"));
      return new Options(a.output("plugin"), a.number("--seed", DEFAULT_SEED, Long.MIN_VALUE));
    }
  }

  /**
   * What the example produced.
   *
   * @param evaluatorIds every evaluator id the registry found, never null
   * @param pluginSource the file name of the jar (or folder) the plugin's class came from, never
   *     null
   * @param training the training result, never null
   * @param metrics every evaluation of the run, from its manifest, never null
   * @param metricsCsvHeader the first line of {@code metrics.csv}, never null
   */
  public record Result(
      List<String> evaluatorIds, String pluginSource, TrainingResult training, List<MetricsRecord> metrics,
      String metricsCsvHeader) {
    /** Copies. */
    public Result {
      evaluatorIds = List.copyOf(evaluatorIds);
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * Runs the example and exits: 0 done, 2 bad arguments, 1 failure.
   *
   * @param args {@code [--output DIR] [--seed N]}
   */
  public static void main(String[] args) {
    ExampleMain.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the example from command-line arguments.
   *
   * @param args the arguments, never null
   * @param out where results go, never null
   * @param err where training progress and errors go, never null
   * @return the exit status: 0 done, 2 bad arguments, 1 failure
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return ExampleMain.exitStatus("TrainWithPluginEvaluator", err, () -> run(Options.parse(args), out, err));
  }

  /**
   * Runs the example.
   *
   * @param options the options, never null
   * @param out where results go, never null
   * @param err where training progress goes, never null
   * @return what it produced, never null
   * @throws CeException if the plugin is not on the class path
   */
  public static Result run(Options options, PrintStream out, PrintStream err) {
    EngineThreads.pin(THREADS);
    Path dir = OutputFolder.prepare(options.output());
    TinyFixture tiny = TinyFixture.copyTo(dir.resolve("data"));

    // 1. discovery: every Evaluator on the class path, found by ServiceLoader in one place
    EvaluatorRegistry registry = EvaluatorRegistry.load();
    out.println("evaluators found on the class path (EvaluatorRegistry.load(), ServiceLoader):");
    String pluginSource = null;
    for (Evaluator e : registry.evaluators()) {
      String source = source(e.getClass());
      out.printf(Locale.ROOT, "  %-27s %-65s %s%n", e.id(), e.getClass().getName(), source);
      if (e.id().equals(PLUGIN_ID)) {
        pluginSource = source;
      }
    }
    if (pluginSource == null) {
      throw new CeException("the evaluator '" + PLUGIN_ID + "' is not on the class path; it comes from"
          + " dev.ce4j:ce-example-calibration-plugin (build it with mvn -B install -DskipTests)");
    }
    Evaluator plugin = registry.get(PLUGIN_ID);
    out.println();
    out.println(PLUGIN_ID + ": " + plugin.description());
    for (ParameterSpec p : plugin.parameters()) {
      out.println("  parameter " + p.name() + " (default " + p.defaultValue().orElse("none") + "): " + p.description());
    }

    // 2. training, with the plugin as a dev evaluator named by its id
    DataFile dev = DataFile.listwise(tiny.dev());
    TrainingArguments args = TrainingArguments.builder()
        .setSeed(options.seed())
        .setModel(ModelSource.fromScratch(tiny.config(), tiny.tokenizer()))
        .setTrainData(DataFile.pairs(tiny.train()))
        .setLoss(LossSpec.of(BinaryCrossEntropyLoss.ID))
        .optEvaluators(List.of(
            new EvaluatorSpec("dev", "binary-classification", Parameters.empty(), dev),
            new EvaluatorSpec(PLUGIN_NAME, PLUGIN_ID, Parameters.of(Map.of("bins", "5")), dev)))
        .optMaxSteps(STEPS)
        .optBatchSize(8)
        .optLearningRate(1e-3)
        .optScheduler(SchedulerType.LINEAR)
        .optWarmupRatio(0.1)
        .optWeightDecay(0.01)
        .optEvalSteps(EVAL_STEPS)
        .optSaveSteps(STEPS)
        .optSaveTotalLimit(1)
        .optLoggingSteps(EVAL_STEPS)
        .optNumThreads(THREADS)
        .optDevice("cpu")
        .build();
    Path runDir = dir.resolve("run");
    TrainingResult training;
    try (CrossEncoderTrainer trainer = CrossEncoderTrainer.builder(args, runDir).progress(err).build()) {
      training = trainer.train();
    }

    // 3. the plugin's metrics in the run's metric log
    List<MetricsRecord> metrics = RunManifest.read(runDir.resolve(RunManifest.FILE_NAME)).metrics();
    out.println();
    out.println("metric log (" + runDir.resolve("metrics.csv") + "):");
    out.println("| step | train/loss | dev/accuracy | dev/average_precision | calibration/ece | calibration/mce | calibration/brier |");
    out.println("|-----:|-----------:|-------------:|----------------------:|----------------:|----------------:|------------------:|");
    for (MetricsRecord m : metrics) {
      Map<String, Double> v = m.values();
      out.printf(Locale.ROOT, "| %4d | %10.4f | %12.4f | %21.4f | %15.4f | %15.4f | %17.4f |%n", m.step(),
          v.get(CrossEncoderTrainer.TRAIN_LOSS), v.get("dev/accuracy"), v.get("dev/average_precision"),
          v.get(PLUGIN_NAME + "/ece"), v.get(PLUGIN_NAME + "/mce"), v.get(PLUGIN_NAME + "/brier"));
    }
    String header = firstLine(runDir.resolve("metrics.csv"));
    out.println("metrics.csv columns: " + header);
    out.println("fingerprint: " + training.fingerprint());
    return new Result(registry.ids(), pluginSource, training, metrics, header);
  }

  /** The file name of the jar or class folder a class was loaded from. */
  private static String source(Class<?> type) {
    CodeSource cs = type.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return "(unknown)";
    }
    try {
      Path p = Path.of(cs.getLocation().toURI());
      Path name = p.getFileName();
      return name == null ? p.toString() : name.toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return cs.getLocation().toString();
    }
  }

  private static String firstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "" : lines.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
