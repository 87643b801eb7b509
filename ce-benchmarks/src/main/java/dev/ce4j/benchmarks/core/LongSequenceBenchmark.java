package dev.ce4j.benchmarks.core;

import ai.djl.ndarray.NDManager;
import dev.ce4j.benchmarks.internal.ProcessStatus;
import dev.ce4j.benchmarks.internal.Rounds;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.engine.MklCpuDispatch;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * ModernBERT and DeBERTa-v3 next to BERT at one small shape, at 128 and at 1,024 tokens. Every
 * family has 6 layers, hidden 384, 12 heads of 32 and a feed-forward block of the same weight count
 * (BERT and DeBERTa: intermediate 1536; ModernBERT's GeGLU: intermediate 1024, whose input
 * projection is 2 x 1024 wide), a vocabulary of 30,522 and seeded random weights, one label:
 * all-MiniLM-L6-v2's shape, with ModernBERT's alternating attention (every third layer global, a
 * local window of 128) and DeBERTa-v3's disentangled attention (256 position buckets, shared
 * keys, {@code p2c|c2p}).
 *
 * <p>Cases: (a) a batch of 32 pairs of 128 tokens, (l) a batch of 4 pairs of 1,024 tokens, (s) one
 * pair of 128 tokens (where the engine calls of an eager pass weigh most); the same
 * token ids for every family, straight into each model's pass on 2 intra-op threads, no gradient.
 * Each family runs its eager pass ({@link SequenceClassifier}, what training differentiates and what
 * scoring runs when the family has no faster pass) and, where it has one, its scoring pass ({@link
 * ScoringPass}). The passes take turns round after round; each round prints every pass's rate and
 * its ratio to BERT's scoring pass in that round. Then each family scores case (l) in a JVM of its
 * own, which prints its peak resident memory (VmHWM) after loading and after scoring.
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@long [-Dce.benchmark.long.rounds=3]}.
 */
public final class LongSequenceBenchmark {
  private static final int THREADS = 2;
  private static final long SEED = 20261206L;
  private static final int SHORT_BATCH = 32;
  private static final int SHORT_TOKENS = 128;
  private static final int LONG_BATCH = 4;
  private static final int LONG_TOKENS = 1024;
  private static final int SINGLE_TOKENS = 128;

  private LongSequenceBenchmark() {}

  /** The families at the shared shape, as config.json text; BERT first (the ratios' base). */
  static Map<String, String> configs() {
    Map<String, String> c = new LinkedHashMap<>();
    String common = "\"vocab_size\": 30522, \"num_labels\": 1, \"initializer_range\": 0.02,"
        + " \"hidden_size\": 384, \"num_hidden_layers\": 6, \"num_attention_heads\": 12";
    c.put("bert", "{\"model_type\": \"bert\", " + common + ", \"intermediate_size\": 1536,"
        + " \"max_position_embeddings\": 1024}");
    c.put("modernbert", "{\"model_type\": \"modernbert\", " + common + ", \"intermediate_size\": 1024,"
        + " \"max_position_embeddings\": 8192, \"global_attn_every_n_layers\": 3, \"local_attention\": 128,"
        + " \"pad_token_id\": 0, \"bos_token_id\": 101, \"eos_token_id\": 102, \"cls_token_id\": 101,"
        + " \"sep_token_id\": 102}");
    c.put("deberta-v2", "{\"model_type\": \"deberta-v2\", " + common + ", \"intermediate_size\": 1536,"
        + " \"max_position_embeddings\": 1024, \"type_vocab_size\": 0, \"position_biased_input\": false,"
        + " \"relative_attention\": true, \"position_buckets\": 256, \"max_relative_positions\": -1,"
        + " \"share_att_key\": true, \"pos_att_type\": [\"p2c\", \"c2p\"], \"norm_rel_ebd\": \"layer_norm\","
        + " \"hidden_act\": \"gelu\", \"pooler_hidden_act\": \"gelu\", \"pooler_hidden_size\": 384,"
        + " \"layer_norm_eps\": 1e-7, \"pad_token_id\": 0}");
    return c;
  }

  /** One pass to time: its name and how it computes a batch's logits. */
  private record Pass(String name, ModelWeights weights, Function<ModelInputs, float[]> logits) {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: the number of rounds (default 3); or {@code rss FAMILY} (the child JVM)
   * @throws Exception if a model cannot be made or a child JVM fails
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(THREADS));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    if (args.length == 2 && args[0].equals("rss")) {
      rss(args[1]);
      return;
    }
    int rounds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 3;
    SplittableRandom random = new SplittableRandom(SEED);
    long[][][] shortBatch = Rounds.batch(random, SHORT_BATCH, SHORT_TOKENS);
    long[][][] longBatch = Rounds.batch(random, LONG_BATCH, LONG_TOKENS);
    long[][][] single = Rounds.batch(random, 1, SINGLE_TOKENS);

    List<Pass> passes = new ArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    try (NDManager root = PyTorch.newManager(Devices.resolve("cpu"))) {
      for (Map.Entry<String, String> e : configs().entrySet()) {
        ModelConfig config = ConfigJson.parse(e.getValue(), e.getKey() + " config");
        ModelWeights w = ModelWeights.fromHost(config, WeightInit.initialWeights(config, SEED), root, "random weights");
        open.add(w);
        Optional<ScoringPass> script = config.architecture().scoringPass(w, true);
        if (script.isPresent()) {
          ScoringPass pass = script.get();
          open.add(pass);
          passes.add(new Pass(e.getKey() + (pass.onednn() ? " script (oneDNN)" : " script (exact)"), w,
              in -> pass.logits(in).toFloatArray()));
        }
        SequenceClassifier eager = config.architecture().classifier(w);
        passes.add(new Pass(e.getKey() + " eager", w, in -> eager.logits(in, false).toFloatArray()));
        System.out.printf(Locale.ROOT, "%s: %s, %,d weights%n", e.getKey(), config.describeSizes(),
            config.parameterCount());
      }
      System.out.printf(Locale.ROOT, "DJL PyTorch %s, %d intra-op threads, MKL kernels: %s%n", PyTorch.version(),
          PyTorch.intraOpThreads(), MklCpuDispatch.status().id());
      double[][] a = new double[passes.size()][rounds];
      double[][] l = new double[passes.size()][rounds];
      double[][] one = new double[passes.size()][rounds];
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        for (int p = 0; p < passes.size(); p++) {
          double ta = time(passes.get(p), shortBatch, 3);
          double tl = time(passes.get(p), longBatch, 2);
          double ts = time(passes.get(p), single, 20);
          if (r >= 0) {
            a[p][r] = SHORT_BATCH / ta;
            l[p][r] = LONG_BATCH / tl;
            one[p][r] = 1 / ts;
          }
        }
        if (r >= 0) {
          StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
          for (int p = 0; p < passes.size(); p++) {
            line.append(String.format(Locale.ROOT, " %s (a) %.1f (%.2fx) (l) %.2f (%.2fx) (s) %.1f (%.2fx);",
                passes.get(p).name(), a[p][r], a[p][r] / a[0][r], l[p][r], l[p][r] / l[0][r], one[p][r],
                one[p][r] / one[0][r]));
          }
          System.out.println(line);
        }
      }
      System.out.println();
      System.out.println("| pass | (a) 32 x 128 pairs/s | vs BERT script, per round | (l) 4 x 1,024 pairs/s"
          + " | vs BERT script, per round | (s) 1 x 128 pairs/s | vs BERT script, per round |");
      System.out.println("|---|---:|---|---:|---|---:|---|");
      for (int p = 0; p < passes.size(); p++) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %.2f | %s | %.1f | %s |%n", passes.get(p).name(),
            Rounds.median(a[p]), Rounds.ratios(a[p], a[0]), Rounds.median(l[p]), Rounds.ratios(l[p], l[0]),
            Rounds.median(one[p]), Rounds.ratios(one[p], one[0]));
      }
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
    System.out.println();
    System.out.println("| family | peak RSS after loading | peak RSS scoring 4 x 1,024 (3 batches) |");
    System.out.println("|---|---:|---:|");
    for (String family : configs().keySet()) {
      System.out.println(childRss(family));
    }
  }

  /** The child JVM: one family, its scoring pass (else its eager pass) on case (l), peak RSS. */
  private static void rss(String family) {
    long[][][] longBatch = Rounds.batch(new SplittableRandom(SEED), LONG_BATCH, LONG_TOKENS);
    ModelConfig config = ConfigJson.parse(configs().get(family), family + " config");
    try (NDManager root = PyTorch.newManager(Devices.resolve("cpu"));
        ModelWeights w = ModelWeights.fromHost(config, WeightInit.initialWeights(config, SEED), root, "random")) {
      Optional<ScoringPass> script = config.architecture().scoringPass(w, true);
      SequenceClassifier eager = config.architecture().classifier(w);
      Pass pass = script.<Pass>map(s -> new Pass(family, w, in -> s.logits(in).toFloatArray()))
          .orElse(new Pass(family, w, in -> eager.logits(in, false).toFloatArray()));
      String loaded = ProcessStatus.mib("VmHWM");
      time(pass, longBatch, 3);
      System.out.printf(Locale.ROOT, "| %s (%s) | %s | %s |%n", family, script.isPresent() ? "script" : "eager",
          loaded, ProcessStatus.mib("VmHWM"));
      script.ifPresent(ScoringPass::close);
    }
  }

  /** Runs {@code rss FAMILY} in a new JVM on this class path and returns its table row. */
  private static String childRss(String family) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
        System.getProperty("java.class.path"), LongSequenceBenchmark.class.getName(), "rss", family)
        .redirectErrorStream(true);
    Process p = pb.start();
    String row = "| " + family + " | n/a | n/a |";
    StringBuilder all = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        all.append(line).append('\n');
        if (line.startsWith("| " + family)) {
          row = line;
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the RSS run of " + family + " failed:\n" + all);
    }
    return row;
  }

  /** Seconds per call of a pass on a batch, averaged over {@code reps} calls. */
  private static double time(Pass pass, long[][][] batch, int reps) {
    try (PyTorch.GradScope g = PyTorch.noGrad()) {
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        try (NDManager m = pass.weights().manager().newSubManager()) {
          pass.logits().apply(ModelInputs.of(m, batch[0], batch[1], batch[2]));
        }
      }
      return (System.nanoTime() - t0) / 1e9 / reps;
    }
  }
}
