package dev.ce4j.examples.usage.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.data.DataFiles;
import dev.ce4j.train.manifest.MetricsRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the plugin example end to end: the calibration plugin is discovered next to the built-in
 * evaluators, and its metrics are in every evaluation of the run, equal to the expected
 * calibration error computed here by hand from the final model's dev probabilities.
 */
class TrainWithPluginEvaluatorTest {
  @TempDir Path tmp;

  @Test
  void thePluginIsDiscoveredAndItsMetricsAreInTheRunsMetricLog() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TrainWithPluginEvaluator.Result r;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(OutputStream.nullOutputStream())) {
      r = TrainWithPluginEvaluator.run(new TrainWithPluginEvaluator.Options(tmp, 42), out, err);
    }
    assertThat(r.evaluatorIds()).containsExactlyInAnyOrder("binary-classification", "correlation",
        "multiclass-classification", "multilabel-classification", "reranking", "expected-calibration-error");
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("dev.ce4j.examples.calibration.ExpectedCalibrationErrorEvaluator", "parameter bins (default 10)");

    assertThat(r.metrics()).extracting(MetricsRecord::step).containsExactly(48L, 96L, 144L, 192L, 240L);
    for (MetricsRecord m : r.metrics()) {
      Map<String, Double> v = m.values();
      assertThat(v).containsKeys("train/loss", "dev/accuracy", "calibration/ece", "calibration/mce", "calibration/brier");
      assertThat(v.get("calibration/ece")).isBetween(0.0, 1.0);
      assertThat(v.get("calibration/brier")).isBetween(0.0, 1.0);
      assertThat(v.get("calibration/mce")).as("the largest bin gap is at least the weighted mean gap")
          .isGreaterThanOrEqualTo(v.get("calibration/ece"));
    }
    assertThat(r.metricsCsvHeader()).contains("dev/accuracy", "calibration/ece", "calibration/mce", "calibration/brier");
    Path run = tmp.resolve("run");
    assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("\"calibration/ece\"");
    assertThat(r.training().finalMetrics()).containsEntry("calibration/ece", r.metrics().get(4).values().get("calibration/ece"));

    // the final evaluation's ECE, recomputed by hand from the final model's dev probabilities (5 bins)
    Samples dev = DataFiles.load(DataFile.listwise(tmp.resolve("data").resolve("dev.jsonl")), InputKind.POINTWISE);
    PointwisePredictions p;
    try (CrossEncoder model = CrossEncoder.load(run.resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      p = (PointwisePredictions) dev.predict(model);
    }
    assertThat(r.training().finalMetrics().get("calibration/ece")).isCloseTo(ece(p.scores(), p.labels(), 5), within(1e-6));
  }

  /** ECE: the sum over equal-width bins of |sum of labels - sum of probabilities| / n. */
  private static double ece(double[] probabilities, double[] labels, int bins) {
    double[] gap = new double[bins];
    for (int i = 0; i < probabilities.length; i++) {
      int b = Math.min((int) Math.floor(probabilities[i] * bins), bins - 1);
      gap[b] += labels[i] - probabilities[i];
    }
    double sum = 0;
    for (double g : gap) {
      sum += Math.abs(g);
    }
    return sum / probabilities.length;
  }
}
