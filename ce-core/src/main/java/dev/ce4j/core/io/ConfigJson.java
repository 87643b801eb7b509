package dev.ce4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.Architectures;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.arch.ConfigKeys;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.internal.JsonErrors;
import dev.ce4j.core.io.internal.RegularFiles;
import dev.ce4j.core.model.ScoreActivation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and writes a Hugging Face {@code config.json} of a cross-encoder.
 *
 * <p>Reading: {@code model_type} picks the {@link Architecture} (see {@link Architectures}), which
 * reads its own keys (missing optional ones take transformers' defaults); the keys every
 * architecture shares are read here. The number of labels comes from {@code id2label}, else {@code num_labels}, else 2 (as
 * in transformers). The activation comes from sentence-transformers' {@code
 * "sentence_transformers": {"activation_fn": ...}} (version 4 and later) or the older top-level
 * {@code sbert_ce_default_activation_function}, else its default (sigmoid for one label, identity
 * otherwise). The maximum length comes from {@code "sentence_transformers": {"max_length": N}} when
 * present (see {@link ModelFolder} for the other sources).
 *
 * <p>Writing produces what transformers' {@code AutoModelForSequenceClassification} and
 * sentence-transformers' {@code CrossEncoder} load unchanged. Stateless and thread-safe.
 */
public final class ConfigJson {
  /** The key of sentence-transformers' block in {@code config.json}. */
  public static final String ST_BLOCK = "sentence_transformers";

  /** The sentence-transformers version recorded in written files (the first with the block). */
  public static final String ST_VERSION = "4.0.1";

  /** The largest settings file read ({@code config.json} and its siblings are a few kB). */
  static final long MAX_JSON_BYTES = 64L << 20;

  private static final String LEGACY_ACTIVATION = "sbert_ce_default_activation_function";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private ConfigJson() {}

  /**
   * Reads a {@code config.json} file.
   *
   * @param file the file, never null
   * @return the configuration, never null
   * @throws InvalidInputException if the file is missing, malformed, of another {@code model_type}
   *     or has an invalid field, naming the file and the field
   */
  public static ModelConfig read(Path file) {
    return parse(readString(file), file.toString());
  }

  /**
   * Parses the contents of a {@code config.json}: the shared keys here, the rest by the
   * architecture its {@code model_type} names ({@link Architectures}).
   *
   * @param json the JSON text, never null
   * @param source the file name for error messages, never null
   * @return the configuration, never null
   * @throws InvalidInputException if the text is malformed, its {@code model_type} is missing or
   *     served by no architecture on the class path, or a field is invalid, naming {@code source}
   *     and the field
   */
  public static ModelConfig parse(String json, String source) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(source, "source");
    return parse((ObjectNode) parseObject(json, source), source);
  }

  /**
   * Reads a {@code config.json} file whose {@code model_type} may be given from outside (a
   * config written by hand for {@code ce init --model-type}).
   *
   * @param file the file, never null
   * @param modelType the model type to use when the file names none, or null to require one in
   *     the file
   * @return the configuration, never null
   * @throws InvalidInputException as {@link #read(Path)}, or if the file names another {@code
   *     model_type} than {@code modelType}
   */
  public static ModelConfig read(Path file, String modelType) {
    String source = file.toString();
    ObjectNode root = (ObjectNode) parseObject(readString(file), source);
    if (modelType != null) {
      JsonNode named = root.get("model_type");
      if (named != null && !named.isNull() && !modelType.equals(named.asText())) {
        throw new InvalidInputException(
            source + ": \"model_type\" is " + named + " but --model-type says \"" + modelType
                + "\"; give one of them, or the same in both");
      }
      root.put("model_type", modelType);
    }
    return parse(root, source);
  }

  private static ModelConfig parse(ObjectNode root, String source) {
    Architectures architectures = Architectures.load();
    JsonNode type = root.get("model_type");
    if (type == null || type.isNull()) {
      throw new InvalidInputException(
          source + ": no \"model_type\"; a config must name the model's architecture, one of "
              + String.join(", ", architectures.modelTypes()) + " (see ce architectures; ce init also takes"
              + " --model-type)");
    }
    if (!type.isTextual()) {
      throw new InvalidInputException(source + ": \"model_type\" must be a string, got " + type);
    }
    Architecture architecture = architectures.forModelType(type.asText(), source);
    return architecture.parseConfig(root, settings(root, source), source);
  }

  /** The labels, activation and maximum length: the keys every architecture shares. */
  private static ClassifierSettings settings(JsonNode root, String source) {
    List<String> labels = labels(root, source);
    JsonNode st = root.get(ST_BLOCK);
    if (st != null && !st.isNull() && !st.isObject()) {
      throw new InvalidInputException(source + ": \"" + ST_BLOCK + "\" must be a JSON object");
    }
    String activationName = null;
    int maxLength = 0;
    if (st != null && st.isObject()) {
      ConfigKeys block = new ConfigKeys(st, source + " (" + ST_BLOCK + ")");
      activationName = block.text("activation_fn", null);
      maxLength = block.integer("max_length", 0);
      if (st.hasNonNull("max_length") && maxLength < 4) {
        // 0 or less would silently mean "the model's longest" to the builder
        throw new InvalidInputException(
            source
                + ": \""
                + ST_BLOCK
                + "\": {\"max_length\"} must be at least 4 (a pair needs three special tokens),"
                + " got "
                + maxLength);
      }
    }
    if (activationName == null) {
      activationName = new ConfigKeys(root, source).text(LEGACY_ACTIVATION, null);
    }
    return new ClassifierSettings(labels, activationNamed(activationName, source), maxLength);
  }

  /**
   * Writes a configuration as {@code config.json} text: the architecture's keys and the shared ones
   * ({@code id2label}, {@code label2id}, sentence-transformers' block), sorted as transformers
   * sorts them.
   *
   * @param config the configuration, never null
   * @return pretty-printed JSON, never null
   */
  public static String toJson(ModelConfig config) {
    Objects.requireNonNull(config, "config");
    ObjectNode written = JSON.createObjectNode();
    config.architecture().writeConfig(config, written);
    ObjectNode id2label = written.putObject("id2label");
    ObjectNode label2id = written.putObject("label2id");
    for (int i = 0; i < config.numLabels(); i++) {
      id2label.put(Integer.toString(i), config.labels().get(i));
      label2id.put(config.labels().get(i), i);
    }
    ObjectNode st = written.putObject(ST_BLOCK);
    st.put("activation_fn", config.activation().className());
    st.put("max_length", config.maxLength());
    st.put("version", ST_VERSION);
    written.put("torch_dtype", "float32");
    ObjectNode root = JSON.createObjectNode();
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    written.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
    sorted.forEach(root::set);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /**
   * The activation a sentence-transformers class name stands for.
   *
   * @param className the class name, or null
   * @param source the file it came from, for the message
   * @return the activation, or null when {@code className} is null
   * @throws InvalidInputException naming the file if {@code ce} does not support the class
   */
  static ScoreActivation activationNamed(String className, String source) {
    if (className == null) {
      return null;
    }
    ScoreActivation activation = ScoreActivation.fromClassName(className);
    if (activation == null) {
      List<String> known = new ArrayList<>();
      for (ScoreActivation a : ScoreActivation.values()) {
        known.add(a.className());
      }
      throw new InvalidInputException(
          source + ": unsupported activation function '" + className + "'; supported: " + known);
    }
    return activation;
  }

  /**
   * Reads a JSON settings file of a model folder as text, refusing anything but a non-empty regular
   * file (a FIFO would block the read).
   */
  static String readString(Path file) {
    return RegularFiles.readString(file, MAX_JSON_BYTES);
  }

  static JsonNode parseObject(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(source + ": malformed JSON at " + JsonErrors.describe(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(source + ": malformed JSON: the top level must be an object");
    }
    return root;
  }

  static ObjectMapper mapper() {
    return JSON;
  }

  private static List<String> labels(JsonNode root, String source) {
    JsonNode id2label = root.get("id2label");
    if (id2label != null && !id2label.isNull()) {
      if (!id2label.isObject() || id2label.size() == 0) {
        throw new InvalidInputException(
            source + ": \"id2label\" must be a non-empty object such as {\"0\": \"LABEL_0\"}");
      }
      TreeMap<Integer, String> byId = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : id2label.properties()) {
        int id;
        try {
          id = Integer.parseInt(e.getKey());
        } catch (NumberFormatException ex) {
          throw new InvalidInputException(
              source + ": \"id2label\" key '" + e.getKey() + "' is not an integer");
        }
        JsonNode name = e.getValue();
        if (!name.isTextual() && !name.isNumber()) {
          throw new InvalidInputException(
              source
                  + ": \"id2label\" must map each id to a label name, but '"
                  + e.getKey()
                  + "' maps to "
                  + name);
        }
        byId.put(id, name.asText());
      }
      if (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1) {
        throw new InvalidInputException(
            source
                + ": \"id2label\" keys must be 0 to "
                + (byId.size() - 1)
                + ", got "
                + byId.keySet());
      }
      JsonNode num = root.get("num_labels");
      if (num != null
          && !num.isNull()
          && !(num.canConvertToInt() && num.isIntegralNumber() && num.asInt() == byId.size())) {
        throw new InvalidInputException(
            source
                + ": \"num_labels\" is "
                + num
                + " but \"id2label\" names "
                + byId.size()
                + (byId.size() == 1 ? " label" : " labels")
                + "; make them agree (or remove num_labels: id2label decides)");
      }
      return new ArrayList<>(byId.values());
    }
    int n = new ConfigKeys(root, source).integer("num_labels", 2);
    if (n < 1) {
      throw new InvalidInputException(source + ": \"num_labels\" must be at least 1, got " + n);
    }
    if (n > ModelConfig.MAX_LABELS) {
      throw new InvalidInputException(
          source
              + ": \"num_labels\" "
              + n
              + " is more than ce supports (at most "
              + ModelConfig.MAX_LABELS
              + ")");
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add("LABEL_" + i);
    }
    return labels;
  }
}
