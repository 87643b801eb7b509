package dev.ce4j.examples.demo.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.PairScorer;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.examples.demo.Bm25Ranker;
import dev.ce4j.examples.demo.DemoMain;
import dev.ce4j.examples.demo.wordnet.DatasetSizes;
import dev.ce4j.examples.demo.wordnet.WordNet;
import dev.ce4j.examples.demo.wordnet.WordNetDatasets;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.data.DataFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ce demo study [--output DIR] [--seed N] [--recipes a,b,...]}: trains the demo's reranker
 * with each {@link Recipe} of {@link #RECIPES} under the same seed and data, and writes one table
 * row per recipe (config, steps, pairs read, training wall time, dev and test MRR@10 / NDCG@10,
 * MRR@10 on a wider dev set of 1,000 queries, and MRR@10 on the two generalization sets) to {@code
 * DIR/study.md} after every row, so a study stopped part way keeps its rows. The recipe is chosen
 * on the dev columns; the test and generalization columns are there to be read once, after
 * choosing.
 *
 * <p>Every row is a function of the seed (same data, same head, same data order for the same
 * recipe); wall times depend on the machine and its load, which the table's header records.
 */
public final class RecipeStudy {
  /** The study's recipes, in the order they run. */
  public static final List<Recipe> RECIPES = List.of(
      Recipe.BASELINE,
      study("lambda", "lambda", Map.of(), false, 8, 5e-5),
      study("listnet", "listnet", Map.of(), false, 8, 5e-5),
      study("bce-pos-weight", "bce", Map.of("pos_weight", "7"), false, 64, 5e-5),
      study("mnrl", "mnrl", Map.of("num_negatives", "4"), false, 6, 5e-5),
      study("plistmle", "plistmle", Map.of(), false, 8, 5e-5),
      study("ranknet", "ranknet", Map.of(), false, 8, 5e-5),
      study("bce", "bce", Map.of(), false, 64, 5e-5),
      new Recipe("demo-200-steps", "plistmle", Map.of(), 4000, 5, 0, 2, true, 8, false, 5e-5, 0.1, 200, 50, 64),
      new Recipe("demo-300-steps", "plistmle", Map.of(), 4000, 5, 0, 2, true, 8, false, 5e-5, 0.1, 300, 50, 64),
      new Recipe("demo-lr-1e-4", "plistmle", Map.of(), 4000, 5, 0, 2, true, 8, false, 1e-4, 0.1, 300, 50, 64),
      new Recipe("content-5c-2", "plistmle", Map.of(), 4000, 0, 5, 2, true, 8, false, 5e-5, 0.1, 200, 50, 64),
      new Recipe("content-4c-3", "plistmle", Map.of(), 4000, 0, 4, 3, true, 8, false, 5e-5, 0.1, 200, 50, 64),
      new Recipe("content-5c-2-by-length-300", "plistmle", Map.of(), 4000, 0, 5, 2, true, 8, true, 5e-5, 0.1, 300, 50, 64),
      new Recipe("by-length-300", "plistmle", Map.of(), 4000, 5, 0, 2, true, 8, true, 5e-5, 0.1, 300, 50, 64),
      new Recipe("content-by-length-lr-1e-4", "plistmle", Map.of(), 4000, 0, 5, 2, true, 8, true, 1e-4, 0.1, 300, 50, 64),
      new Recipe("content-by-length-lr-2e-4", "plistmle", Map.of(), 4000, 0, 5, 2, true, 8, true, 2e-4, 0.1, 300, 50, 64));

  /** A study row: 800 definitions with 5 BM25 and 2 random negatives, 50 steps, dev at the end. */
  private static Recipe study(String name, String loss, Map<String, String> params, boolean allPos, int batch, double lr) {
    return new Recipe(name, loss, params, 800, 5, 0, 2, allPos, batch, false, lr, 0.1, 50, 50, 64);
  }

  /** The dev and test sizes every recipe is measured on (the demo's). */
  static final DatasetSizes SIZES = new DatasetSizes(8000, 1000, 200, 6, 3, 5, 3, false, 5, 200, 1, 1, 1);

  /**
   * The dev queries evaluated while training (every {@code evalSteps}): the first of the {@link
   * #SIZES}' dev queries, which are the demo's dev set (its queries are drawn from the same shuffle).
   * The final model is evaluated on all of them as well ("wide dev"), so that recipes within a few
   * hundredths of one another on 200 queries can still be told apart on dev.
   */
  static final int DEV_DURING_TRAINING = 200;

  /** The file of the first {@link #DEV_DURING_TRAINING} dev queries, written next to the data. */
  private static final String DEV_SHORT = "rerank-dev-" + DEV_DURING_TRAINING + ".jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = ".ce-demo-study";

  private RecipeStudy() {}

  /**
   * Runs the study from command-line arguments (after {@code study}).
   *
   * @param args {@code [--output DIR] [--seed N] [--recipes a,b,...]}, never null
   * @param out where the table goes, never null
   * @param err where progress goes, never null
   * @return the exit status: 0 done, 2 bad arguments
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path output = Path.of("ce-demo-study");
    long seed = 42;
    List<Recipe> recipes = RECIPES;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--output" -> output = Path.of(arg(args, ++i));
        case "--seed" -> {
          String v = arg(args, ++i);
          try {
            seed = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new InvalidInputException("--seed needs an integer, got '" + v + "'");
          }
        }
        case "--recipes" -> {
          List<Recipe> chosen = new ArrayList<>();
          for (String name : arg(args, ++i).split(",")) {
            chosen.add(RECIPES.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() ->
                new InvalidInputException("unknown recipe '" + name + "'; known: "
                    + String.join(", ", RECIPES.stream().map(Recipe::name).toList()))));
          }
          recipes = chosen;
        }
        default -> throw new InvalidInputException(
            "unknown argument '" + args[i] + "'; usage: ce demo study [--output DIR] [--seed N] [--recipes a,b,...]");
      }
    }
    study(output.toAbsolutePath().normalize(), seed, recipes, out, err);
    return 0;
  }

  private static String arg(String[] args, int i) {
    if (i >= args.length) {
      throw new InvalidInputException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void study(Path dir, long seed, List<Recipe> recipes, PrintStream out, PrintStream err) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(DemoMain.THREADS));
    }
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads"));
    System.setProperty("ai.djl.offline", "true");
    try {
      if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new InvalidInputException(
                "output folder " + dir + " is not empty and was not written by ce demo study; choose another --output");
          }
        }
      }
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(MARKER), "written by ce demo study; a later study with this --output replaces its files\n");
      err.println("[study] reading WordNet and building the datasets");
      WordNet wordNet = WordNet.load();
      Map<String, WordNetDatasets.Built> data = new LinkedHashMap<>();
      for (Recipe r : recipes) {
        if (!data.containsKey(dataName(r))) {
          DatasetSizes sizes = new DatasetSizes(SIZES.trainQueries(), SIZES.devQueries(), SIZES.testQueries(),
              SIZES.hardNegatives(), SIZES.randomNegatives(), r.hardNegatives() > 0 ? SIZES.trainHardNegatives() : 0,
              SIZES.trainRandomNegatives(),
              r.allPartsOfSpeech(), r.contentWordNegatives() > 0 ? SIZES.trainContentWordNegatives() : 0,
              SIZES.generalizationQueries(), 1, 1, 1);
          WordNetDatasets.Built built = WordNetDatasets.build(wordNet, seed, sizes, dir.resolve(dataName(r)));
          List<String> dev = Files.readAllLines(built.file(WordNetDatasets.RERANK_DEV), StandardCharsets.UTF_8);
          Files.write(built.file(DEV_SHORT), dev.subList(0, Math.min(DEV_DURING_TRAINING, dev.size())), StandardCharsets.UTF_8);
          data.put(dataName(r), built);
        }
      }
      wordNet = null;
      WordNetDatasets.Built any = data.values().iterator().next();
      EvaluatorRegistry registry = EvaluatorRegistry.load();
      List<String> rows = new ArrayList<>();
      Map<Integer, Path> models = new LinkedHashMap<>();
      long headSeed = new DefaultSeedStrategy(seed).seed(SeedPurpose.WEIGHT_INIT, 0);
      try (Bm25Ranker bm25 = new Bm25Ranker(any.testCorpus(), 1000)) {
        rows.add(row("BM25 (Lucene) alone", "", null, Double.NaN, Double.NaN, evaluate(registry, any, bm25, false)));
      }
      Path first = model(dir, models, recipes.get(0).maxLength(), headSeed);
      try (CrossEncoder before = CrossEncoder.load(first)) {
        rows.add(row("all-MiniLM-L6-v2, untrained head", "", null, Double.NaN, Double.NaN, evaluate(registry, any, before, true)));
      }
      write(dir, seed, threads, rows);
      for (Recipe r : recipes) {
        Path model = model(dir, models, r.maxLength(), headSeed);
        WordNetDatasets.Built d = data.get(dataName(r));
        Path run = dir.resolve("runs").resolve(r.name());
        Path train = dir.resolve("runs").resolve(r.name() + "-train.jsonl");
        Files.createDirectories(run.getParent());
        deriveTrainingFile(d.file(WordNetDatasets.RERANK_TRAIN), train, r);
        Path config = dir.resolve("runs").resolve(r.name() + ".json");
        ObjectNode c = r.config(seed, config.getParent().relativize(model).toString(), train.getFileName().toString(),
            config.getParent().relativize(d.file(DEV_SHORT)).toString(), threads);
        Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c) + "\n");
        err.println("[study] " + r.name() + ": " + r.describe());
        if (Files.exists(run)) {
          deleteTree(run);
        }
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        TrainingResult result;
        try (CrossEncoderTrainer trainer =
            CrossEncoderTrainer.builder(TrainingArguments.read(config), run).progress(err).build()) {
          result = trainer.train();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        try (CrossEncoder after = CrossEncoder.load(run.resolve(CrossEncoderTrainer.FINAL_MODEL))) {
          Map<String, Evaluation> e = new LinkedHashMap<>();
          e.put("dev", finalDev(result, r));
          e.putAll(evaluate(registry, d, after, false));
          rows.add(row(r.name(), r.describe(), r, seconds, cpuSeconds / threads, e));
        }
        write(dir, seed, threads, rows);
        out.println(rows.get(rows.size() - 1));
      }
      out.println("table: " + dir.resolve("study.md"));
    } catch (IOException e) {
      throw new UncheckedIOException("study failed: " + e.getMessage(), e);
    }
  }

  /**
   * The data folder of a recipe: its parts of speech and which hard negatives it has: BM25 on the
   * whole definition, on its content words, or both (the content-word ones then exclude the others).
   */
  private static String dataName(Recipe r) {
    String negatives = r.contentWordNegatives() == 0 ? "" : r.hardNegatives() == 0 ? "-content-words-only" : "-content-words";
    return "data-" + (r.allPartsOfSpeech() ? "all" : "nouns") + negatives;
  }

    /** all-MiniLM-L6-v2 with the seeded head at a maximum length, imported once per length. */
  private static Path model(Path dir, Map<Integer, Path> models, int maxLength, long headSeed) throws IOException {
    Path existing = models.get(maxLength);
    if (existing != null) {
      return existing;
    }
    Path folder = dir.resolve("minilm-" + maxLength);
    if (Files.exists(folder)) {
      deleteTree(folder);
    }
    OnnxImport.miniLmToModelFolder(RecipeStudy.class.getClassLoader(), folder, 1, headSeed);
    DemoMain.setMaxLength(folder, maxLength);
    models.put(maxLength, folder);
    return folder;
  }

  /**
   * Keeps the recipe's first definitions and, of each, the positive and its first negatives of each
   * kind: the study's data holds, after the positive, {@link #SIZES}' BM25 negatives (none in the
   * data of recipes without them), then (in the data of recipes with content-word negatives) as many
   * mined on content words, then the random ones.
   */
  static void deriveTrainingFile(Path from, Path to, Recipe r) throws IOException {
    List<String> lines = new ArrayList<>();
    int[] inFile = {r.hardNegatives() > 0 ? SIZES.trainHardNegatives() : 0,
        r.contentWordNegatives() > 0 ? SIZES.trainContentWordNegatives() : 0, SIZES.trainRandomNegatives()};
    int[] kept = {r.hardNegatives(), r.contentWordNegatives(), r.randomNegatives()};
    for (String line : Files.readAllLines(from, StandardCharsets.UTF_8)) {
      if (lines.size() == r.trainQueries()) {
        break;
      }
      JsonNode rec = JSON.readTree(line);
      ArrayNode docs = (ArrayNode) rec.get("documents");
      ObjectNode o = JSON.createObjectNode();
      o.put("query", rec.get("query").asText());
      ArrayNode outDocs = o.putArray("documents");
      ArrayNode labels = o.putArray("labels");
      outDocs.add(docs.get(0));
      labels.add(1);
      int start = 1;
      for (int kind = 0; kind < 3; kind++) {
        for (int i = start; i < Math.min(docs.size(), start + Math.min(kept[kind], inFile[kind])); i++) {
          outDocs.add(docs.get(i));
          labels.add(0);
        }
        start += inFile[kind];
      }
      if (outDocs.size() == r.width()) {
        lines.add(JSON.writeValueAsString(o));
      }
    }
    if (lines.size() < r.trainQueries()) {
      throw new InvalidInputException("recipe " + r.name() + " wants " + r.trainQueries() + " definitions; "
          + from + " has " + lines.size() + " with " + r.width() + " candidates");
    }
    Files.write(to, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The dev metrics of the run's last evaluation (the trainer evaluates dev after the last step). */
  private static Evaluation finalDev(TrainingResult result, Recipe r) {
    Map<String, Double> m = result.finalMetrics();
    Double mrr = m.get("dev/mrr@10");
    Double ndcg = m.get("dev/ndcg@10");
    if (mrr == null || ndcg == null || r.steps() % r.evalSteps() != 0) {
      throw new IllegalStateException("recipe " + r.name() + " did not evaluate dev after its last step: " + m);
    }
    return Evaluation.builder("reranking").put("mrr@10", mrr).put("ndcg@10", ndcg).build();
  }

  /** MRR@10 and NDCG@10 on dev (models only), test and the generalization sets. */
  private static Map<String, Evaluation> evaluate(
      EvaluatorRegistry registry, WordNetDatasets.Built d, PairScorer scorer, boolean dev) {
    Map<String, Evaluation> e = new LinkedHashMap<>();
    if (dev) {
      e.put("dev", reranking(registry, d.file(DEV_SHORT), scorer));
    }
    if (scorer instanceof CrossEncoder) {
      e.put("wide dev", reranking(registry, d.file(WordNetDatasets.RERANK_DEV), scorer));
    }
    e.put("test", reranking(registry, d.file(WordNetDatasets.RERANK_TEST), scorer));
    e.put("examples", reranking(registry, d.file(WordNetDatasets.GEN_EXAMPLES), scorer));
    e.put("lists", reranking(registry, d.file(WordNetDatasets.GEN_WORD_LISTS), scorer));
    return e;
  }

  private static Evaluation reranking(EvaluatorRegistry registry, Path file, PairScorer scorer) {
    var evaluator = registry.get("reranking");
    return evaluator.evaluate(DataFiles.load(DataFile.listwise(file), evaluator.inputKind()), scorer, Parameters.empty());
  }

  private static String row(
      String name, String describe, Recipe r, double seconds, double cpuSeconds, Map<String, Evaluation> e) {
    String steps = r == null ? "" : Long.toString(r.steps());
    String pairs = r == null ? "" : Long.toString(r.steps() * r.pairsPerStep());
    return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", name, describe,
        steps, pairs, minutes(seconds), minutes(cpuSeconds), metric(e.get("dev"), "mrr@10"), metric(e.get("dev"), "ndcg@10"),
        metric(e.get("wide dev"), "mrr@10"), metric(e.get("test"), "mrr@10"),
        metric(e.get("test"), "ndcg@10"), metric(e.get("examples"), "mrr@10"), metric(e.get("lists"), "mrr@10"));
  }

  private static String minutes(double seconds) {
    return Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%d:%02d", (long) seconds / 60, (long) seconds % 60);
  }

  /** This process's CPU time (every thread), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String metric(Evaluation e, String key) {
    return e == null ? "" : String.format(Locale.ROOT, "%.4f", e.get(key));
  }

  private static void write(Path dir, long seed, int threads, List<String> rows) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Seed %d, %d intra-op threads, %s, %d cores; load average at the end %s.%n%n", seed,
        threads, System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), loadAverage()));
    b.append("| recipe | config | steps | pairs read | training wall time | CPU time / threads | dev MRR@10 | dev NDCG@10 "
        + "| wide dev (" + SIZES.devQueries() + ") MRR@10 | test MRR@10 | test NDCG@10 | examples MRR@10 | word lists MRR@10 |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String r : rows) {
      b.append(r).append('\n');
    }
    Files.writeString(dir.resolve("study.md"), b.toString(), StandardCharsets.UTF_8);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
