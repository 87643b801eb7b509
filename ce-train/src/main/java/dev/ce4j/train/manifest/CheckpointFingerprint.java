package dev.ce4j.train.manifest;

import java.util.Objects;

/**
 * The fingerprint of the model saved in a checkpoint.
 *
 * @param step the checkpoint's optimisation step
 * @param fingerprint the model fingerprint (64 hex digits), never null
 */
public record CheckpointFingerprint(long step, String fingerprint) {
  /** Validates. */
  public CheckpointFingerprint {
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
