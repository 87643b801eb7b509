package dev.ce4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.internal.JsonErrors;
import dev.ce4j.core.io.internal.RegularFiles;
import dev.ce4j.core.model.BertConfig;
import dev.ce4j.core.model.ScoreActivation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and writes a Hugging Face {@code config.json} for a BERT cross-encoder.
 *
 * <p>Reading: {@code model_type} must be {@code bert}; missing optional fields take transformers'
 * defaults; the number of labels comes from {@code id2label}, else {@code num_labels}, else 2 (as
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
  public static BertConfig read(Path file) {
    return parse(readString(file), file.toString());
  }

  /**
   * Parses the contents of a {@code config.json}.
   *
   * @param json the JSON text, never null
   * @param source the file name for error messages, never null
   * @return the configuration, never null
   * @throws InvalidInputException if the text is malformed, of another {@code model_type} or has an
   *     invalid field, naming {@code source} and the field
   */
  public static BertConfig parse(String json, String source) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(source, "source");
    JsonNode root = parseObject(json, source);
    JsonNode type = root.get("model_type");
    if (type == null || type.isNull()) {
      throw new InvalidInputException(
          source
              + ": no \"model_type\"; a BERT cross-encoder config needs \"model_type\": \"bert\"");
    }
    if (!type.isTextual() || !BertConfig.MODEL_TYPE.equals(type.asText())) {
      throw new InvalidInputException(
          source
              + ": unsupported model_type "
              + type
              + "; ce supports \"bert\" (BertForSequenceClassification) only");
    }
    String posType = text(root, "position_embedding_type", "absolute", source);
    if (!"absolute".equals(posType)) {
      throw new InvalidInputException(
          source
              + ": unsupported position_embedding_type '"
              + posType
              + "'; ce supports \"absolute\" only");
    }
    List<String> labels = labels(root, source);
    JsonNode st = root.get(ST_BLOCK);
    if (st != null && !st.isNull() && !st.isObject()) {
      throw new InvalidInputException(source + ": \"" + ST_BLOCK + "\" must be a JSON object");
    }
    String activationName = null;
    int maxLength = 0;
    if (st != null && st.isObject()) {
      activationName = text(st, "activation_fn", null, source + " (" + ST_BLOCK + ")");
      maxLength = integer(st, "max_length", 0, source + " (" + ST_BLOCK + ")");
      if (st.hasNonNull("max_length") && maxLength < 4) {
        // 0 or less would silently mean "max_position_embeddings" to the builder
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
      activationName = text(root, LEGACY_ACTIVATION, null, source);
    }
    ScoreActivation activation = activationNamed(activationName, source);
    JsonNode cd = root.get("classifier_dropout");
    Double classifierDropout = null;
    if (cd != null && !cd.isNull()) {
      classifierDropout = number(root, "classifier_dropout", 0, source);
    }
    try {
      return BertConfig.builder()
          .vocabSize(requiredInt(root, "vocab_size", source))
          .hiddenSize(requiredInt(root, "hidden_size", source))
          .numHiddenLayers(requiredInt(root, "num_hidden_layers", source))
          .numAttentionHeads(requiredInt(root, "num_attention_heads", source))
          .intermediateSize(requiredInt(root, "intermediate_size", source))
          .hiddenAct(text(root, "hidden_act", BertConfig.GELU, source))
          .hiddenDropoutProb(number(root, "hidden_dropout_prob", 0.1, source))
          .attentionProbsDropoutProb(number(root, "attention_probs_dropout_prob", 0.1, source))
          .maxPositionEmbeddings(integer(root, "max_position_embeddings", 512, source))
          .typeVocabSize(integer(root, "type_vocab_size", 2, source))
          .initializerRange(number(root, "initializer_range", 0.02, source))
          .layerNormEps(number(root, "layer_norm_eps", 1e-12, source))
          .padTokenId(integer(root, "pad_token_id", 0, source))
          .classifierDropout(classifierDropout)
          .labels(labels)
          .activation(activation)
          .maxLength(maxLength)
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a configuration as {@code config.json} text.
   *
   * @param config the configuration, never null
   * @return pretty-printed JSON, never null
   */
  public static String toJson(BertConfig config) {
    Objects.requireNonNull(config, "config");
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add(BertConfig.ARCHITECTURE);
    root.put("attention_probs_dropout_prob", config.attentionProbsDropoutProb());
    if (config.classifierDropout() == null) {
      root.putNull("classifier_dropout");
    } else {
      root.put("classifier_dropout", config.classifierDropout());
    }
    root.put("hidden_act", config.hiddenAct());
    root.put("hidden_dropout_prob", config.hiddenDropoutProb());
    root.put("hidden_size", config.hiddenSize());
    ObjectNode id2label = root.putObject("id2label");
    ObjectNode label2id = JSON.createObjectNode();
    for (int i = 0; i < config.numLabels(); i++) {
      id2label.put(Integer.toString(i), config.labels().get(i));
      label2id.put(config.labels().get(i), i);
    }
    root.put("initializer_range", config.initializerRange());
    root.put("intermediate_size", config.intermediateSize());
    root.set("label2id", label2id);
    root.put("layer_norm_eps", config.layerNormEps());
    root.put("max_position_embeddings", config.maxPositionEmbeddings());
    root.put("model_type", BertConfig.MODEL_TYPE);
    root.put("num_attention_heads", config.numAttentionHeads());
    root.put("num_hidden_layers", config.numHiddenLayers());
    root.put("pad_token_id", config.padTokenId());
    root.put("position_embedding_type", "absolute");
    ObjectNode st = root.putObject(ST_BLOCK);
    st.put("activation_fn", config.activation().className());
    st.put("max_length", config.maxLength());
    st.put("version", ST_VERSION);
    root.put("torch_dtype", "float32");
    root.put("type_vocab_size", config.typeVocabSize());
    root.put("use_cache", true);
    root.put("vocab_size", config.vocabSize());
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
    int n = integer(root, "num_labels", 2, source);
    if (n < 1) {
      throw new InvalidInputException(source + ": \"num_labels\" must be at least 1, got " + n);
    }
    if (n > BertConfig.MAX_LABELS) {
      throw new InvalidInputException(
          source
              + ": \"num_labels\" "
              + n
              + " is more than ce supports (at most "
              + BertConfig.MAX_LABELS
              + ")");
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add("LABEL_" + i);
    }
    return labels;
  }

  private static int requiredInt(JsonNode root, String key, String source) {
    if (!root.has(key) || root.get(key).isNull()) {
      throw new InvalidInputException(source + ": required field \"" + key + "\" is missing");
    }
    return integer(root, key, 0, source);
  }

  private static int integer(JsonNode root, String key, int def, String source) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be an integer, got " + v);
    }
    if (!v.canConvertToInt()) {
      throw new InvalidInputException(
          source
              + ": \""
              + key
              + "\" is "
              + v
              + ", outside the integers ce accepts ("
              + Integer.MIN_VALUE
              + " to "
              + Integer.MAX_VALUE
              + ")");
    }
    return v.asInt();
  }

  private static double number(JsonNode root, String key, double def, String source) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isNumber()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static String text(JsonNode root, String key, String def, String source) {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be a string, got " + v);
    }
    return v.asText();
  }
}
