package dev.ce4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.internal.RegularFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sentence-transformers / Hugging Face cross-encoder folder: {@code config.json}, {@code
 * model.safetensors} (tensor names as transformers writes them), {@code tokenizer.json}, and
 * optionally {@code tokenizer_config.json} and {@code special_tokens_map.json}.
 *
 * <p>The maximum sequence length is taken from {@code config.json}'s {@code
 * "sentence_transformers": {"max_length"}} (written by {@code ce} and sentence-transformers 4),
 * else from {@code sentence_bert_config.json}'s {@code max_seq_length}, else from {@code
 * tokenizer_config.json}'s {@code model_max_length} (written by transformers and
 * sentence-transformers 5 and later), capped at {@code max_position_embeddings}, else {@code
 * max_position_embeddings}. The activation is taken from {@code
 * config_sentence_transformers.json}'s {@code activation_fn} (sentence-transformers 5 and later
 * write it there) when present, else from {@code config.json} (see {@link ConfigJson}).
 *
 * <p>Weights may be stored as F32, F16, BF16 or F64 (converted to F32 in Java). LayerNorm
 * parameters named {@code gamma}/{@code beta} (old checkpoints) are renamed {@code weight}/{@code
 * bias}; the non-parameter buffers an architecture names ({@link Architecture#isIgnoredBuffer},
 * such as BERT's {@code bert.embeddings.position_ids}) are ignored. A folder with only {@code pytorch_model.bin} (a
 * Python pickle) is refused with the command that converts it: {@code ce} never unpickles.
 *
 * <p>Writing replaces each file atomically ({@link AtomicFiles}: a temporary file in the folder,
 * then a rename), so a crash never leaves a half-written file under a final name. Stateless and thread-safe.
 */
public final class ModelFolder {
  /** The configuration file. */
  public static final String CONFIG = "config.json";

  /** The weights file. */
  public static final String WEIGHTS = "model.safetensors";

  /** The tokenizer file. */
  public static final String TOKENIZER = "tokenizer.json";

  /** The optional tokenizer configuration file. */
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  /** The optional special-tokens file. */
  public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

  /** sentence-transformers' own settings (5 and later: the cross-encoder's activation). */
  public static final String ST_CONFIG = "config_sentence_transformers.json";

  /** sentence-transformers' module settings (may hold {@code max_seq_length}). */
  public static final String ST_MODULE_CONFIG = "sentence_bert_config.json";

  /** The pickle weights file that is refused. */
  public static final String PICKLE = "pytorch_model.bin";

  /**
   * The largest {@code model_max_length} taken as a real limit (transformers writes 1e30 for none).
   */
  private static final long MAX_SANE_LENGTH = 1_000_000L;

  private ModelFolder() {}

  /**
   * The contents of a model folder, in Java memory.
   *
   * @param config the configuration, never null
   * @param weights the tensors by Hugging Face name, checked against the configuration, never null
   * @param tokenizer the tokenizer files, never null
   */
  public record Contents(
      ModelConfig config, LinkedHashMap<String, FloatTensor> weights, TokenizerFiles tokenizer) {
    /** Validates non-null fields. */
    public Contents {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(weights, "weights");
      Objects.requireNonNull(tokenizer, "tokenizer");
    }
  }

  /**
   * Reads a whole model folder.
   *
   * @param folder the folder, never null
   * @return the contents, never null
   * @throws InvalidInputException naming the file and the problem if anything is missing or
   *     damaged: a file that is not a regular file, a tokenizer whose ids do not fit {@code
   *     vocab_size}, weights that do not fit this Java VM's heap or hold a NaN or infinite value
   */
  public static Contents read(Path folder) {
    Objects.requireNonNull(folder, "folder");
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new InvalidInputException(
          folder
              + ": not a folder; a model is a folder holding "
              + CONFIG
              + ", "
              + WEIGHTS
              + " and "
              + TOKENIZER
              + " (give the folder, not one of its files)");
    }
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException(
          folder
              + ": no such model folder (it must hold "
              + CONFIG
              + ", "
              + WEIGHTS
              + " and "
              + TOKENIZER
              + ")");
    }
    ModelConfig config = readConfig(folder);
    TokenizerFiles tokenizer = TokenizerFiles.fromFolder(folder);
    tokenizer.checkFits(config, folder.resolve(CONFIG).toString());
    Path weightsFile = weightsFile(folder);
    ModelWeights.checkFitsInHeap(config, folder.resolve(CONFIG).toString());
    LinkedHashMap<String, FloatTensor> weights = readWeights(weightsFile, config);
    return new Contents(config, weights, tokenizer);
  }

  /**
   * Reads every tensor of a folder's {@code model.safetensors} as stored, without a configuration
   * to check names and shapes against: F16, BF16 and F64 converted to F32, {@code gamma}/{@code
   * beta} renamed {@code weight}/{@code bias}, the architecture's buffers ({@link
   * Architecture#isIgnoredBuffer}) skipped, and every value checked to be finite. For callers that complete
   * or replace some tensors themselves (a trainer adding a new head) and then check the whole set
   * with {@link ModelWeights#checkShapes}.
   *
   * @param folder the model folder, never null
   * @param architecture the architecture of the folder's configuration, never null
   * @return the tensors by Hugging Face name, in file order, never null
   * @throws InvalidInputException naming the file and the problem if {@code model.safetensors} is
   *     missing (or only {@code pytorch_model.bin} is there), not a regular file, damaged, stores a
   *     tensor twice under its old and new names, or holds a NaN or infinite value (naming the
   *     tensor and the index)
   */
  public static LinkedHashMap<String, FloatTensor> readStoredWeights(Path folder, Architecture architecture) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(architecture, "architecture");
    return readCanonical(weightsFile(folder), null, architecture, null);
  }

  /**
   * {@link #readStoredWeights(Path, Architecture)} for a known configuration: what the architecture
   * ignores for it ({@link Architecture#isIgnoredBuffer(String, ModelConfig)}) is skipped too.
   *
   * @param folder the model folder, never null
   * @param config the folder's configuration, never null
   * @return the tensors by Hugging Face name, in file order, never null
   * @throws InvalidInputException as {@link #readStoredWeights(Path, Architecture)}
   */
  public static LinkedHashMap<String, FloatTensor> readStoredWeights(Path folder, ModelConfig config) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(config, "config");
    return readCanonical(weightsFile(folder), null, config.architecture(), config);
  }

  /**
   * Reads a folder's configuration, resolving the maximum length as described in the class comment.
   *
   * @param folder the folder, never null
   * @return the configuration, never null
   * @throws InvalidInputException naming the file if {@code config.json} is missing or invalid or
   *     {@code tokenizer_config.json} is malformed
   */
  public static ModelConfig readConfig(Path folder) {
    Path file = folder.resolve(CONFIG);
    String json = ConfigJson.readString(file);
    ModelConfig config = ConfigJson.parse(json, file.toString());
    JsonNode st = ConfigJson.parseObject(json, file.toString()).get(ConfigJson.ST_BLOCK);
    boolean explicit = st != null && st.isObject() && st.hasNonNull("max_length");
    Path stConfig = folder.resolve(ST_CONFIG);
    JsonNode activation = optionalSetting(stConfig, "activation_fn");
    if (activation != null) {
      if (!activation.isTextual()) {
        throw new InvalidInputException(
            stConfig + ": \"activation_fn\" must be a string, got " + activation);
      }
      config = config.withActivation(ConfigJson.activationNamed(activation.asText(), stConfig.toString()));
    }
    if (explicit) {
      return config;
    }
    // each further source is read only when the ones before it say nothing
    Path module = folder.resolve(ST_MODULE_CONFIG);
    JsonNode seqLength = optionalSetting(module, "max_seq_length");
    if (seqLength != null) {
      if (!seqLength.canConvertToInt() || seqLength.asInt() < 4) {
        throw new InvalidInputException(
            module + ": \"max_seq_length\" must be an integer of at least 4, got " + seqLength);
      }
      return config.withMaxLength(Math.min(seqLength.asInt(), config.maxPositions()));
    }
    JsonNode m = optionalSetting(folder.resolve(TOKENIZER_CONFIG), "model_max_length");
    if (m != null && m.isNumber() && m.asDouble() >= 4 && m.asDouble() <= MAX_SANE_LENGTH) {
      config = config.withMaxLength((int) Math.min(m.asLong(), config.maxPositions()));
    }
    return config;
  }

  /** A key of an optional JSON file of the folder; null when the file or the key is absent. */
  private static JsonNode optionalSetting(Path file, String key) {
    if (!RegularFiles.isPresent(file)) {
      return null;
    }
    JsonNode value = ConfigJson.parseObject(ConfigJson.readString(file), file.toString()).get(key);
    return value == null || value.isNull() ? null : value;
  }

  /**
   * The weights file of a folder, refusing a pickle-only folder.
   *
   * @param folder the folder, never null
   * @return the path of {@code model.safetensors}, never null
   * @throws InvalidInputException if it is missing; when {@code pytorch_model.bin} is there
   *     instead, the message gives the command that converts it; if it is not a regular file (a
   *     FIFO, a directory, a dangling link), saying so
   */
  public static Path weightsFile(Path folder) {
    Path file = folder.resolve(WEIGHTS);
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      RegularFiles.requireRegularFile(file);
      return file;
    }
    if (Files.exists(folder.resolve(PICKLE))) {
      throw new InvalidInputException(
          folder.resolve(PICKLE)
              + ": this folder has only PyTorch pickle weights, which ce never loads (unpickling"
              + " can run arbitrary code). Convert them to "
              + WEIGHTS
              + " once with: python -c \"from transformers import"
              + " AutoModelForSequenceClassification as M;"
              + " M.from_pretrained('DIR').save_pretrained('DIR', safe_serialization=True)\""
              + " (DIR = "
              + folder
              + ")");
    }
    throw new InvalidInputException(file + ": file not found; a model folder needs " + WEIGHTS);
  }

  /**
   * Reads and checks a weights file against a configuration: F16, BF16 and F64 are converted to
   * F32, {@code gamma}/{@code beta} renamed, buffers skipped, then every name and shape checked.
   *
   * @param file the safetensors file, never null
   * @param config the configuration, never null
   * @return the tensors in transformers' order, never null
   * @throws InvalidInputException naming the file and tensor if the file is damaged, a tensor is
   *     missing, extra or of the wrong shape, or holds a NaN or infinite value
   */
  public static LinkedHashMap<String, FloatTensor> readWeights(Path file, ModelConfig config) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(config, "config");
    LinkedHashMap<String, long[]> expected = config.architecture().tensorShapes(config);
    LinkedHashMap<String, FloatTensor> byCanonical = readCanonical(file, expected, config.architecture(), config);
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (String name : expected.keySet()) {
      out.put(name, byCanonical.get(name));
    }
    return out;
  }

  /**
   * The tensors of a file by canonical name, finiteness checked; when {@code expected} is given,
   * names and shapes are checked against it before any data is read.
   */
  private static LinkedHashMap<String, FloatTensor> readCanonical(
      Path file, Map<String, long[]> expected, Architecture architecture, ModelConfig config) {
    SafeTensors.Header header = SafeTensors.readHeader(file);
    Map<String, String> rename = new LinkedHashMap<>();
    LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
    for (SafeTensors.TensorInfo t : header.tensors().values()) {
      if (config != null ? architecture.isIgnoredBuffer(t.name(), config) : architecture.isIgnoredBuffer(t.name())) {
        continue;
      }
      String canonical = canonicalName(t.name());
      if (shapes.containsKey(canonical)) {
        throw new InvalidInputException(
            file + ": tensor '" + canonical + "' is stored twice (under two names)");
      }
      rename.put(t.name(), canonical);
      shapes.put(canonical, t.shape());
    }
    if (expected != null) {
      ModelWeights.checkShapes(expected, shapes, file.toString());
    }
    LinkedHashMap<String, FloatTensor> raw = SafeTensors.readFloats(file, rename::containsKey);
    LinkedHashMap<String, FloatTensor> byCanonical = new LinkedHashMap<>();
    raw.forEach(
        (name, t) -> {
          ModelWeights.checkFinite(name, t, file.toString());
          byCanonical.put(rename.get(name), t);
        });
    return byCanonical;
  }

  /**
   * Writes a model folder (creating it if needed), each file atomically.
   *
   * @param folder the folder, never null
   * @param config the configuration, never null
   * @param weights the tensors by Hugging Face name, never null; checked against the configuration
   * @param tokenizer the tokenizer files, never null; {@code tokenizer_config.json} is written with
   *     {@code model_max_length} set to the configuration's maximum length (created minimal when
   *     absent)
   * @return the fingerprint of the weights written ({@link ModelFingerprint#of(Map)}), never null
   * @throws InvalidInputException if the weights do not match the configuration or one of them is
   *     NaN or infinite (nothing is written then)
   * @throws IOException if writing fails
   */
  public static String write(
      Path folder, ModelConfig config, Map<String, FloatTensor> weights, TokenizerFiles tokenizer)
      throws IOException {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(tokenizer, "tokenizer");
    LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
    weights.forEach((n, t) -> shapes.put(n, t.shape()));
    ModelWeights.checkShapes(config.architecture().tensorShapes(config), shapes, "weights to save");
    // a folder load would refuse is never written
    ModelWeights.checkFinite(weights, "weights to save in " + folder);
    Files.createDirectories(folder);
    AtomicFiles.write(
        folder.resolve(WEIGHTS), tmp -> SafeTensors.write(tmp, weights, DType.F32, Map.of("format", "pt")));
    AtomicFiles.write(folder.resolve(CONFIG), ConfigJson.toJson(config).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(folder.resolve(TOKENIZER),
        SentenceTransformersFiles.cleanTokenizer(tokenizer.tokenizerJson(), tokenizer.source()));
    AtomicFiles.write(folder.resolve(TOKENIZER_CONFIG), tokenizerConfig(tokenizer, config));
    if (tokenizer.specialTokensMapJson() != null) {
      AtomicFiles.write(folder.resolve(SPECIAL_TOKENS_MAP), tokenizer.specialTokensMapJson());
    }
    // sentence-transformers' own files, written or (saving over its folder) kept in agreement
    SentenceTransformersFiles.write(folder, config);
    String fingerprint = ModelFingerprint.of(weights);
    Path card = folder.resolve(ModelCard.FILE);
    if (!Files.exists(card)) { // a card the folder has (the Hub's, a training run's) is the user's
      AtomicFiles.write(
          card, new ModelCard(config, fingerprint, List.of()).markdown().getBytes(StandardCharsets.UTF_8));
    }
    return fingerprint;
  }

  private static byte[] tokenizerConfig(TokenizerFiles tokenizer, ModelConfig config) {
    ObjectNode node;
    if (tokenizer.tokenizerConfigJson() != null) {
      String json = new String(tokenizer.tokenizerConfigJson(), StandardCharsets.UTF_8);
      node = (ObjectNode) ConfigJson.parseObject(json, TOKENIZER_CONFIG);
    } else {
      node = ConfigJson.mapper().createObjectNode();
      JsonNode tok =
          ConfigJson.parseObject(
              new String(tokenizer.tokenizerJson(), StandardCharsets.UTF_8), tokenizer.source());
      config.architecture().writeTokenizerConfig(tok, node);
    }
    node.put("model_max_length", config.maxLength());
    try {
      return ConfigJson.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  private static String canonicalName(String name) {
    if (name.endsWith(".LayerNorm.gamma")) {
      return name.substring(0, name.length() - "gamma".length()) + "weight";
    }
    if (name.endsWith(".LayerNorm.beta")) {
      return name.substring(0, name.length() - "beta".length()) + "bias";
    }
    return name;
  }
}
