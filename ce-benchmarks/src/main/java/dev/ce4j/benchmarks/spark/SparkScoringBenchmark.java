package dev.ce4j.benchmarks.spark;

import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.engine.MklCpuDispatch;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.core.predict.PredictOptions;
import dev.ce4j.spark.score.ScoringOptions;
import dev.ce4j.spark.score.SparkScoring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores the same mixed-length pairs with all-MiniLM-L6-v2 (imported from the ONNX file of the
 * langchain4j artifact) twice on the same two cores: single-JVM {@link CrossEncoder#predict} with 2
 * intra-op threads, and {@link SparkScoring} in Spark {@code local[2]} (two tasks at once, 1
 * intra-op thread each, two partitions). Rounds alternate, after a warm-up of both; prints each
 * round's pairs per second and the ratio Spark / single JVM (the target is at least 0.85).
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@spark} ({@code -Dce.benchmark.spark.pairs=N}).
 * Measure on a quiet machine: OpenMP's spinning makes every libtorch timing erratic under load.
 */
public final class SparkScoringBenchmark {
  private static final long SEED = 42;
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType)
      .add("query", DataTypes.StringType).add("document", DataTypes.StringType);

  private SparkScoringBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: the number of pairs (default 20000), then the rounds (default 2)
   * @throws Exception if the model cannot be imported or a job fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    System.setProperty("ai.djl.pytorch.num_threads", "2");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path folder = Files.createTempDirectory("ce-spark-bench").resolve("model");
    OnnxImport.miniLmToModelFolder(SparkScoringBenchmark.class.getClassLoader(), folder, 1, SEED);

    SparkSession spark = SparkSession.builder().master("local[2]").appName("ce-spark-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try (CrossEncoder ce = CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("cpu"))) {
      List<TextPair> pairs = pairs(ce, n);
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(RowFactory.create(i, pairs.get(i).query(), pairs.get(i).document()));
      }
      JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
      Dataset<Row> data = spark.createDataFrame(jsc.parallelize(rows, 2), SCHEMA).cache();
      data.count();
      ScoringOptions options = ScoringOptions.of(folder.toString()).withIntraOpThreads(1).withBatchSize(32).withChunkSize(1024);
      System.out.printf(Locale.ROOT, "all-MiniLM-L6-v2, %d pairs, DJL PyTorch %s, MKL kernels %s, forward pass %s%n",
          n, PyTorch.version(), MklCpuDispatch.status().id(), ce.forwardPass());
      System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());

      // warm-up: both paths, a tenth of the pairs
      PyTorch.setIntraOpThreads(2);
      ce.predict(pairs.subList(0, n / 10), PredictOptions.defaults());
      SparkScoring.score(data.limit(n / 10).repartition(2), options).write().format("noop").mode("overwrite").save();

      double bestSingle = 0;
      double bestSpark = 0;
      for (int round = 0; round < rounds; round++) {
        PyTorch.setIntraOpThreads(2);
        settle();
        long t0 = System.nanoTime();
        ce.predict(pairs, PredictOptions.defaults());
        double single = n / ((System.nanoTime() - t0) / 1e9);
        settle();
        t0 = System.nanoTime();
        SparkScoring.score(data, options).write().format("noop").mode("overwrite").save();
        double sparkRate = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "round %d: single JVM %.1f pairs/s, Spark local[2] %.1f pairs/s, ratio %.3f%n",
            round + 1, single, sparkRate, sparkRate / single);
        bestSingle = Math.max(bestSingle, single);
        bestSpark = Math.max(bestSpark, sparkRate);
      }
      System.out.printf(Locale.ROOT, "best: single JVM %.1f pairs/s, Spark local[2] %.1f pairs/s, ratio %.3f (target >= 0.85)%n",
          bestSingle, bestSpark, bestSpark / bestSingle);
      System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
    } finally {
      spark.stop();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "(unknown)";
    }
  }

  private static void settle() throws InterruptedException {
    Thread.sleep(1500);
  }

  /** Mixed-length pairs of vocabulary words (MiniLM's tokenizer.json): queries of about 5 words, documents of about 60. */
  private static List<TextPair> pairs(CrossEncoder ce, int n) throws java.io.IOException {
    String json;
    try (java.io.InputStream in = SparkScoringBenchmark.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("\"([a-z]{3,12})\"\\s*:\\s*\\d+").matcher(json);
    List<String> words = new ArrayList<>();
    while (m.find()) {
      words.add(m.group(1));
    }
    words = words.stream().distinct().sorted().toList();
    SplittableRandom random = new SplittableRandom(SEED);
    List<TextPair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int q = Math.max(1, Math.min(20, (int) Math.round(Math.exp(Math.log(5) + 0.5 * gaussian(random)))));
      int d = Math.max(5, Math.min(450, (int) Math.round(Math.exp(Math.log(60) + 0.8 * gaussian(random)))));
      out.add(new TextPair(text(words, q, random), text(words, d, random)));
    }
    return out;
  }

  private static String text(List<String> words, int count, SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(words.get(random.nextInt(words.size())));
    }
    return sb.toString();
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
