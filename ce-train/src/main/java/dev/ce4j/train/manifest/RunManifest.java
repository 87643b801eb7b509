package dev.ce4j.train.manifest;

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
import dev.ce4j.train.config.TrainingArguments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The manifest of a training run, {@code run.json}: what was asked ({@link #arguments()}), with
 * which seeds and data, on which software and hardware, and what came out (a fingerprint per
 * checkpoint, the final fingerprint, the metrics of every evaluation).
 *
 * <p>JSON layout (fields in this order): {@code formatVersion}, {@code arguments} (the canonical
 * JSON of {@link TrainingArguments}), {@code argumentsSha256}, {@code seeds} ({@code master},
 * {@code data}, {@code strategy}, {@code derived}), {@code dataFiles} ([{@code role, path,
 * sha256}]), {@code environment} (the fields of {@link RuntimeEnvironment}), {@code checkpoints}
 * ([{@code step, fingerprint}]), {@code finalFingerprint} (null until training ends), {@code
 * metrics} ([{@code step, epoch, values}]). Non-finite metric values are written as JSON {@code
 * null} and read back as NaN. Mapped with Jackson databind; the layout and the bytes written are
 * those of the field-by-field writer this replaced.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return updated copies.
 *
 * @param arguments the run's arguments, never null
 * @param seeds the seeds, never null
 * @param dataFiles every data file with its SHA-256, never null
 * @param environment software and hardware, never null
 * @param checkpoints the fingerprint of each checkpoint, in step order, never null
 * @param finalFingerprint the final model's fingerprint, or null while training
 * @param metrics each evaluation's metrics, in order, never null
 */
public record RunManifest(
    TrainingArguments arguments,
    RunSeeds seeds,
    List<DataFileDigest> dataFiles,
    RuntimeEnvironment environment,
    List<CheckpointFingerprint> checkpoints,
    String finalFingerprint,
    List<MetricsRecord> metrics) {

  /** The manifest's file name in an output folder. */
  public static final String FILE_NAME = "run.json";
  /** The layout version written and understood. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // the arguments' reader refuses a bad config with InvalidInputException: pass it on as it is
          .disable(DeserializationFeature.WRAP_EXCEPTIONS);
  /** The context attribute that names the arguments in their errors (see TrainingArgumentsJson). */
  private static final String ARGUMENTS_SOURCE = "ce.trainingArguments.source";

  /** Validates and copies. */
  public RunManifest {
    Objects.requireNonNull(arguments, "arguments");
    Objects.requireNonNull(seeds, "seeds");
    Objects.requireNonNull(environment, "environment");
    dataFiles = List.copyOf(dataFiles);
    checkpoints = List.copyOf(checkpoints);
    metrics = List.copyOf(metrics);
  }

  /**
   * A manifest at the start of a run: no checkpoints, fingerprint or metrics yet.
   *
   * @param arguments the arguments, never null
   * @param dataFiles the data files' digests, never null
   * @param environment the environment, never null
   * @return the manifest, never null
   */
  public static RunManifest start(
      TrainingArguments arguments, List<DataFileDigest> dataFiles, RuntimeEnvironment environment) {
    return new RunManifest(arguments, RunSeeds.of(arguments), dataFiles, environment, List.of(), null, List.of());
  }

  /**
   * This manifest with one more checkpoint (replacing an earlier entry of the same step).
   *
   * @param step the step
   * @param fingerprint the model fingerprint, never null
   * @return a new manifest, never null
   */
  public RunManifest withCheckpoint(long step, String fingerprint) {
    List<CheckpointFingerprint> list = new ArrayList<>();
    for (CheckpointFingerprint c : checkpoints) {
      if (c.step() != step) {
        list.add(c);
      }
    }
    list.add(new CheckpointFingerprint(step, fingerprint));
    list.sort((a, b) -> Long.compare(a.step(), b.step()));
    return new RunManifest(arguments, seeds, dataFiles, environment, list, finalFingerprint, metrics);
  }

  /**
   * This manifest with one more evaluation.
   *
   * @param record the metrics, never null
   * @return a new manifest, never null
   */
  public RunManifest withMetrics(MetricsRecord record) {
    List<MetricsRecord> list = new ArrayList<>(metrics);
    list.add(Objects.requireNonNull(record, "record"));
    return new RunManifest(arguments, seeds, dataFiles, environment, checkpoints, finalFingerprint, list);
  }

  /**
   * This manifest with the final fingerprint.
   *
   * @param fingerprint the fingerprint, never null
   * @return a new manifest, never null
   */
  public RunManifest withFinalFingerprint(String fingerprint) {
    return new RunManifest(
        arguments, seeds, dataFiles, environment, checkpoints, Objects.requireNonNull(fingerprint, "fingerprint"), metrics);
  }

  /**
   * This manifest as it stood at a checkpoint, for a resumed run: checkpoints and metrics after
   * {@code step} dropped, no final fingerprint, and the current environment.
   *
   * @param step the checkpoint's step
   * @param env the environment of the resumed process, never null
   * @return a new manifest, never null
   */
  public RunManifest truncatedTo(long step, RuntimeEnvironment env) {
    return new RunManifest(
        arguments,
        seeds,
        dataFiles,
        env,
        checkpoints.stream().filter(c -> c.step() <= step).toList(),
        null,
        metrics.stream().filter(m -> m.step() <= step).toList());
  }

  /**
   * Writes the manifest atomically.
   *
   * @param file the target, such as {@code OUTPUT/run.json}, never null
   * @throws IOException if writing fails; the old file is then unchanged
   */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The manifest as JSON (see the class comment), pretty-printed, with a final newline.
   *
   * @return the JSON, never null
   */
  public String toJson() {
    try {
      Layout layout =
          new Layout(
              FORMAT_VERSION, arguments, arguments.sha256(), seeds, dataFiles, environment,
              checkpoints, finalFingerprint, metrics);
      return MAPPER.writeValueAsString(layout) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * The JSON layout of format version 1, in file order; the sections are the records' own Jackson
   * mappings ({@link RunSeeds}, {@link DataFileDigest}, {@link RuntimeEnvironment}, {@link
   * CheckpointFingerprint}, {@link MetricsRecord}) and {@link TrainingArguments}' canonical JSON.
   */
  @JsonPropertyOrder({
    "formatVersion", "arguments", "argumentsSha256", "seeds", "dataFiles", "environment", "checkpoints",
    "finalFingerprint", "metrics"
  })
  private record Layout(
      @JsonProperty(value = "formatVersion", required = true) int formatVersion,
      @JsonProperty(value = "arguments", required = true) TrainingArguments arguments,
      @JsonProperty(value = "argumentsSha256", required = true) String argumentsSha256,
      @JsonProperty(value = "seeds", required = true) RunSeeds seeds,
      @JsonProperty(value = "dataFiles", required = true) List<DataFileDigest> dataFiles,
      @JsonProperty(value = "environment", required = true) RuntimeEnvironment environment,
      @JsonProperty(value = "checkpoints", required = true) List<CheckpointFingerprint> checkpoints,
      @JsonProperty("finalFingerprint") String finalFingerprint,
      @JsonProperty(value = "metrics", required = true) List<MetricsRecord> metrics) {}

  /**
   * Reads a manifest.
   *
   * @param file the file, never null
   * @return the manifest, never null
   * @throws InvalidInputException if the file is missing, malformed, of another format version, or
   *     its arguments do not match their recorded SHA-256; naming the file
   */
  public static RunManifest read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": run manifest not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    try {
      return fromJson(text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a manifest.
   *
   * @param json the JSON text, never null
   * @return the manifest, never null
   * @throws InvalidInputException if it is malformed or of another format version
   */
  public static RunManifest fromJson(String json) {
    Layout layout;
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new InvalidInputException("malformed run manifest: not a JSON object");
      }
      int version = req(root, "formatVersion").asInt(-1);
      if (version != FORMAT_VERSION) {
        throw new InvalidInputException(
            "run manifest format version " + req(root, "formatVersion") + " is not supported (this ce reads " + FORMAT_VERSION + ")");
      }
      req(root, "arguments");
      layout = MAPPER.readerFor(Layout.class).withAttribute(ARGUMENTS_SOURCE, "training arguments").readValue(root);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("malformed run manifest: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind a JSON tree", e);
    }
    TrainingArguments args = layout.arguments();
    String sha = layout.argumentsSha256();
    if (!sha.equals(args.sha256())) {
      throw new InvalidInputException(
          "the recorded arguments do not match their argumentsSha256 (" + sha + " vs " + args.sha256()
              + "); the manifest was edited or damaged");
    }
    try {
      return new RunManifest(
          args, layout.seeds(), layout.dataFiles(), layout.environment(), layout.checkpoints(),
          layout.finalFingerprint(), layout.metrics());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidInputException("malformed run manifest: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the optional {@code "perLabel"} object of a metrics record, as written to {@code run.json}
   * and {@code metrics.jsonl}: metric key to an array of numbers, {@code null} for NaN.
   *
   * @param record the record's JSON object, never null
   * @return the arrays in file order; empty when the record has none (as in files written before
   *     per-label metrics were logged); never null
   * @throws InvalidInputException if {@code perLabel} is not an object of arrays
   */
  public static Map<String, double[]> perLabel(JsonNode record) {
    Map<String, double[]> out = new LinkedHashMap<>();
    JsonNode node = record.get("perLabel");
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new InvalidInputException("malformed run manifest: 'perLabel' must be an object of arrays");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isArray()) {
        throw new InvalidInputException("malformed run manifest: perLabel '" + e.getKey() + "' must be an array");
      }
      double[] values = new double[e.getValue().size()];
      for (int i = 0; i < values.length; i++) {
        JsonNode v = e.getValue().get(i);
        values[i] = v.isNull() ? Double.NaN : v.asDouble();
      }
      out.put(e.getKey(), values);
    }
    return out;
  }

  private static JsonNode req(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw new InvalidInputException("malformed run manifest: missing field '" + field + "'");
    }
    return n;
  }
}
