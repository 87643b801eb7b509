package dev.ce4j.benchmarks.train;

import dev.ce4j.api.TextPair;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.benchmarks.internal.ProcessStatus;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.core.tokenize.EncodedPair;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.SamplerType;
import dev.ce4j.train.config.SchedulerType;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.sampling.BatchSampler;
import dev.ce4j.train.sampling.BatchSamplers;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the same all-MiniLM-L6-v2 training steps with {@code ce}'s {@link CrossEncoderTrainer} and
 * with PyTorch eager ({@code python/train_steps_torch.py}, packaged from {@code src/main/python}),
 * both with 2 intra-op threads, in one run, and prints steps per second for each and the ratio.
 *
 * <p>The model is all-MiniLM-L6-v2 imported with {@link OnnxImport#miniLmToModelFolder} (one
 * label, seeded head) into a model folder; both sides start from that folder's weights. The data
 * are 4,096 short English pairs from {@link EnglishPairs} (25 to 70 tokens). A step is: batch of
 * 16 in the trainer's seeded order, dropout on, binary cross-entropy on the logits, backward,
 * gradient clipping to norm 1, AdamW (lr 2e-5, weight decay 0.01 except biases and LayerNorm,
 * transformers' grouping), linear schedule, zeroing the gradients. The Python side gets the very
 * batches the trainer draws, tokenized by {@code ce} beforehand (so its step excludes tokenization,
 * which {@code ce}'s step includes), and checks its forward pass against {@code ce}'s logits of
 * the first batch (printed as {@code forward_max_abs_diff}).
 *
 * <p>The two engines never run at the same time: the trainer is paused inside a {@link
 * TrainingCallback} while Python runs its round, and the rounds alternate (ce, torch, ce, torch,
 * ...) so that a change in machine load hits both. {@code ce} times are between step callbacks, so
 * they cover the trainer's whole step (sampling, tokenization, batch tensors, forward, backward,
 * clipping, AdamW, bookkeeping). The first {@code warmup} steps of each side are not timed. The
 * table gives the median and best round of each side; the ratio is of the medians.
 *
 * <p>On a machine with more runnable threads than cores, two intra-op threads per engine spend
 * most of a step waiting for each other at the end of every parallel operation, so the figures
 * then measure the scheduler more than the engines; note the load average printed with each
 * round.
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@train}, or {@code java -Xmx2g
 * -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1
 * -Dce.benchmark.python=/usr/bin/python3 -cp CLASSPATH
 * dev.ce4j.benchmarks.train.TrainingSpeedBenchmark [stepsPerRound] [rounds] [warmup]} (defaults
 * 10, 3, 3); the Python must have torch and numpy.
 */
public final class TrainingSpeedBenchmark {
  static final int THREADS = 2;
  static final long SEED = 20240611L;
  private static final int BATCH = 16;
  private static final int PAIRS = 4096;
  private static final double LR = 2e-5;
  private static final double WEIGHT_DECAY = 0.01;
  private static final double MAX_GRAD_NORM = 1.0;
  private static final String SCRIPT = "python/train_steps_torch.py";

  private TrainingSpeedBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: steps per round (default 10), rounds (default 3), untimed warm-up steps
   *     per side (default 3, at least 1)
   * @throws Exception if the model cannot be imported, training fails or the Python side fails
   */
  public static void main(String[] args) throws Exception {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int warmup = Math.max(1, args.length > 2 ? Integer.parseInt(args[2]) : 3);
    long total = warmup + (long) perRound * rounds;
    if (total > PAIRS / BATCH) {
      throw new IllegalArgumentException("at most " + PAIRS / BATCH + " steps (one epoch)");
    }
    String python = System.getProperty("ce.benchmark.python", "/usr/bin/python3");
    pinThreads(THREADS);
    System.out.println("load average at start: " + loadAverage());

    Path dir = Files.createTempDirectory("ce-train-bench");
    try {
      Path folder = dir.resolve("model");
      OnnxImport.miniLmToModelFolder(TrainingSpeedBenchmark.class.getClassLoader(), folder, 1, SEED);
      List<String[]> pairs = EnglishPairs.generate(PAIRS, SEED);
      Path train = dir.resolve("train.jsonl");
      EnglishPairs.writeJsonLines(pairs, train);
      TrainingArguments targs =
          TrainingArguments.builder()
              .setSeed(SEED)
              .setModel(ModelSource.folder(folder))
              .setTrainData(DataFile.pairs(train))
              .setLoss(LossSpec.of("bce"))
              .optMaxSteps(total)
              .optBatchSize(BATCH)
              .optLearningRate(LR)
              .optScheduler(SchedulerType.LINEAR)
              .optWeightDecay(WEIGHT_DECAY)
              .optMaxGradNorm(MAX_GRAD_NORM)
              .optLoggingSteps(1_000_000)
              .optNumThreads(THREADS)
              .optDevice("cpu")
              .build();

      // the trainer's batches, in its order, tokenized by ce, for the Python side
      Path batches = dir.resolve("batches.bin");
      writeBatches(targs, folder, pairs, (int) total, batches);
      Path script = dir.resolve("train_steps_torch.py");
      try (InputStream in =
          TrainingSpeedBenchmark.class.getClassLoader().getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException(SCRIPT + " is not on the class path");
        }
        Files.copy(in, script);
      }

      try (Torch torch = new Torch(python, script, folder, batches, total)) {
        System.out.println("torch: " + torch.ready);
        double[] ceSeconds = new double[rounds];
        double[] ceLoss = new double[rounds];
        double[] torchSeconds = new double[rounds];
        double[] torchLoss = new double[rounds];
        TrainingCallback timer =
            new TrainingCallback() {
              long t0;
              double lossSum;

              @Override
              public void onStep(long step, double loss, double learningRate) {
                long now = System.nanoTime();
                if (step == warmup) {
                  torch.steps(warmup);
                  t0 = System.nanoTime();
                  return;
                }
                if (step < warmup) {
                  return;
                }
                lossSum += loss;
                if ((step - warmup) % perRound == 0) {
                  int r = (int) ((step - warmup) / perRound) - 1;
                  ceSeconds[r] = (now - t0) / 1e9;
                  ceLoss[r] = lossSum / perRound;
                  lossSum = 0;
                  double[] t = torch.steps(perRound);
                  torchSeconds[r] = t[0];
                  torchLoss[r] = t[1];
                  System.out.printf(
                      Locale.ROOT,
                      "round %d: ce %.2f steps/s (loss %.4f) | torch %.2f steps/s (loss %.4f) | load %s%n",
                      r + 1, perRound / ceSeconds[r], ceLoss[r], perRound / t[0], t[1], loadAverage());
                  t0 = System.nanoTime();
                }
              }
            };
        try (CrossEncoderTrainer trainer =
            CrossEncoderTrainer.builder(targs, dir.resolve("run"))
                .callback(timer)
                .progress(new PrintStream(PrintStream.nullOutputStream()))
                .build()) {
          trainer.train();
        }
        String bye = torch.quit();
        double ceMedian = perRound / median(ceSeconds);
        double torchMedian = perRound / median(torchSeconds);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "all-MiniLM-L6-v2, batch %d, %d rounds of %d steps after %d warm-up steps, %d intra-op"
                + " threads each; DJL libtorch %s, %s%n",
            BATCH, rounds, perRound, warmup, THREADS, PyTorch.version(), torch.ready);
        System.out.printf(Locale.ROOT, "| %-22s | %10s | %10s |%n", "engine", "median", "best");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(24), "-".repeat(12), "-".repeat(12));
        System.out.printf(
            Locale.ROOT, "| %-22s | %10.2f | %10.2f |%n", "ce steps/s", ceMedian, perRound / min(ceSeconds));
        System.out.printf(
            Locale.ROOT, "| %-22s | %10.2f | %10.2f |%n", "PyTorch eager steps/s", torchMedian,
            perRound / min(torchSeconds));
        System.out.printf(Locale.ROOT, "ratio ce / PyTorch (medians): %.2fx%n", ceMedian / torchMedian);
        System.out.printf(
            Locale.ROOT, "peak RSS: ce process %s, Python process %s MiB%n", ProcessStatus.mib("VmHWM"),
            bye.replaceAll(".*peak_rss_mib=", ""));
        System.out.println("load average at end: " + loadAverage());
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** DJL reads these when the engine loads; the launcher normally sets them. */
  static void pinThreads(int threads) {
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    System.setProperty("ai.djl.offline", "true");
  }

  /**
   * Writes the first {@code steps} batches of epoch 0 in the trainer's order, padded to their
   * longest pair, and ce's inference logits of the first (see the Python script for the layout).
   */
  private static void writeBatches(
      TrainingArguments targs, Path folder, List<String[]> pairs, int steps, Path out)
      throws IOException {
    BatchSampler sampler =
        BatchSamplers.create(
            SamplerType.RANDOM, pairs.size(), i -> List.of(pairs.get(i)[0], pairs.get(i)[1]),
            targs.batchSize(), new DefaultSeedStrategy(targs.effectiveDataSeed()));
    try (CrossEncoder ce = CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("cpu"));
        FileChannel ch =
            FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long pad = ce.config().padTokenId();
      List<ByteBuffer> parts = new ArrayList<>();
      parts.add(le(4).putInt(steps));
      float[] reference = null;
      int tokens = 0;
      for (int s = 0; s < steps; s++) {
        int[] idx = sampler.batch(0, s);
        List<TextPair> texts = new ArrayList<>();
        for (int i : idx) {
          texts.add(new TextPair(pairs.get(i)[0], pairs.get(i)[1]));
        }
        List<EncodedPair> enc = ce.tokenizer().encode(texts);
        int b = enc.size();
        int t = enc.stream().max(Comparator.comparingInt(EncodedPair::length)).orElseThrow().length();
        long[][] ids = new long[b][t];
        long[][] types = new long[b][t];
        long[][] mask = new long[b][t];
        ByteBuffer buf = le(8 + 3 * 8 * b * t + 4 * b).putInt(b).putInt(t);
        for (int i = 0; i < b; i++) {
          EncodedPair p = enc.get(i);
          tokens += p.length();
          Arrays.fill(ids[i], pad);
          System.arraycopy(p.ids(), 0, ids[i], 0, p.length());
          System.arraycopy(p.typeIds(), 0, types[i], 0, p.length());
          Arrays.fill(mask[i], 0, p.length(), 1L);
        }
        for (long[][] a : List.of(ids, types, mask)) {
          for (long[] row : a) {
            for (long v : row) {
              buf.putLong(v);
            }
          }
        }
        for (int i : idx) {
          buf.putFloat(Float.parseFloat(pairs.get(i)[2]));
        }
        parts.add(buf);
        if (s == 0) {
          float[][] logits = ((EncoderClassifier) ce.model()).logits(ids, types, mask);
          reference = new float[b];
          for (int i = 0; i < b; i++) {
            reference[i] = logits[i][0];
          }
        }
      }
      ByteBuffer ref = le(4 + 4 * reference.length).putInt(reference.length);
      for (float f : reference) {
        ref.putFloat(f);
      }
      parts.add(ref);
      for (ByteBuffer p : parts) {
        p.flip();
        while (p.hasRemaining()) {
          ch.write(p);
        }
      }
      System.out.printf(
          Locale.ROOT, "%d batches of %d pairs, %.1f tokens per pair on average%n", steps, BATCH,
          tokens / (double) (steps * BATCH));
    }
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2] + " (" + Runtime.getRuntime().availableProcessors()
          + " cores)";
    } catch (IOException e) {
      return "n/a";
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The Python process, driven line by line. */
  private static final class Torch implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final BufferedWriter in;
    final String ready;

    Torch(String python, Path script, Path folder, Path batches, long total) throws IOException {
      process =
          new ProcessBuilder(
                  python, script.toString(), folder.toString(), batches.toString(),
                  Integer.toString(THREADS), Double.toString(LR), Double.toString(WEIGHT_DECAY),
                  Double.toString(MAX_GRAD_NORM), Long.toString(total))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("ready ")) {
        throw new IllegalStateException(
            python + " " + script + " did not start (got " + line + "); it needs torch and numpy"
                + " (set -Dce.benchmark.python=...)");
      }
      ready = line.substring(6);
    }

    /** Runs k steps; returns {seconds, mean loss}. */
    double[] steps(int k) {
      try {
        in.write("steps " + k + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null || !line.startsWith("done ")) {
          throw new IllegalStateException("the Python side failed: " + line);
        }
        Map<String, String> kv = keyValues(line.substring(5));
        return new double[] {Double.parseDouble(kv.get("seconds")), Double.parseDouble(kv.get("loss"))};
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String quit() throws IOException {
      in.write("quit\n");
      in.flush();
      String line = out.readLine();
      return line == null ? "" : line;
    }

    private static Map<String, String> keyValues(String s) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String kv : s.trim().split("\\s+")) {
        int eq = kv.indexOf('=');
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      return m;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }
}
