package dev.ce4j.examples.usage.multiclass;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.examples.usage.internal.Arguments;
import dev.ce4j.examples.usage.internal.EngineThreads;
import dev.ce4j.examples.usage.internal.ExampleMain;
import dev.ce4j.examples.usage.internal.OutputFolder;
import dev.ce4j.examples.usage.internal.Progress;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.SchedulerType;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.DataFiles;
import dev.ce4j.train.loss.CrossEntropyLoss;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a three-class cross-encoder for natural language inference (entailment, neutral,
 * contradiction) and evaluates it with the {@code multiclass-classification} evaluator before and
 * after training.
 *
 * <ol>
 *   <li>Builds a balanced NLI-style dataset from WordNet 3.1's noun hierarchy ({@link WordNetNli}:
 *       "There is a hen in the picture." entails "There is a chicken in the picture."), split by
 *       noun so that no test noun is seen in training, into {@code OUTPUT/data/nli-*.jsonl} with
 *       the class index as label.
 *   <li>Imports all-MiniLM-L6-v2 with a new, seeded three-output head ({@code OUTPUT/minilm}; its
 *       {@code config.json} names the classes in {@code id2label}).
 *   <li>Evaluates the untrained model on the test split.
 *   <li>Trains with the multi-class cross-entropy loss ({@code cross_entropy}: softmax over the
 *       three logits), evaluating on dev as it goes ({@code OUTPUT/run}: model, {@code run.json},
 *       {@code metrics.csv}).
 *   <li>Evaluates the trained model on the test split and prints accuracy, macro F1 and F1 per
 *       class, before and after.
 * </ol>
 *
 * <p>Usage: {@code TrainNliClassifier [--output DIR] [--seed N] [--steps N] [--pairs N]}. The
 * defaults (60 steps of batch 16 on 96 training pairs, i.e. 288 examples) take about a minute on
 * two CPU cores; progress goes to standard error, the table to standard output. Everything is a function of the seed: the same seed, steps and thread count give
 * the same fingerprint. Trains on the engine's process-global generators: one run per JVM at a
 * time.
 */
public final class TrainNliClassifier {
  /** The evaluator id. */
  public static final String EVALUATOR = "multiclass-classification";
  /** The default training steps. */
  public static final long DEFAULT_STEPS = 60;
  /** The default number of (hyponym, hypernym) training pairs; each gives three examples. */
  public static final int DEFAULT_PAIRS = 96;
  /** The default seed. */
  public static final long DEFAULT_SEED = 42;
  /** The intra-op thread count of the run. */
  public static final int THREADS = 2;
  /** The training batch size. */
  public static final int BATCH_SIZE = 16;
  /** The (hyponym, hypernym) pairs of the dev split. */
  public static final int DEV_PAIRS = 16;
  /** The (hyponym, hypernym) pairs of the test split. */
  public static final int TEST_PAIRS = 48;

  private static final String USAGE = "TrainNliClassifier [--output DIR] [--seed N] [--steps N] [--pairs N]";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainNliClassifier() {}

  /**
   * The options.
   *
   * @param output the output folder, never null
   * @param seed the master seed of the data draws, the new head and training
   * @param steps the training steps, at least 1
   * @param pairs the (hyponym, hypernym) training pairs, at least 1
   */
  public record Options(Path output, long seed, long steps, int pairs) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(output, "output");
      if (steps < 1 || pairs < 1) {
        throw new IllegalArgumentException("steps and pairs must be at least 1, got " + steps + " and " + pairs);
      }
    }

    /**
     * Parses {@code [--output DIR] [--seed N] [--steps N] [--pairs N]}.
     *
     * @param args the arguments, never null
     * @return the options, never null
     * @throws dev.ce4j.api.InvalidInputException naming a bad argument
     */
    public static Options parse(String[] args) {
      Arguments a = Arguments.parse(args, USAGE, List.of("--output", "--seed", "--steps", "--pairs"));
      return new Options(a.output("nli"), a.number("--seed", DEFAULT_SEED, Long.MIN_VALUE),
          a.number("--steps", DEFAULT_STEPS, 1), (int) a.number("--pairs", DEFAULT_PAIRS, 1));
    }
  }

  /**
   * What the example produced.
   *
   * @param data the dataset, never null
   * @param before the test metrics of the untrained model, never null
   * @param after the test metrics of the trained model, never null
   * @param training the training result (fingerprint, dev metrics), never null
   */
  public record Result(WordNetNli.Built data, Evaluation before, Evaluation after, TrainingResult training) {}

  /**
   * Runs the example and exits: 0 done, 2 bad arguments, 1 failure.
   *
   * @param args {@code [--output DIR] [--seed N] [--steps N] [--pairs N]}
   */
  public static void main(String[] args) {
    ExampleMain.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the example from command-line arguments.
   *
   * @param args the arguments, never null
   * @param out where results go, never null
   * @param err where progress and errors go, never null
   * @return the exit status: 0 done, 2 bad arguments, 1 failure
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return ExampleMain.exitStatus("TrainNliClassifier", err, () -> run(Options.parse(args), out, err));
  }

  /**
   * Runs the example.
   *
   * @param options the options, never null
   * @param out where results go, never null
   * @param err where training progress goes, never null
   * @return what it produced, never null
   * @throws dev.ce4j.api.InvalidInputException if the output folder is not empty and not an
   *     example's
   */
  public static Result run(Options options, PrintStream out, PrintStream err) {
    EngineThreads.pin(THREADS);
    Path dir = OutputFolder.prepare(options.output());
    Progress progress = new Progress("nli", err);

    progress.step("building the NLI pairs from WordNet 3.1 (seed " + options.seed() + ")");
    WordNetNli.Built data = WordNetNli.build(options.seed(), new WordNetNli.Sizes(options.pairs(), DEV_PAIRS, TEST_PAIRS));
    Path train = dir.resolve("data").resolve("nli-train.jsonl");
    Path dev = dir.resolve("data").resolve("nli-dev.jsonl");
    Path test = dir.resolve("data").resolve("nli-test.jsonl");
    WordNetNli.write(data.train(), train);
    WordNetNli.write(data.dev(), dev);
    WordNetNli.write(data.test(), test);
    progress.done(data.train().size() + " train, " + data.dev().size() + " dev, " + data.test().size() + " test");
    out.printf(Locale.ROOT, "WordNet 3.1 NLI pairs: %d train, %d dev, %d test examples (balanced over %s)%n",
        data.train().size(), data.dev().size(), data.test().size(), labelNames());
    for (NliLabel label : NliLabel.values()) {
      data.train().stream().filter(e -> e.label() == label).findFirst().ifPresent(e ->
          out.printf(Locale.ROOT, "  %-13s  %s  ->  %s%n", label.label(), e.premise(), e.hypothesis()));
    }

    // all-MiniLM-L6-v2 with a new three-output head, seeded from the master seed
    progress.step("importing all-MiniLM-L6-v2 with a new three-class head");
    Path minilm = dir.resolve("minilm");
    long headSeed = new DefaultSeedStrategy(options.seed()).seed(SeedPurpose.WEIGHT_INIT, 0);
    OnnxImport.miniLmToModelFolder(TrainNliClassifier.class.getClassLoader(), minilm, NliLabel.values().length, headSeed);
    nameClasses(minilm);
    progress.done(minilm.toString());

    EvaluatorRegistry registry = EvaluatorRegistry.load();
    Evaluator evaluator = registry.get(EVALUATOR);
    Samples testSamples = DataFiles.load(DataFile.pairs(test), InputKind.MULTICLASS);
    progress.step("evaluating the untrained model on test");
    Evaluation before;
    try (CrossEncoder model = CrossEncoder.load(minilm)) {
      before = evaluator.evaluate(testSamples, model, Parameters.empty());
    }
    progress.done(summary(before));

    TrainingArguments args = TrainingArguments.builder()
        .setSeed(options.seed())
        .setModel(ModelSource.folder(minilm))
        .setTrainData(DataFile.pairs(train))
        .setLoss(LossSpec.of(CrossEntropyLoss.ID))
        .optEvaluators(List.of(new EvaluatorSpec("dev", EVALUATOR, Parameters.empty(), DataFile.pairs(dev))))
        .optMaxSteps(options.steps())
        .optBatchSize(BATCH_SIZE)
        .optLearningRate(2e-4)
        .optScheduler(SchedulerType.LINEAR)
        .optWarmupRatio(0.1)
        .optWeightDecay(0.01)
        .optEvalSteps(Math.max(1, options.steps() / 2))
        .optSaveSteps(options.steps())
        .optSaveTotalLimit(1)
        .optLoggingSteps(Math.max(1, options.steps() / 4))
        .optNumThreads(THREADS)
        .optDevice("cpu")
        .build();
    Path runDir = dir.resolve("run");
    progress.step("training (" + options.steps() + " steps of batch " + BATCH_SIZE + ", " + THREADS + " threads)");
    TrainingResult training;
    try (CrossEncoderTrainer trainer = CrossEncoderTrainer.builder(args, runDir).progress(err).build()) {
      training = trainer.train();
    }
    progress.done("fingerprint " + training.fingerprint());
    progress.step("evaluating the trained model on test");
    Evaluation after;
    try (CrossEncoder model = CrossEncoder.load(runDir.resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      after = evaluator.evaluate(testSamples, model, Parameters.empty());
    }
    progress.done(summary(after));

    out.printf(Locale.ROOT, "%ntest split (%d examples, nouns unseen in training), %s:%n", data.test().size(), EVALUATOR);
    out.printf(Locale.ROOT, "| model                   | accuracy | F1 macro | F1 %s |%n", String.join(" | F1 ", labelNames()));
    out.println("|-------------------------|---------:|---------:|--------------:|-----------:|-----------------:|");
    out.println(row("MiniLM, untrained head", before));
    out.println(row("after " + training.steps() + " steps", after));
    out.println("model:       " + runDir.resolve(CrossEncoderTrainer.FINAL_MODEL));
    out.println("fingerprint: " + training.fingerprint());
    out.println("done in " + progress.total());
    return new Result(data, before, after, training);
  }

  private static List<String> labelNames() {
    return Arrays.stream(NliLabel.values()).map(NliLabel::label).toList();
  }

  private static String summary(Evaluation e) {
    return String.format(Locale.ROOT, "accuracy %.4f, F1 macro %.4f", e.get("accuracy"), e.get("f1_macro"));
  }

  private static String row(String name, Evaluation e) {
    double[] f1 = e.getArray("f1_per_label");
    return String.format(Locale.ROOT, "| %-23s | %8.4f | %8.4f | %13.4f | %10.4f | %16.4f |",
        name, e.get("accuracy"), e.get("f1_macro"), f1[0], f1[1], f1[2]);
  }

  /** Writes the class names into the model's config.json ({@code id2label}, {@code label2id}). */
  private static void nameClasses(Path folder) {
    Path config = folder.resolve("config.json");
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
      ObjectNode id2label = root.putObject("id2label");
      ObjectNode label2id = root.putObject("label2id");
      for (NliLabel l : NliLabel.values()) {
        id2label.put(Integer.toString(l.index()), l.label());
        label2id.put(l.label(), l.index());
      }
      Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + config, e);
    }
  }
}
