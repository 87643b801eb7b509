package dev.ce4j.core.arch.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.arch.ConfigKeys;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * ModernBERT, as transformers 5's {@code ModernBertForSequenceClassification}: a token embedding
 * with LayerNorm (no positions, no token types: type ids are ignored), pre-LayerNorm layers with
 * rotary self-attention, global every {@code global_attn_every_n_layers} layers and within a
 * sliding window of {@code local_attention} tokens otherwise, a GeGLU feed-forward block, a final
 * LayerNorm, CLS or mean pooling and the head {@code classifier(dropout(norm(act(dense(pooled)))))}.
 * The forward pass is {@link ModernBertClassifier}; scoring runs the same operators as one
 * TorchScript call ({@link ModernBertScript}). Stateless and thread-safe.
 */
@AutoService(Architecture.class)
public final class ModernBertArchitecture implements Architecture {
  /** The instance {@link ModernBertConfig#architecture()} returns. */
  public static final ModernBertArchitecture INSTANCE = new ModernBertArchitecture();

  private static final String HEAD = "head.";
  private static final String CLASSIFIER = ModernBertTensors.CLASSIFIER + ".";

  /** Creates the architecture; {@link java.util.ServiceLoader} calls this. */
  public ModernBertArchitecture() {
    // stateless
  }

  @Override
  public String id() {
    return ModernBertConfig.MODEL_TYPE;
  }

  @Override
  public List<String> modelTypes() {
    return List.of(ModernBertConfig.MODEL_TYPE);
  }

  @Override
  public String description() {
    return "ModernBERT, as transformers' " + ModernBertConfig.ARCHITECTURE;
  }

  /**
   * Reads every key of transformers 5's {@code ModernBertConfig} with its defaults: the sizes,
   * activations, biases, dropouts, pooling, window and token ids, and the rotary thetas from either
   * layout transformers reads: {@code rope_parameters} ({@code full_attention} / {@code
   * sliding_attention}, each {@code rope_theta} and {@code rope_type}) with {@code layer_types}, as
   * transformers 5 writes them, or {@code global_rope_theta}, {@code local_rope_theta} and {@code
   * global_attn_every_n_layers}, as the checkpoints on the Hub have them. When both give a value
   * they must agree.
   *
   * @throws InvalidInputException naming {@code source} and the key when a key is missing, of the
   *     wrong type or out of range, names an unsupported variant (a {@code rope_type} other than
   *     {@code default}, rope scaling, an activation other than gelu, relu and silu, a pooling other
   *     than cls and mean), or contradicts another ({@code layer_types} that do not follow {@code
   *     global_attn_every_n_layers}, two different thetas for one layer type, {@code hidden_size}
   *     not a multiple of {@code num_attention_heads}, ...)
   */
  @Override
  public ModernBertConfig parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    int layers = keys.integer("num_hidden_layers", 22);
    int every = keys.integer("global_attn_every_n_layers", 3);
    if (every < 1) {
      throw new InvalidInputException(source + ": \"global_attn_every_n_layers\" must be at least 1, got " + every);
    }
    checkLayerTypes(keys, layers, every);
    if (keys.has("rope_scaling")) {
      throw new InvalidInputException(source + ": \"rope_scaling\" " + config.get("rope_scaling")
          + " is not supported; ce supports ModernBERT with the plain rotary embedding (rope_type \"default\")");
    }
    JsonNode rope = config.get("rope_parameters");
    if (rope != null && !rope.isNull() && !rope.isObject()) {
      throw new InvalidInputException(source + ": \"rope_parameters\" must be an object, got " + rope);
    }
    if (rope != null && rope.isObject()) {
      rope.fieldNames().forEachRemaining(k -> {
        if (!k.equals(ModernBertConfig.FULL_ATTENTION) && !k.equals(ModernBertConfig.SLIDING_ATTENTION)) {
          throw new InvalidInputException(source + ": \"rope_parameters\" has the key \"" + k + "\"; ModernBERT's "
              + "are \"full_attention\" and \"sliding_attention\", each {\"rope_theta\", \"rope_type\"}");
        }
      });
    }
    double global = theta(keys, rope, ModernBertConfig.FULL_ATTENTION, "global_rope_theta",
        ModernBertConfig.DEFAULT_GLOBAL_ROPE_THETA);
    double local = theta(keys, rope, ModernBertConfig.SLIDING_ATTENTION, "local_rope_theta",
        ModernBertConfig.DEFAULT_LOCAL_ROPE_THETA);
    String pooling = keys.text("classifier_pooling", ModernBertConfig.CLS);
    if (!ModernBertConfig.CLS.equals(pooling) && !ModernBertConfig.MEAN.equals(pooling)) {
      throw new InvalidInputException(source + ": unsupported \"classifier_pooling\" '" + pooling
          + "'; ModernBERT pools with \"cls\" or \"mean\"");
    }
    for (String key : List.of("hidden_activation", "classifier_activation")) {
      String act = keys.text(key, ModernBertConfig.GELU);
      if (!ModernBertConfig.ACTIVATIONS.contains(act)) {
        throw new InvalidInputException(source + ": unsupported \"" + key + "\" '" + act
            + "'; ce supports ModernBERT with \"gelu\" (exact GELU), \"relu\" and \"silu\"");
      }
    }
    try {
      return ModernBertConfig.builder()
          .vocabSize(keys.integer("vocab_size", 50368))
          .hiddenSize(keys.integer("hidden_size", 768))
          .intermediateSize(keys.integer("intermediate_size", 1152))
          .numHiddenLayers(layers)
          .numAttentionHeads(keys.integer("num_attention_heads", 12))
          .hiddenActivation(keys.text("hidden_activation", ModernBertConfig.GELU))
          .maxPositionEmbeddings(keys.integer("max_position_embeddings", 8192))
          .initializerRange(keys.number("initializer_range", 0.02))
          .initializerCutoffFactor(config.has("initializer_cutoff_factor")
              ? keys.optionalNumber("initializer_cutoff_factor")
              : Double.valueOf(2.0))
          .normEps(keys.number("norm_eps", 1e-5))
          .normBias(keys.bool("norm_bias", false))
          .padTokenId(keys.integer("pad_token_id", 50283))
          .eosTokenId(tokenId(keys, config, "eos_token_id", 50282))
          .bosTokenId(tokenId(keys, config, "bos_token_id", 50281))
          .clsTokenId(tokenId(keys, config, "cls_token_id", 50281))
          .sepTokenId(tokenId(keys, config, "sep_token_id", 50282))
          .attentionBias(keys.bool("attention_bias", false))
          .attentionDropout(keys.number("attention_dropout", 0.0))
          .globalAttnEveryNLayers(every)
          .globalRopeTheta(global)
          .localRopeTheta(local)
          .localAttention(keys.integer("local_attention", 128))
          .embeddingDropout(keys.number("embedding_dropout", 0.0))
          .mlpBias(keys.bool("mlp_bias", false))
          .mlpDropout(keys.number("mlp_dropout", 0.0))
          .decoderBias(keys.bool("decoder_bias", true))
          .classifierPooling(pooling)
          .classifierDropout(keys.number("classifier_dropout", 0.0))
          .classifierBias(keys.bool("classifier_bias", false))
          .classifierActivation(keys.text("classifier_activation", ModernBertConfig.GELU))
          .deterministicFlashAttn(keys.bool("deterministic_flash_attn", false))
          .sparsePrediction(keys.bool("sparse_prediction", false))
          .sparsePredIgnoreIndex(keys.integer("sparse_pred_ignore_index", -100))
          .tieWordEmbeddings(keys.bool("tie_word_embeddings", true))
          .labels(settings.labels())
          .activation(settings.activation())
          .maxLength(settings.maxLength())
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  /** A special token id: transformers' default when absent, null when the file says null. */
  private static Integer tokenId(ConfigKeys keys, JsonNode config, String key, int def) {
    if (!config.has(key)) {
      return def;
    }
    return keys.has(key) ? keys.integer(key, def) : null;
  }

  /**
   * {@code layer_types} must list one entry per layer and follow {@code global_attn_every_n_layers}:
   * transformers takes each layer's window from the latter and its rotary theta from the former, so
   * a disagreement would mix them.
   */
  private static void checkLayerTypes(ConfigKeys keys, int layers, int every) {
    JsonNode types = keys.json().get("layer_types");
    if (types == null || types.isNull()) {
      return;
    }
    String source = keys.source();
    if (!types.isArray() || types.size() != layers) {
      throw new InvalidInputException(source + ": \"layer_types\" must be a list of " + layers
          + " entries (num_hidden_layers), got " + types);
    }
    for (int i = 0; i < layers; i++) {
      JsonNode t = types.get(i);
      String want = i % every == 0 ? ModernBertConfig.FULL_ATTENTION : ModernBertConfig.SLIDING_ATTENTION;
      if (!t.isTextual() || !want.equals(t.asText())) {
        throw new InvalidInputException(source + ": \"layer_types\"[" + i + "] is " + t + " but \"global_attn_every_n_"
            + "layers\" " + every + " makes layer " + i + " \"" + want + "\" (transformers takes the window from "
            + "global_attn_every_n_layers and the rotary theta from layer_types): make them agree");
      }
    }
  }

  /**
   * The theta of one layer type: {@code rope_parameters[type].rope_theta}, else the old key, else
   * transformers' default; both present must agree, and the rope type must be {@code default}.
   */
  private static double theta(ConfigKeys keys, JsonNode rope, String type, String oldKey, double def) {
    String source = keys.source();
    Double old = keys.optionalNumber(oldKey);
    JsonNode p = rope != null && rope.isObject() ? rope.get(type) : null;
    if (p == null || p.isNull()) {
      return old != null ? old : def;
    }
    if (!p.isObject()) {
      throw new InvalidInputException(source + ": \"rope_parameters\".\"" + type + "\" must be an object, got " + p);
    }
    ConfigKeys params = new ConfigKeys(p, source + " rope_parameters." + type);
    p.fieldNames().forEachRemaining(k -> {
      if (!k.equals("rope_theta") && !k.equals("rope_type")) {
        throw new InvalidInputException(source + ": \"rope_parameters\".\"" + type + "\" has \"" + k + "\" "
            + p.get(k) + "; ce supports ModernBERT's plain rotary embedding, {\"rope_theta\", \"rope_type\": "
            + "\"default\"} only");
      }
    });
    String ropeType = params.text("rope_type", "default");
    if (!"default".equals(ropeType)) {
      throw new InvalidInputException(source + ": \"rope_parameters\".\"" + type + "\".\"rope_type\" '" + ropeType
          + "' is not supported; ce supports ModernBERT with rope_type \"default\" only");
    }
    Double theta = params.optionalNumber("rope_theta");
    if (theta != null && old != null && theta.doubleValue() != old.doubleValue()) {
      throw new InvalidInputException(source + ": \"rope_parameters\".\"" + type + "\".\"rope_theta\" is " + theta
          + " but \"" + oldKey + "\" is " + old + "; they are the same setting: remove " + oldKey
          + " or make them agree");
    }
    return theta != null ? theta : old != null ? old : def;
  }

  /**
   * Writes what transformers 5's {@code ModernBertConfig} writes: every key of the family,
   * {@code layer_types} and {@code rope_parameters} (the old {@code global_rope_theta} and {@code
   * local_rope_theta} are folded into it, as transformers does), {@code global_attn_every_n_layers}.
   */
  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode root) {
    ModernBertConfig c = modernbert(modelConfig);
    root.putArray("architectures").add(ModernBertConfig.ARCHITECTURE);
    root.put("attention_bias", c.attentionBias());
    root.put("attention_dropout", c.attentionDropout());
    putId(root, "bos_token_id", c.bosTokenId());
    root.put("classifier_activation", c.classifierActivation());
    root.put("classifier_bias", c.classifierBias());
    root.put("classifier_dropout", c.classifierDropout());
    root.put("classifier_pooling", c.classifierPooling());
    putId(root, "cls_token_id", c.clsTokenId());
    root.put("decoder_bias", c.decoderBias());
    root.put("deterministic_flash_attn", c.deterministicFlashAttn());
    root.put("embedding_dropout", c.embeddingDropout());
    putId(root, "eos_token_id", c.eosTokenId());
    root.put("global_attn_every_n_layers", c.globalAttnEveryNLayers());
    root.put("hidden_activation", c.hiddenActivation());
    root.put("hidden_size", c.hiddenSize());
    if (c.initializerCutoffFactor() != null) {
      root.put("initializer_cutoff_factor", c.initializerCutoffFactor());
    } else {
      root.putNull("initializer_cutoff_factor");
    }
    root.put("initializer_range", c.initializerRange());
    root.put("intermediate_size", c.intermediateSize());
    ArrayNode types = root.putArray("layer_types");
    c.layerTypes().forEach(types::add);
    root.put("local_attention", c.localAttention());
    root.put("max_position_embeddings", c.maxPositionEmbeddings());
    root.put("mlp_bias", c.mlpBias());
    root.put("mlp_dropout", c.mlpDropout());
    root.put("model_type", ModernBertConfig.MODEL_TYPE);
    root.put("norm_bias", c.normBias());
    root.put("norm_eps", c.normEps());
    root.put("num_attention_heads", c.numAttentionHeads());
    root.put("num_hidden_layers", c.numHiddenLayers());
    root.put("pad_token_id", c.padTokenId());
    ObjectNode rope = root.putObject("rope_parameters");
    rope.putObject(ModernBertConfig.FULL_ATTENTION).put("rope_theta", c.globalRopeTheta()).put("rope_type", "default");
    rope.putObject(ModernBertConfig.SLIDING_ATTENTION).put("rope_theta", c.localRopeTheta())
        .put("rope_type", "default");
    putId(root, "sep_token_id", c.sepTokenId());
    root.put("sparse_pred_ignore_index", c.sparsePredIgnoreIndex());
    root.put("sparse_prediction", c.sparsePrediction());
    root.put("tie_word_embeddings", c.tieWordEmbeddings());
    root.put("vocab_size", c.vocabSize());
  }

  private static void putId(ObjectNode root, String key, Integer id) {
    if (id != null) {
      root.put(key, id);
    } else {
      root.putNull(key);
    }
  }

  /**
   * ModernBERT's tokenizer class, {@code PreTrainedTokenizerFast} (transformers 5 maps it onto its
   * {@code tokenizers} backend), which returns no token type ids: the model takes none.
   */
  @Override
  public void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    tokenizerConfig.put("tokenizer_class", "PreTrainedTokenizerFast");
    tokenizerConfig.putArray("model_input_names").add("input_ids").add("attention_mask");
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig config) {
    return ModernBertTensors.shapes(modernbert(config));
  }

  /**
   * The masked-LM head's {@code decoder.weight} and {@code decoder.bias}, which checkpoints of
   * {@code ModernBertForMaskedLM} (such as answerdotai/ModernBERT-base) store: skipped, as
   * transformers skips them when it loads such a checkpoint for sequence classification (it keeps
   * {@code model.*} and the prediction head {@code head.*}, whose names are the classifier's, and
   * initialises {@code classifier}).
   */
  @Override
  public boolean isIgnoredBuffer(String name) {
    return name.equals("decoder.weight") || name.equals("decoder.bias");
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith(HEAD) || name.startsWith(CLASSIFIER);
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith(CLASSIFIER);
  }

  /**
   * Biases and every LayerNorm weight: the embeddings' {@code norm}, {@code attn_norm}, {@code
   * mlp_norm}, {@code final_norm} and {@code head.norm}.
   */
  @Override
  public boolean isNoDecay(String name) {
    return name.endsWith(".bias") || name.endsWith("norm.weight");
  }

  /**
   * As transformers' {@code ModernBertPreTrainedModel._init_weights}: truncated normal weights (cut
   * at {@code initializer_cutoff_factor} standard deviations, 3 when null) with standard deviation
   * {@code initializer_range} for {@code tok_embeddings}, {@code Wqkv} and {@code Wi}, {@code
   * initializer_range / sqrt(2 num_hidden_layers)} for the attention's and the MLP's {@code Wo} and
   * {@code head.dense}, {@code hidden_size^-0.5} for {@code classifier}; zero biases; LayerNorm
   * weights 1 and biases 0. The padding row of the embedding is drawn like the others (transformers'
   * initialisation overwrites it).
   */
  @Override
  public FloatTensor initialTensor(ModelConfig modelConfig, String name, long seed) {
    ModernBertConfig c = modernbert(modelConfig);
    long[] shape = ModernBertTensors.shapes(c).get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "' in a ModernBERT model");
    }
    if (name.endsWith("norm.weight")) {
      return WeightInit.filled(shape, 1f);
    }
    if (name.endsWith(".bias")) {
      return WeightInit.filled(shape, 0f);
    }
    double range = c.initializerRange();
    double std;
    if (name.equals(ModernBertTensors.CLASSIFIER + ".weight")) {
      std = Math.pow(c.hiddenSize(), -0.5);
    } else if (name.endsWith("attn.Wo.weight") || name.endsWith("mlp.Wo.weight")
        || name.equals(ModernBertTensors.HEAD_DENSE + ".weight")) {
      std = range / Math.sqrt(2.0 * c.numHiddenLayers());
    } else {
      std = range;
    }
    return WeightInit.truncatedNormal(name, shape, std, c.effectiveCutoffFactor(), seed);
  }

  @Override
  public ModernBertClassifier classifier(ModelWeights weights) {
    return new ModernBertClassifier(weights);
  }

  /**
   * The generated TorchScript pass ({@link ModernBertScript}): the eager pass's operators in one
   * call, bit for bit its logits. No oneDNN variant yet: {@code onednn} is ignored.
   */
  @Override
  public Optional<ScoringPass> scoringPass(ModelWeights weights, boolean onednn) {
    return Optional.of(ModernBertScript.compile(weights));
  }

  static ModernBertConfig modernbert(ModelConfig config) {
    if (!(config instanceof ModernBertConfig c)) {
      throw new IllegalArgumentException("a ModernBERT configuration is needed, got " + config.modelType());
    }
    return c;
  }
}
