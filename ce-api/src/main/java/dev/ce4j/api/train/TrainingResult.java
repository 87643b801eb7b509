package dev.ce4j.api.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a finished training run produced.
 *
 * @param outputDirectory the run's output folder (model, manifest, metrics), never null
 * @param fingerprint SHA-256 (hex) over the final model's tensors, never null
 * @param steps the number of optimisation steps taken
 * @param finalMetrics the last evaluation's metrics by key, in the order given, never null (empty if
 *     none ran); copied
 */
public record TrainingResult(Path outputDirectory, String fingerprint, long steps, Map<String, Double> finalMetrics) {
  /** Validates and copies. */
  public TrainingResult {
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(fingerprint, "fingerprint");
    finalMetrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(finalMetrics));
  }
}
