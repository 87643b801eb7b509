package dev.ce4j.benchmarks.core;

import ai.djl.ndarray.NDManager;
import dev.ce4j.benchmarks.internal.ProcessStatus;
import dev.ce4j.benchmarks.internal.Rounds;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.engine.MklCpuDispatch;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every architecture's scoring pass next to BERT's, at all-MiniLM-L6-v2's shape (6 layers, hidden
 * 384, 12 heads, intermediate 1536; seeded random weights, one label), in the same run: (a) a batch
 * of 32 pairs of 128 tokens, (c) one pair of 80 tokens. The same token ids go to every family (ids
 * below 30,000, so that each vocabulary has them), straight into each model's scoring pass (the
 * pass {@code predict} runs, without tokenization), on 2 intra-op threads. The families take turns
 * in blocks, round after round, and each round prints every family's rate and its ratio to BERT's
 * in that round, so that the machine's noise shows as a spread rather than as the verdict.
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@arch [-Dce.benchmark.arch.rounds=5]}.
 */
public final class ArchitectureSpeedBenchmark {
  private static final int THREADS = 2;
  private static final long SEED = 20241206L;
  private static final int BATCH = 32;
  private static final int TOKENS = 128;
  private static final int SINGLE_TOKENS = 80;

  private ArchitectureSpeedBenchmark() {}

  /** The families at MiniLM's shape, as config.json text; BERT first (the ratios' base). */
  private static Map<String, String> configs() {
    Map<String, String> c = new LinkedHashMap<>();
    String common = "\"vocab_size\": 30522, \"num_labels\": 1, \"initializer_range\": 0.02";
    String bertLike = common + ", \"hidden_size\": 384, \"num_hidden_layers\": 6, \"num_attention_heads\": 12,"
        + " \"intermediate_size\": 1536";
    c.put("bert", "{\"model_type\": \"bert\", " + bertLike + ", \"max_position_embeddings\": 512}");
    c.put("xlm-roberta", "{\"model_type\": \"xlm-roberta\", " + bertLike + ", \"max_position_embeddings\": 514,"
        + " \"type_vocab_size\": 1, \"pad_token_id\": 1, \"layer_norm_eps\": 1e-5}");
    c.put("electra", "{\"model_type\": \"electra\", " + bertLike + ", \"embedding_size\": 384,"
        + " \"max_position_embeddings\": 512}");
    c.put("distilbert", "{\"model_type\": \"distilbert\", " + common + ", \"dim\": 384, \"n_layers\": 6,"
        + " \"n_heads\": 12, \"hidden_dim\": 1536, \"max_position_embeddings\": 512}");
    // ModernBERT at the same sizes: its GeGLU block's Wi has 2 x 1536 outputs, so it does more work
    c.put("modernbert", "{\"model_type\": \"modernbert\", " + bertLike + ", \"max_position_embeddings\": 512,"
        + " \"pad_token_id\": 0}");
    return c;
  }

  /**
   * Runs the benchmark.
   *
   * @param args optional: the number of rounds (default 5)
   * @throws Exception if a model cannot be made
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(THREADS));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    SplittableRandom random = new SplittableRandom(SEED);
    long[][][] big = Rounds.batch(random, BATCH, TOKENS);
    long[][][] single = Rounds.batch(random, 1, SINGLE_TOKENS);

    List<String> names = new ArrayList<>();
    List<ModelWeights> models = new ArrayList<>();
    List<ScoringPass> passes = new ArrayList<>();
    try (NDManager root = PyTorch.newManager(Devices.resolve("cpu"))) {
      for (Map.Entry<String, String> e : configs().entrySet()) {
        ModelConfig config = ConfigJson.parse(e.getValue(), e.getKey() + " config");
        ModelWeights w = ModelWeights.fromHost(config, WeightInit.initialWeights(config, SEED), root, "random weights");
        models.add(w);
        ScoringPass pass = config.architecture().scoringPass(w, true).orElseThrow();
        passes.add(pass);
        names.add(e.getKey() + (pass.onednn() ? " (oneDNN)" : " (exact)"));
      }
      System.out.printf(Locale.ROOT, "DJL PyTorch %s, %d intra-op threads, MKL kernels: %s, %s%n",
          PyTorch.version(), PyTorch.intraOpThreads(), MklCpuDispatch.status().id(), String.join(", ", names));
      double[][] a = new double[passes.size()][rounds];
      double[][] c = new double[passes.size()][rounds];
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        for (int m = 0; m < passes.size(); m++) {
          double ta = time(passes.get(m), models.get(m), big, 3);
          double tc = time(passes.get(m), models.get(m), single, 30);
          if (r >= 0) {
            a[m][r] = BATCH / ta;
            c[m][r] = 1 / tc;
          }
        }
        if (r >= 0) {
          StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
          for (int m = 0; m < passes.size(); m++) {
            line.append(String.format(Locale.ROOT, " %s (a) %.1f (%.2fx) (c) %.1f (%.2fx);", names.get(m),
                a[m][r], a[m][r] / a[0][r], c[m][r], c[m][r] / c[0][r]));
          }
          System.out.println(line);
        }
      }
      System.out.println();
      System.out.println("| architecture | (a) 32 x 128 pairs/s | vs BERT, per round | (c) 1 x 80 pairs/s | vs BERT, per round |");
      System.out.println("|---|---:|---|---:|---|");
      for (int m = 0; m < passes.size(); m++) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %.1f | %s |%n", names.get(m), Rounds.median(a[m]),
            Rounds.ratios(a[m], a[0]), Rounds.median(c[m]), Rounds.ratios(c[m], c[0]));
      }
      System.out.printf(Locale.ROOT, "peak RSS: %s%n", ProcessStatus.mib("VmHWM"));
      passes.forEach(ScoringPass::close);
      models.forEach(ModelWeights::close);
    }
  }

  /** Seconds per call of a pass on a batch, averaged over {@code reps} calls. */
  private static double time(ScoringPass pass, ModelWeights weights, long[][][] batch, int reps) {
    try (PyTorch.GradScope g = PyTorch.noGrad()) {
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        try (NDManager m = weights.manager().newSubManager()) {
          pass.logits(ModelInputs.of(m, batch[0], batch[1], batch[2])).toFloatArray();
        }
      }
      return (System.nanoTime() - t0) / 1e9 / reps;
    }
  }
}
