package dev.ce4j.train.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ce4j.train.data.DataFiles;
import java.util.Objects;

/**
 * A data file of a run and its SHA-256.
 *
 * @param role what the file is for: {@code train}, or {@code eval:<evaluator name>}; never null
 * @param path the file path as configured, never null
 * @param sha256 the SHA-256 of its bytes, 64 hex digits, never null
 */
@JsonPropertyOrder({"role", "path", "sha256"})
public record DataFileDigest(
    @JsonProperty(value = "role", required = true) String role,
    @JsonProperty(value = "path", required = true) String path,
    @JsonProperty(value = "sha256", required = true) String sha256) {
  /** Validates. */
  public DataFileDigest {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
  }

  /**
   * Digests a file.
   *
   * @param role the role, never null
   * @param file the file, never null
   * @return the digest, never null
   * @throws dev.ce4j.api.InvalidInputException if the file cannot be read
   */
  public static DataFileDigest of(String role, java.nio.file.Path file) {
    return new DataFileDigest(role, file.toString(), DataFiles.sha256(file));
  }
}
