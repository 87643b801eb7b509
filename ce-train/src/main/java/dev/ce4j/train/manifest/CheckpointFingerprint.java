package dev.ce4j.train.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * The fingerprint of the model saved in a checkpoint.
 *
 * @param step the checkpoint's optimisation step
 * @param fingerprint the model fingerprint (64 hex digits), never null
 */
@JsonPropertyOrder({"step", "fingerprint"})
public record CheckpointFingerprint(
    @JsonProperty(value = "step", required = true) long step,
    @JsonProperty(value = "fingerprint", required = true) String fingerprint) {
  /** Validates. */
  public CheckpointFingerprint {
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
