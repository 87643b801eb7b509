package dev.ce4j.train.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * "extra": {...}}}, maps sorted by key.
 *
 * @param globalStep optimisation steps taken, at least 0
 * @param position the next batch to train, never null
 * @param bestMetric the best value of the metric for the best model so far, or NaN if none
 * @param bestStep the step of the best evaluation so far, or -1 if none
 * @param evaluationsWithoutImprovement evaluations since the best one (for early stopping)
 * @param rngStates every random generator's state by name (opaque strings; bytes in Base64),
 *     never null
 * @param extra further trainer entries by name, such as the scheduler's state, never null
 */
public record TrainerState(
    long globalStep,
    DataPosition position,
    double bestMetric,
    long bestStep,
    int evaluationsWithoutImprovement,
    Map<String, String> rngStates,
    Map<String, String> extra) {
  /** The layout version written and understood. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT);

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
    extra = Collections.unmodifiableMap(new TreeMap<>(extra));
  }

  /**
   * The state as JSON (see the class comment), with a final newline.
   *
   * @return the JSON, never null
   */
  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("formatVersion", FORMAT_VERSION);
    o.put("globalStep", globalStep);
    o.put("epoch", position.epoch());
    o.put("batchIndex", position.batchIndex());
    if (Double.isNaN(bestMetric)) {
      o.putNull("bestMetric");
    } else {
      o.put("bestMetric", bestMetric);
    }
    if (bestStep < 0) {
      o.putNull("bestStep");
    } else {
      o.put("bestStep", bestStep);
    }
    o.put("evaluationsWithoutImprovement", evaluationsWithoutImprovement);
    ObjectNode r = o.putObject("rngStates");
    rngStates.forEach(r::put);
    ObjectNode x = o.putObject("extra");
    extra.forEach(x::put);
    try {
      return MAPPER.writeValueAsString(o) + "\n";
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
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed trainer state: " + e.getOriginalMessage(), e);
    }
    if (o == null || !o.isObject()) {
      throw new InvalidInputException("malformed trainer state: not a JSON object");
    }
    if (req(o, "formatVersion").asInt(-1) != FORMAT_VERSION) {
      throw new InvalidInputException("trainer state format version " + o.get("formatVersion") + " is not supported");
    }
    JsonNode best = o.get("bestMetric");
    JsonNode bestStep = o.get("bestStep");
    try {
      return new TrainerState(
          req(o, "globalStep").asLong(),
          new DataPosition(req(o, "epoch").asLong(), req(o, "batchIndex").asInt()),
          best == null || best.isNull() ? Double.NaN : best.asDouble(),
          bestStep == null || bestStep.isNull() ? -1 : bestStep.asLong(),
          req(o, "evaluationsWithoutImprovement").asInt(),
          strings(req(o, "rngStates")),
          strings(req(o, "extra")));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("malformed trainer state: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static JsonNode req(JsonNode o, String f) {
    JsonNode n = o.get(f);
    if (n == null || n.isNull()) {
      throw new InvalidInputException("malformed trainer state: missing field '" + f + "'");
    }
    return n;
  }
}
