package dev.ce4j.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.AtomicFiles;
import dev.ce4j.train.sampling.DataPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The trainer's state at a checkpoint, {@code trainer_state.json}: what, besides the weights and
 * the optimiser moments, a resumed run needs to continue exactly.
 *
 * <p>JSON: {@code {"formatVersion": 1, "globalStep": N, "epoch": E, "batchIndex": B, "bestMetric":
 * x or null, "bestStep": S or null, "evaluationsWithoutImprovement": K, "rngStates": {...},
 * "extra": {...}}}, maps sorted by key; {@code extra} is laid out as {@link TrainerStateExtra} says
 * (doubles as the hex digits of their bits, so that they round-trip exactly). Mapped with Jackson
 * databind ({@code Layout}); every field but {@code bestMetric} and {@code bestStep} is required.
 *
 * @param globalStep optimisation steps taken, at least 0
 * @param position the next batch to train, never null
 * @param bestMetric the best value of the metric for the best model so far, or NaN if none
 * @param bestStep the step of the best evaluation so far, or -1 if none
 * @param evaluationsWithoutImprovement evaluations since the best one (for early stopping)
 * @param rngStates every random generator's state by name (opaque strings; bytes in Base64),
 *     never null
 * @param extra the trainer's own entries (optimiser step counts, loss accumulator, best checkpoint,
 *     schedule), never null
 */
public record TrainerState(
    long globalStep,
    DataPosition position,
    double bestMetric,
    long bestStep,
    int evaluationsWithoutImprovement,
    Map<String, String> rngStates,
    TrainerStateExtra extra) {
  /** The layout version written and understood. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Validates and copies (maps sorted by key). */
  public TrainerState {
    if (globalStep < 0) {
      throw new IllegalArgumentException("globalStep must be >= 0, got " + globalStep);
    }
    Objects.requireNonNull(position, "position");
    if (bestStep < -1 || evaluationsWithoutImprovement < 0) {
      throw new IllegalArgumentException("bestStep >= -1 and evaluationsWithoutImprovement >= 0 needed");
    }
    rngStates = Collections.unmodifiableMap(new TreeMap<>(rngStates));
    Objects.requireNonNull(extra, "extra");
  }

  /**
   * The state as JSON (see the class comment), with a final newline.
   *
   * @return the JSON, never null
   */
  public String toJson() {
    Layout layout =
        new Layout(
            FORMAT_VERSION, globalStep, position.epoch(), position.batchIndex(),
            Double.isNaN(bestMetric) ? null : bestMetric, bestStep < 0 ? null : bestStep,
            evaluationsWithoutImprovement, new TreeMap<>(rngStates), extra);
    try {
      return MAPPER.writeValueAsString(layout) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * Writes the state atomically.
   *
   * @param file the target, never null
   * @throws IOException if writing fails
   */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a state file.
   *
   * @param file the file, never null
   * @return the state, never null
   * @throws InvalidInputException if it is missing or malformed, naming the file
   */
  public static TrainerState read(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": trainer state not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a state.
   *
   * @param json the JSON, never null
   * @return the state, never null
   * @throws InvalidInputException if it is malformed or of another format version
   */
  public static TrainerState fromJson(String json) {
    JsonNode tree;
    Layout o;
    try {
      tree = MAPPER.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw new InvalidInputException("malformed trainer state: not a JSON object");
      }
      JsonNode version = tree.get("formatVersion");
      if (version == null || version.isNull()) {
        throw missing("formatVersion");
      }
      if (version.asInt(-1) != FORMAT_VERSION) {
        throw new InvalidInputException("trainer state format version " + version + " is not supported");
      }
      o = MAPPER.treeToValue(tree, Layout.class);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed trainer state: " + e.getOriginalMessage(), e);
    }
    require(o.globalStep, "globalStep");
    require(o.epoch, "epoch");
    require(o.batchIndex, "batchIndex");
    require(o.evaluationsWithoutImprovement, "evaluationsWithoutImprovement");
    require(o.rngStates, "rngStates");
    require(o.extra, "extra");
    try {
      return new TrainerState(
          o.globalStep,
          new DataPosition(o.epoch, o.batchIndex),
          o.bestMetric == null ? Double.NaN : o.bestMetric,
          o.bestStep == null ? -1 : o.bestStep,
          o.evaluationsWithoutImprovement,
          o.rngStates,
          o.extra);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("malformed trainer state: " + e.getMessage(), e);
    }
  }

  /** The JSON layout of format version 1, field by field in file order. */
  @JsonPropertyOrder({
    "formatVersion", "globalStep", "epoch", "batchIndex", "bestMetric", "bestStep",
    "evaluationsWithoutImprovement", "rngStates", "extra"
  })
  private record Layout(
      @JsonProperty("formatVersion") Integer formatVersion,
      @JsonProperty("globalStep") Long globalStep,
      @JsonProperty("epoch") Long epoch,
      @JsonProperty("batchIndex") Integer batchIndex,
      @JsonProperty("bestMetric") @JsonInclude(JsonInclude.Include.ALWAYS) Double bestMetric,
      @JsonProperty("bestStep") @JsonInclude(JsonInclude.Include.ALWAYS) Long bestStep,
      @JsonProperty("evaluationsWithoutImprovement") Integer evaluationsWithoutImprovement,
      @JsonProperty("rngStates") TreeMap<String, String> rngStates,
      @JsonProperty("extra") TrainerStateExtra extra) {}

  private static void require(Object value, String field) {
    if (value == null) {
      throw missing(field);
    }
  }

  private static InvalidInputException missing(String field) {
    return new InvalidInputException("malformed trainer state: missing field '" + field + "'");
  }
}
