package dev.ce4j.core.arch;

import dev.ce4j.core.model.ScoreActivation;
import java.util.List;
import java.util.Objects;

/**
 * The settings of {@code config.json} that every architecture reads the same way, parsed before
 * the architecture's own keys: the labels ({@code id2label} or {@code num_labels}), and the score
 * activation and maximum length sentence-transformers records. Immutable and thread-safe.
 *
 * @param labels the classifier's labels, at least one, never null
 * @param activation the activation a file names, or null for sentence-transformers' default for
 *     the number of labels ({@link ScoreActivation#defaultFor(int)})
 * @param maxLength the maximum length a file names, at least 4, or 0 for the model's {@link
 *     ModelConfig#maxPositions()}
 */
public record ClassifierSettings(List<String> labels, ScoreActivation activation, int maxLength) {
  /** Validates and copies. */
  public ClassifierSettings {
    labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("there must be at least one label (num_labels >= 1)");
    }
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be 0 or positive, got " + maxLength);
    }
  }

  /**
   * The activation: the one named, else sentence-transformers' default.
   *
   * @return the activation, never null
   */
  public ScoreActivation effectiveActivation() {
    return activation != null ? activation : ScoreActivation.defaultFor(labels.size());
  }

  /**
   * The maximum length: the one named, else the model's limit.
   *
   * @param maxPositions the model's {@link ModelConfig#maxPositions()}
   * @return the length, never null
   */
  public int effectiveMaxLength(int maxPositions) {
    return maxLength > 0 ? maxLength : maxPositions;
  }
}
