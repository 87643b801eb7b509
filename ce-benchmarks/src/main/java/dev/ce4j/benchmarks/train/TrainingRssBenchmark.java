package dev.ce4j.benchmarks.train;

import dev.ce4j.api.eval.Parameters;
import dev.ce4j.benchmarks.internal.ProcessStatus;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.SchedulerType;
import dev.ce4j.train.config.TrainingArguments;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains for 2,000 steps (by default) and prints the process's resident set size ({@code VmRSS}
 * of {@code /proc/self/status}) every 100 steps, with the Java heap's committed size, then the
 * drift of RSS and of RSS minus the committed heap (the native part: libtorch's tensors and
 * allocator, the tokenizer): the largest value after the first 500 steps minus the value at step
 * 500, and the change from step 1,000 to the last step. A flat
 * curve means no per-step native or Java leak (NDArrays, gradients, optimiser temporaries).
 *
 * <p>The run is a realistic one: batch 16 of {@link EnglishPairs} (about 8 epochs of 4,096 pairs,
 * so epoch boundaries and reshuffles are crossed), BCE loss, AdamW with weight decay, linear
 * schedule with warmup, gradient clipping, dropout, a reranking evaluation and a checkpoint every
 * 500 steps (two kept). Models: {@code small} (default): a 2-layer BERT from scratch (hidden 128,
 * 2 heads, intermediate 512) with all-MiniLM-L6-v2's tokenizer (30,522 word pieces, so the
 * embedding, its gradient and its AdamW moments dominate memory); {@code minilm}: all-MiniLM-L6-v2
 * imported as in {@link TrainingSpeedBenchmark} (slow on two cores: about half a second a step).
 *
 * <p>Start the JVM with a fixed, pre-touched heap ({@code -Xms600m -Xmx600m
 * -XX:+AlwaysPreTouch}): otherwise the collector touches more of its committed heap over the first
 * thousand steps and RSS grows with it although nothing leaks (seen here: +120 MiB with the
 * default heap settings, +20 MiB with a pre-touched one, all of it native and in steps, not per
 * step).
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@train
 * -Dce.benchmark.train.main=TrainingRssBenchmark}, or {@code java -Xms600m -Xmx600m -XX:+AlwaysPreTouch
 * -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp CLASSPATH
 * dev.ce4j.benchmarks.train.TrainingRssBenchmark
 * [small|minilm] [steps] [threads]}; with another thread count than 2, pass the same count in
 * {@code -Dai.djl.pytorch.num_threads}.
 */
public final class TrainingRssBenchmark {
  private static final int EVERY = 100;

  private TrainingRssBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: the model ({@code small} or {@code minilm}, default small), the number
   *     of steps (default 2000, at least 1000), the intra-op thread count (default 2)
   * @throws Exception if the model cannot be built or training fails
   */
  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "small";
    long steps = Math.max(1000, args.length > 1 ? Long.parseLong(args[1]) : 2000);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : TrainingSpeedBenchmark.THREADS;
    TrainingSpeedBenchmark.pinThreads(threads);
    System.out.println("load average at start: " + TrainingSpeedBenchmark.loadAverage());
    Path dir = Files.createTempDirectory("ce-train-rss");
    try {
      ModelSource model;
      if (which.equals("minilm")) {
        Path folder = dir.resolve("model");
        OnnxImport.miniLmToModelFolder(
            TrainingRssBenchmark.class.getClassLoader(), folder, 1, TrainingSpeedBenchmark.SEED);
        model = ModelSource.folder(folder);
      } else if (which.equals("small")) {
        Path tokenizer = dir.resolve("tokenizer.json");
        try (InputStream in =
            TrainingRssBenchmark.class.getResourceAsStream(OnnxImport.MINILM_TOKENIZER_RESOURCE)) {
          if (in == null) {
            throw new IllegalStateException(OnnxImport.MINILM_ARTIFACT + " is not on the class path");
          }
          Files.copy(in, tokenizer);
        }
        BertConfig config =
            BertConfig.builder()
                .vocabSize(30522)
                .hiddenSize(128)
                .numHiddenLayers(2)
                .numAttentionHeads(2)
                .intermediateSize(512)
                .maxPositionEmbeddings(512)
                .numLabels(1)
                .build();
        Path configFile = dir.resolve("config.json");
        Files.writeString(configFile, ConfigJson.toJson(config), StandardCharsets.UTF_8);
        model = ModelSource.fromScratch(configFile, tokenizer);
      } else {
        throw new IllegalArgumentException("model must be small or minilm, got '" + which + "'");
      }
      Path train = dir.resolve("train.jsonl");
      EnglishPairs.writeJsonLines(EnglishPairs.generate(4096, TrainingSpeedBenchmark.SEED), train);
      Path dev = dir.resolve("dev.jsonl");
      EnglishPairs.writeListwise(32, 8, TrainingSpeedBenchmark.SEED + 1, dev);
      TrainingArguments targs =
          TrainingArguments.builder()
              .setSeed(TrainingSpeedBenchmark.SEED)
              .setModel(model)
              .setTrainData(DataFile.pairs(train))
              .setLoss(LossSpec.of("bce"))
              .optEvaluators(
                  List.of(new EvaluatorSpec("dev", "reranking", Parameters.empty(), DataFile.listwise(dev))))
              .optMaxSteps(steps)
              .optBatchSize(16)
              .optLearningRate(which.equals("small") ? 1e-3 : 2e-5)
              .optScheduler(SchedulerType.LINEAR)
              .optWarmupRatio(0.1)
              .optWeightDecay(0.01)
              .optMaxGradNorm(1.0)
              .optEvalSteps(500)
              .optSaveSteps(500)
              .optSaveTotalLimit(2)
              .optLoggingSteps(1_000_000)
              .optNumThreads(threads)
              .optDevice("cpu")
              .build();
      List<long[]> curve = new ArrayList<>();
      long t0 = System.nanoTime();
      TrainingCallback rss =
          new TrainingCallback() {
            @Override
            public void onStep(long step, double loss, double learningRate) {
              if (step % EVERY == 0) {
                long kb = ProcessStatus.kib("VmRSS");
                Runtime rt = Runtime.getRuntime();
                long heapKb = rt.totalMemory() / 1024;
                curve.add(new long[] {step, kb, kb - heapKb});
                System.out.printf(
                    Locale.ROOT,
                    "step %5d  RSS %7.1f MiB  (Java heap committed %6.1f, used %6.1f; RSS - heap"
                        + " %6.1f MiB)  loss %.4f  %.1f steps/s  load %s%n",
                    step, kb / 1024.0, heapKb / 1024.0,
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0, (kb - heapKb) / 1024.0, loss,
                    step / ((System.nanoTime() - t0) / 1e9), TrainingSpeedBenchmark.loadAverage());
              }
            }
          };
      try (CrossEncoderTrainer trainer =
          CrossEncoderTrainer.builder(targs, dir.resolve("run"))
              .callback(rss)
              .progress(new PrintStream(PrintStream.nullOutputStream()))
              .build()) {
        var result = trainer.train();
        System.out.println("final metrics: " + result.finalMetrics());
      }
      System.out.printf(
          Locale.ROOT, "%s model, %d steps, %d intra-op threads, DJL libtorch %s%n", which, steps,
          threads, PyTorch.version());
      summary("RSS", curve, 1);
      summary("RSS - Java heap committed", curve, 2);
      System.out.println("load average at end: " + TrainingSpeedBenchmark.loadAverage());
    } finally {
      TrainingSpeedBenchmark.deleteTree(dir);
    }
  }

  /** Prints the drift of column {@code c} of the curve after the first 500 steps. */
  private static void summary(String what, List<long[]> curve, int c) {
    long at500 = valueAt(curve, 500, c);
    long at1000 = valueAt(curve, 1000, c);
    long[] lastPoint = curve.get(curve.size() - 1);
    long max = curve.stream().filter(p -> p[0] >= 500).mapToLong(p -> p[c]).max().orElse(at500);
    long min = curve.stream().filter(p -> p[0] >= 500).mapToLong(p -> p[c]).min().orElse(at500);
    System.out.printf(
        Locale.ROOT,
        "%s: at step 500 %.1f MiB, at step 1000 %.1f MiB, at step %d %.1f MiB; max drift after"
            + " step 500 %+.1f MiB (max - value at 500), spread after 500 %.1f MiB, step 1000 to"
            + " end %+.1f MiB%n",
        what, at500 / 1024.0, at1000 / 1024.0, lastPoint[0], lastPoint[c] / 1024.0,
        (max - at500) / 1024.0, (max - min) / 1024.0, (lastPoint[c] - at1000) / 1024.0);
  }

  private static long valueAt(List<long[]> curve, long step, int c) {
    return curve.stream().filter(p -> p[0] == step).mapToLong(p -> p[c]).findFirst().orElse(-1);
  }
}
