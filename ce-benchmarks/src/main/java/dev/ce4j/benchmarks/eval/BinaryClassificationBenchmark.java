package dev.ce4j.benchmarks.eval;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.eval.binary.BinaryClassificationEvaluator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times {@code binary-classification} (best-threshold search for F-beta, F1 and accuracy, plus
 * average precision) against scikit-learn's {@code precision_recall_curve} +
 * {@code average_precision_score} on the same data, and prints both times and their ratio.
 *
 * <p>It generates N (default 10,000,000) scores and 0/1 labels from a fixed seed, writes them to
 * a temporary file (N little-endian float64 scores, then N int8 labels), times the Java evaluator
 * (one warm-up run, then the best of 3), then runs the Python script
 * {@code python/binary_classification_sklearn.py} (packaged from {@code src/main/python}) on the
 * same file, which reports the best of 3. The two average precisions are printed too, as a
 * cross-check.
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec -Dce.benchmark.python=PYTHON}, or
 * {@code java -Xmx4g -Dce.benchmark.python=PYTHON -cp CLASSPATH
 * dev.ce4j.benchmarks.eval.BinaryClassificationBenchmark [N]}, where PYTHON is a Python with
 * numpy and scikit-learn (default {@code python3}).
 */
public final class BinaryClassificationBenchmark {
  private static final long SEED = 20240611L;
  private static final int DEFAULT_SAMPLES = 10_000_000;
  private static final String SCRIPT = "python/binary_classification_sklearn.py";

  private BinaryClassificationBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: the number of samples
   * @throws Exception if the data cannot be written or the Python side fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_SAMPLES;
    String python = System.getProperty("ce.benchmark.python", "python3");

    double[] scores = new double[n];
    double[] labels = new double[n];
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < n; i++) {
      double s = random.nextDouble();
      scores[i] = s;
      // an informative but imperfect classifier: P(label = 1 | score) = score^2
      labels[i] = random.nextDouble() < s * s ? 1 : 0;
    }

    Path dir = Files.createTempDirectory("ce-benchmark-");
    Path data = dir.resolve("binary.bin");
    Path script = dir.resolve("binary_classification_sklearn.py");
    try {
      write(data, scores, labels);
      try (InputStream in = BinaryClassificationBenchmark.class.getClassLoader()
          .getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException(SCRIPT + " is not on the class path");
        }
        Files.copy(in, script);
      }

      PointwisePredictions predictions = new PointwisePredictions(scores, labels);
      BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator();
      Evaluation result = evaluator.evaluate(predictions);  // warm-up
      double best = Double.POSITIVE_INFINITY;
      for (int run = 0; run < 3; run++) {
        long start = System.nanoTime();
        result = evaluator.evaluate(predictions);
        best = Math.min(best, (System.nanoTime() - start) / 1e9);
      }

      Map<String, String> sk = runPython(python, script, data, n);
      double skSeconds = Double.parseDouble(sk.get("seconds"));
      System.out.printf(Locale.ROOT, "samples                  %,d%n", n);
      System.out.printf(Locale.ROOT, "java                     %s (%s)%n",
          System.getProperty("java.version"), System.getProperty("java.vm.name"));
      System.out.printf(Locale.ROOT, "scikit-learn             %s (numpy %s)%n",
          sk.get("sklearn_version"), sk.get("numpy_version"));
      System.out.printf(Locale.ROOT, "ce binary-classification %.3f s (best of 3, after 1 warm-up):"
          + " thresholds for F1, F-beta, accuracy + average precision%n", best);
      System.out.printf(Locale.ROOT, "sklearn                  %.3f s (best of 3):"
          + " precision_recall_curve + average_precision_score%n", skSeconds);
      System.out.printf(Locale.ROOT, "ratio sklearn / ce       %.2f%n", skSeconds / best);
      System.out.printf(Locale.ROOT, "average precision        ce %.12f, sklearn %s%n",
          result.get(BinaryClassificationEvaluator.AVERAGE_PRECISION), sk.get("average_precision"));
      System.out.printf(Locale.ROOT, "best F1                  %.6f at threshold %.6f%n",
          result.get(BinaryClassificationEvaluator.F1),
          result.get(BinaryClassificationEvaluator.F1_THRESHOLD));
    } finally {
      Files.deleteIfExists(data);
      Files.deleteIfExists(script);
      Files.deleteIfExists(dir);
    }
  }

  /** Writes n little-endian float64 scores, then n int8 labels. */
  private static void write(Path path, double[] scores, double[] labels) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (double s : scores) {
        if (buffer.remaining() < Double.BYTES) {
          drain(channel, buffer);
        }
        buffer.putDouble(s);
      }
      for (double label : labels) {
        if (!buffer.hasRemaining()) {
          drain(channel, buffer);
        }
        buffer.put((byte) label);
      }
      drain(channel, buffer);
    }
  }

  private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  private static Map<String, String> runPython(String python, Path script, Path data, int n)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(python, script.toString(), data.toString(),
        Integer.toString(n))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int status = process.waitFor();
    if (status != 0) {
      throw new IllegalStateException(python + " " + script + " exited with " + status
          + "; it needs numpy and scikit-learn (set -Dce.benchmark.python=...)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : out.split("\\R")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    if (!values.containsKey("seconds")) {
      throw new UncheckedIOException(new IOException("unexpected output from " + script + ": " + out));
    }
    return values;
  }
}
