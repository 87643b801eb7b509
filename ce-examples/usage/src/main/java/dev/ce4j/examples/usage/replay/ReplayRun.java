package dev.ce4j.examples.usage.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.ce4j.train.manifest.CheckpointFingerprint;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.reproduce.ReproduceReport;
import dev.ce4j.train.reproduce.Reproducer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Replays a training run from its manifest and shows the verification, then what a divergence
 * looks like: what {@code ./ce reproduce RUN_DIR} does, through {@link Reproducer}.
 *
 * <ol>
 *   <li>Trains the tiny model of {@code ce-examples/data/tiny} from scratch ({@value #STEPS}
 *       steps, a checkpoint every {@value #SAVE_STEPS}) into {@code OUTPUT/run} and prints what its
 *       {@code run.json} recorded: seeds, thread count, the SHA-256 of each data file, a fingerprint
 *       per checkpoint and the final one.
 *   <li>Replays the run from {@code run.json} alone into {@code OUTPUT/replay-match}: every
 *       checkpoint fingerprint, the final fingerprint and the metric log are identical: {@code
 *       MATCH}.
 *   <li>Flips the label of the first line of the training data and replays again into {@code
 *       OUTPUT/replay-changed-data}: the report names the data file whose SHA-256 changed and the
 *       first checkpoint whose fingerprint differs ({@code DIVERGED at checkpoint step N}); then the
 *       data file is restored.
 * </ol>
 *
 * <p>Usage: {@code ReplayRun [--output DIR] [--seed N]}. Three tiny trainings, a few seconds each.
 * Trains on the engine's process-global generators: one run per JVM at a time.
 */
public final class ReplayRun {
  /** The default seed. */
  public static final long DEFAULT_SEED = 42;
  /** The training steps. */
  public static final long STEPS = 12;
  /** A checkpoint (and an evaluation) every this many steps. */
  public static final long SAVE_STEPS = 4;
  /** The intra-op thread count of the run, recorded in its manifest and used by the replay. */
  public static final int THREADS = 1;

  private static final String USAGE = "ReplayRun [--output DIR] [--seed N]";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReplayRun() {}

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
      return new Options(a.output("replay"), a.number("--seed", DEFAULT_SEED, Long.MIN_VALUE));
    }
  }

  /**
   * What the example produced.
   *
   * @param recorded the original run's result, never null
   * @param faithful the replay of the unchanged run, never null
   * @param changedData the replay after the training data changed, never null
   */
  public record Result(TrainingResult recorded, ReproduceReport faithful, ReproduceReport changedData) {}

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
    return ExampleMain.exitStatus("ReplayRun", err, () -> run(Options.parse(args), out, err));
  }

  /**
   * Runs the example.
   *
   * @param options the options, never null
   * @param out where results go, never null
   * @param err where training progress goes, never null
   * @return what it produced, never null
   */
  public static Result run(Options options, PrintStream out, PrintStream err) {
    EngineThreads.pin(THREADS);
    Path dir = OutputFolder.prepare(options.output());
    TinyFixture tiny = TinyFixture.copyTo(dir.resolve("data"));

    // 1. a recorded run
    TrainingArguments args = TrainingArguments.builder()
        .setSeed(options.seed())
        .setModel(ModelSource.fromScratch(tiny.config(), tiny.tokenizer()))
        .setTrainData(DataFile.pairs(tiny.train()))
        .setLoss(LossSpec.of(BinaryCrossEntropyLoss.ID))
        .optEvaluators(List.of(EvaluatorSpec.of("reranking", DataFile.listwise(tiny.dev()))))
        .optMaxSteps(STEPS)
        .optBatchSize(8)
        .optLearningRate(2e-3)
        .optScheduler(SchedulerType.LINEAR)
        .optWarmupRatio(0.1)
        .optEvalSteps(SAVE_STEPS)
        .optSaveSteps(SAVE_STEPS)
        .optLoggingSteps(SAVE_STEPS)
        .optNumThreads(THREADS)
        .optDevice("cpu")
        .build();
    Path runDir = dir.resolve("run");
    TrainingResult recorded;
    try (CrossEncoderTrainer trainer = CrossEncoderTrainer.builder(args, runDir).progress(err).build()) {
      recorded = trainer.train();
    }
    RunManifest manifest = RunManifest.read(runDir.resolve(RunManifest.FILE_NAME));
    out.println("recorded run: " + runDir);
    out.printf(Locale.ROOT, "  run.json: seed %d, %d intra-op thread(s) on %s, ce %s, libtorch %s%n",
        manifest.seeds().master(), manifest.environment().threads(), manifest.environment().device(),
        manifest.environment().ceVersion(), manifest.environment().libtorchVersion());
    for (DataFileDigest d : manifest.dataFiles()) {
      out.printf(Locale.ROOT, "  data %-16s %-12s sha256 %s%n", d.role(), Path.of(d.path()).getFileName(), d.sha256());
    }
    for (CheckpointFingerprint c : manifest.checkpoints()) {
      out.printf(Locale.ROOT, "  checkpoint step %2d  fingerprint %s%n", c.step(), c.fingerprint());
    }
    out.println("  final              fingerprint " + manifest.finalFingerprint());

    // 2. the replay: what `./ce reproduce RUN_DIR` does
    out.println();
    out.println("replay from run.json (./ce reproduce " + runDir + "):");
    ReproduceReport faithful = Reproducer.reproduce(runDir, dir.resolve("replay-match"), err);
    print(faithful, out);

    // 3. the same replay after the training data changed: one label flipped
    Path train = tiny.train();
    byte[] original = readAll(train);
    ReproduceReport changed;
    try {
      writeAll(train, flipFirstLabel(original));
      out.println();
      out.println("replay after flipping the label of line 1 of " + train.getFileName() + ":");
      changed = Reproducer.reproduce(runDir, dir.resolve("replay-changed-data"), err);
      print(changed, out);
    } finally {
      writeAll(train, original);
    }
    return new Result(recorded, faithful, changed);
  }

  /** Prints a report as {@code ce reproduce} does. */
  private static void print(ReproduceReport r, PrintStream out) {
    for (String line : r.lines()) {
      out.println("  " + line);
    }
  }

  /** The training file with the label of its first record flipped (0 to 1, 1 to 0). */
  static byte[] flipFirstLabel(byte[] jsonl) {
    String text = new String(jsonl, StandardCharsets.UTF_8);
    int end = text.indexOf('\n');
    String first = end < 0 ? text : text.substring(0, end);
    try {
      ObjectNode rec = (ObjectNode) JSON.readTree(first);
      rec.put("label", rec.get("label").asInt() == 0 ? 1 : 0);
      List<String> parts = new ArrayList<>();
      parts.add(JSON.writeValueAsString(rec));
      if (end >= 0) {
        parts.add(text.substring(end + 1));
      }
      return String.join("\n", parts).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the first record of the training data", e);
    }
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void writeAll(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
