package dev.ce4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.CeVersion;
import dev.ce4j.core.arch.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files sentence-transformers 6 writes beside the Hugging Face ones, as {@code ce} writes them
 * into a model folder: {@code config_sentence_transformers.json} (the activation, the versions that
 * wrote the folder, {@code ce}'s among them), {@code modules.json} (one module, the transformer, at
 * the folder's root) and {@code sentence_bert_config.json} (the module's settings), each laid out as
 * sentence-transformers 6.0.1 writes them for a {@code CrossEncoder}. A file the folder already
 * has (saving over a folder sentence-transformers wrote) keeps what it holds, except the settings
 * that must agree with {@code config.json}: the activation, the maximum length where the file has
 * one, and {@code ce}'s version. The tokenizer is saved without the fixed truncation and padding an
 * export may carry ({@link #cleanTokenizer}). Stateless.
 */
final class SentenceTransformersFiles {
  /** The sentence-transformers release whose layout these files follow. */
  static final String ST_LAYOUT_VERSION = "6.0.1";

  /** {@code modules.json}. */
  static final String MODULES = "modules.json";

  private static final String MODULE_TYPE = "sentence_transformers.base.modules.transformer.Transformer";

  private SentenceTransformersFiles() {}

  /**
   * Writes or updates the three files in a folder.
   *
   * @param folder the model folder, never null
   * @param config the configuration saved in it, never null
   * @throws IOException if reading or writing fails
   */
  static void write(Path folder, ModelConfig config) throws IOException {
    Path stConfig = folder.resolve(ModelFolder.ST_CONFIG);
    ObjectNode st = Files.isRegularFile(stConfig) ? read(stConfig) : newStConfig();
    JsonNode versions = st.get("__version__");
    ObjectNode v = versions instanceof ObjectNode o ? o : st.putObject("__version__");
    v.put("ce", CeVersion.get());
    st.put("activation_fn", config.activation().className());
    AtomicFiles.write(stConfig, bytes(st));

    Path modules = folder.resolve(MODULES);
    if (!Files.exists(modules)) {
      ArrayNode list = ConfigJson.mapper().createArrayNode();
      ObjectNode m = list.addObject();
      m.put("idx", 0);
      m.put("name", "0");
      m.put("path", "");
      m.put("type", MODULE_TYPE);
      AtomicFiles.write(modules, bytes(list));
    }

    Path moduleConfig = folder.resolve(ModelFolder.ST_MODULE_CONFIG);
    if (Files.isRegularFile(moduleConfig)) {
      ObjectNode node = read(moduleConfig);
      if (node.has("max_seq_length")) {
        node.put("max_seq_length", config.maxLength());
        AtomicFiles.write(moduleConfig, bytes(node));
      }
    } else if (!Files.exists(moduleConfig)) {
      ObjectNode node = ConfigJson.mapper().createObjectNode();
      node.put("transformer_task", "sequence-classification");
      ObjectNode text = node.putObject("modality_config").putObject("text");
      text.put("method", "forward");
      text.put("method_output_name", "logits");
      node.put("module_output_name", "scores");
      AtomicFiles.write(moduleConfig, bytes(node));
    }
  }

  /**
   * A {@code tokenizer.json} without fixed truncation and padding: {@code ce} (and
   * sentence-transformers) truncate to the model's maximum length and pad each batch to its
   * longest pair, but the {@code tokenizers} library alone applies what the file says, and an ONNX
   * export's tokenizer says "cut at 128, pad every pair to 128". The bytes are returned unchanged
   * when both are already null.
   *
   * @param tokenizerJson the file's bytes, never null
   * @param source the file, for messages, never null
   * @return the bytes to save, never null
   */
  static byte[] cleanTokenizer(byte[] tokenizerJson, String source) {
    ObjectNode node =
        (ObjectNode) ConfigJson.parseObject(new String(tokenizerJson, StandardCharsets.UTF_8), source);
    boolean truncated = node.hasNonNull("truncation");
    boolean padded = node.hasNonNull("padding");
    if (!truncated && !padded) {
      return tokenizerJson;
    }
    node.putNull("truncation");
    node.putNull("padding");
    return bytes(node);
  }

  private static ObjectNode newStConfig() {
    ObjectNode st = ConfigJson.mapper().createObjectNode();
    ObjectNode v = st.putObject("__version__");
    v.put("sentence_transformers", ST_LAYOUT_VERSION);
    st.putNull("activation_fn");
    st.putNull("default_prompt_name");
    st.put("model_type", "CrossEncoder");
    st.putObject("prompts");
    return st;
  }

  private static ObjectNode read(Path file) throws IOException {
    return (ObjectNode) ConfigJson.parseObject(ConfigJson.readString(file), file.toString());
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return ConfigJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
