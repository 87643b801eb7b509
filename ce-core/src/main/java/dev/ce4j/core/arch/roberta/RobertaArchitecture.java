package dev.ce4j.core.arch.roberta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.arch.ConfigKeys;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.arch.encoder.EncoderLayout;
import dev.ce4j.core.arch.encoder.EncoderScript;
import dev.ce4j.core.arch.encoder.ReducedPrecisionScript;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * RoBERTa and XLM-RoBERTa, as transformers' {@code RobertaForSequenceClassification} and {@code
 * XLMRobertaForSequenceClassification} (the same model; {@code XLMRobertaConfig} is {@code
 * RobertaConfig} under another {@code model_type}): word + token type + position embeddings with
 * positions counted after the padding index from the token ids, BERT's post-LayerNorm encoder
 * layers, and a head of {@code dropout, dense, tanh, dropout, out_proj} on the first token, run by
 * the shared encoder ({@link EncoderClassifier}, with this family's {@link #layout}). The head is
 * {@code classifier.*} (a pretrained encoder such as {@code xlm-roberta-base} gets it from the
 * seed); its output layer is {@code classifier.out_proj.*}. Scoring runs the pass as one
 * TorchScript call ({@link EncoderScript}), with oneDNN products on the CPU where they are right
 * for the model's shapes.
 *
 * <p>Refused, naming the key: a {@code position_embedding_type} other than {@code absolute}, a
 * decoder ({@code is_decoder}, {@code add_cross_attention}), pruned heads, a {@code hidden_act}
 * other than {@code gelu}. Stateless and thread-safe.
 */
@AutoService(Architecture.class)
public final class RobertaArchitecture implements Architecture {
  /** The instance {@link RobertaConfig#architecture()} returns. */
  public static final RobertaArchitecture INSTANCE = new RobertaArchitecture();

  /** The architecture's id. */
  public static final String ID = "roberta";

  private static final String OUTPUT_LAYER = RobertaTensors.HEAD_OUTPUT + ".";

  /** Creates the architecture; {@link java.util.ServiceLoader} calls this. */
  public RobertaArchitecture() {
    // stateless
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public List<String> modelTypes() {
    return List.of(RobertaConfig.ROBERTA, RobertaConfig.XLM_ROBERTA);
  }

  @Override
  public String description() {
    return "RoBERTa and XLM-RoBERTa, as transformers' " + RobertaConfig.ROBERTA_ARCHITECTURE + " and "
        + RobertaConfig.XLM_ROBERTA_ARCHITECTURE;
  }

  /**
   * Reads the keys of transformers' {@code RobertaConfig}, with its defaults for absent ones
   * ({@code type_vocab_size} 2, {@code layer_norm_eps} 1e-12, {@code pad_token_id} 1, ...; the
   * sizes {@code vocab_size}, {@code hidden_size}, {@code num_hidden_layers}, {@code
   * num_attention_heads} and {@code intermediate_size} are required).
   */
  @Override
  public RobertaConfig parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    String modelType = keys.text("model_type", null);
    if (modelType == null || !modelTypes().contains(modelType)) {
      throw new InvalidInputException(source + ": \"model_type\" is " + config.get("model_type")
          + "; the roberta architecture reads \"roberta\" and \"xlm-roberta\"");
    }
    String posType = keys.text("position_embedding_type", "absolute");
    if (!"absolute".equals(posType)) {
      throw new InvalidInputException(source + ": unsupported position_embedding_type '" + posType
          + "'; ce supports \"absolute\" only");
    }
    if (keys.bool("is_decoder", false)) {
      throw new InvalidInputException(source + ": \"is_decoder\" is true: a decoder attends causally,"
          + " a cross-encoder reads both texts at once; ce supports is_decoder false only");
    }
    if (keys.bool("add_cross_attention", false)) {
      throw new InvalidInputException(source + ": \"add_cross_attention\" is true: cross-attention"
          + " layers belong to an encoder-decoder model; ce supports add_cross_attention false only");
    }
    JsonNode pruned = config.get("pruned_heads");
    if (pruned != null && !pruned.isNull() && !(pruned.isObject() && pruned.isEmpty())) {
      throw new InvalidInputException(source + ": \"pruned_heads\" is " + pruned
          + "; ce supports models without pruned attention heads only ({})");
    }
    try {
      return RobertaConfig.builder()
          .modelType(modelType)
          .vocabSize(keys.requiredInt("vocab_size"))
          .hiddenSize(keys.requiredInt("hidden_size"))
          .numHiddenLayers(keys.requiredInt("num_hidden_layers"))
          .numAttentionHeads(keys.requiredInt("num_attention_heads"))
          .intermediateSize(keys.requiredInt("intermediate_size"))
          .hiddenAct(keys.text("hidden_act", RobertaConfig.GELU))
          .hiddenDropoutProb(keys.number("hidden_dropout_prob", 0.1))
          .attentionProbsDropoutProb(keys.number("attention_probs_dropout_prob", 0.1))
          .maxPositionEmbeddings(keys.integer("max_position_embeddings", 512))
          .typeVocabSize(keys.integer("type_vocab_size", 2))
          .initializerRange(keys.number("initializer_range", 0.02))
          .layerNormEps(keys.number("layer_norm_eps", 1e-12))
          .padTokenId(keys.integer("pad_token_id", 1))
          .bosTokenId(optionalId(config, keys, "bos_token_id", 0))
          .eosTokenId(optionalId(config, keys, "eos_token_id", 2))
          .classifierDropout(keys.optionalNumber("classifier_dropout"))
          .labels(settings.labels())
          .activation(settings.activation())
          .maxLength(settings.maxLength())
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  /** A token id key: transformers' default when absent, null when {@code null}. */
  private static Integer optionalId(JsonNode config, ConfigKeys keys, String key, int def) {
    if (!config.has(key)) {
      return def;
    }
    return keys.has(key) ? keys.integer(key, def) : null;
  }

  /**
   * Writes what transformers 5's {@code RobertaConfig} writes ({@code XLMRobertaConfig} for {@code
   * xlm-roberta}): the {@code model_type} and {@code architectures} of the configuration read, and
   * every key.
   */
  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode root) {
    RobertaConfig config = roberta(modelConfig);
    root.put("add_cross_attention", false);
    root.putArray("architectures").add(config.architectureName());
    root.put("attention_probs_dropout_prob", config.attentionProbsDropoutProb());
    putId(root, "bos_token_id", config.bosTokenId());
    if (config.classifierDropout() == null) {
      root.putNull("classifier_dropout");
    } else {
      root.put("classifier_dropout", config.classifierDropout());
    }
    putId(root, "eos_token_id", config.eosTokenId());
    root.put("hidden_act", config.hiddenAct());
    root.put("hidden_dropout_prob", config.hiddenDropoutProb());
    root.put("hidden_size", config.hiddenSize());
    root.put("initializer_range", config.initializerRange());
    root.put("intermediate_size", config.intermediateSize());
    root.put("is_decoder", false);
    root.put("layer_norm_eps", config.layerNormEps());
    root.put("max_position_embeddings", config.maxPositionEmbeddings());
    root.put("model_type", config.modelType());
    root.put("num_attention_heads", config.numAttentionHeads());
    root.put("num_hidden_layers", config.numHiddenLayers());
    root.put("pad_token_id", config.padTokenId());
    root.put("tie_word_embeddings", true);
    root.put("type_vocab_size", config.typeVocabSize());
    root.put("use_cache", true);
    root.put("vocab_size", config.vocabSize());
  }

  private static void putId(ObjectNode root, String key, Integer id) {
    if (id == null) {
      root.putNull(key);
    } else {
      root.put(key, id);
    }
  }

  /**
   * The tokenizer class transformers uses for the kind of tokenizer: {@code RobertaTokenizer} for
   * byte-level BPE, with {@code add_prefix_space} and {@code trim_offsets} as {@code
   * tokenizer.json}'s pre-tokenizer and post-processor have them (transformers' RoBERTa tokenizer
   * rewrites them to its own defaults otherwise); {@code XLMRobertaTokenizer} for a SentencePiece
   * Unigram model. Nothing for another kind (transformers then goes by {@code model_type}).
   */
  @Override
  public void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    String kind = tokenizerJson.path("model").path("type").asText("");
    if (kind.equals("BPE")) {
      tokenizerConfig.put("tokenizer_class", "RobertaTokenizer");
      JsonNode byteLevel = byteLevel(tokenizerJson.path("pre_tokenizer"));
      if (byteLevel != null && byteLevel.path("add_prefix_space").isBoolean()) {
        tokenizerConfig.put("add_prefix_space", byteLevel.get("add_prefix_space").asBoolean());
      }
      JsonNode post = tokenizerJson.path("post_processor");
      if (post.path("trim_offsets").isBoolean()) {
        tokenizerConfig.put("trim_offsets", post.get("trim_offsets").asBoolean());
      }
    } else if (kind.equals("Unigram")) {
      tokenizerConfig.put("tokenizer_class", "XLMRobertaTokenizer");
    }
  }

  /** The ByteLevel pre-tokenizer, alone or in a Sequence; null if there is none. */
  private static JsonNode byteLevel(JsonNode preTokenizer) {
    if ("ByteLevel".equals(preTokenizer.path("type").asText())) {
      return preTokenizer;
    }
    for (JsonNode p : preTokenizer.path("pretokenizers")) {
      if ("ByteLevel".equals(p.path("type").asText())) {
        return p;
      }
    }
    return null;
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig config) {
    return RobertaTensors.shapes(roberta(config));
  }

  /**
   * The buffers transformers' {@code RobertaEmbeddings} registers ({@code position_ids}, {@code
   * token_type_ids}), which checkpoints saved by transformers before 4.31 carry.
   */
  @Override
  public boolean isIgnoredBuffer(String name) {
    return name.equals("roberta.embeddings.position_ids") || name.equals("roberta.embeddings.token_type_ids");
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith(RobertaTensors.HEAD_PREFIX);
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith(OUTPUT_LAYER);
  }

  /**
   * As transformers' {@code RobertaPreTrainedModel._init_weights}: normal(0, {@code
   * initializer_range}) for Linear and Embedding weights, zero biases, LayerNorm weight 1 and bias
   * 0, and the padding row ({@code pad_token_id}) zero in both embeddings built with a {@code
   * padding_idx}: the word embedding and the position embedding (not the token type embedding).
   */
  @Override
  public FloatTensor initialTensor(ModelConfig modelConfig, String name, long seed) {
    RobertaConfig config = roberta(modelConfig);
    long[] shape = RobertaTensors.shapes(config).get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "'");
    }
    if (name.contains("LayerNorm.")) {
      return WeightInit.filled(shape, name.endsWith(".weight") ? 1f : 0f);
    }
    if (name.endsWith(".bias")) {
      return WeightInit.filled(shape, 0f);
    }
    FloatTensor t = WeightInit.normal(name, shape, config.initializerRange(), seed);
    boolean paddingIdx = name.equals(RobertaTensors.WORD_EMBEDDINGS) || name.equals(RobertaTensors.POSITION_EMBEDDINGS);
    return paddingIdx ? WeightInit.zeroRow(t, config.padTokenId()) : t;
  }

  @Override
  public EncoderClassifier classifier(ModelWeights weights) {
    return new EncoderClassifier(weights, layout(roberta(weights.config())));
  }

  /**
   * RoBERTa's table for the shared encoder: {@code roberta.encoder.layer.N.*} names (BERT's),
   * word + token type + position embeddings with positions counted after {@code pad_token_id}
   * ({@link EncoderLayout.Positions#AFTER_PADDING}), exact GELU, and the classification head
   * {@code classifier.dense} ({@code tanh}) then {@code classifier.out_proj}, with dropout before
   * each.
   *
   * @param config the configuration, never null
   * @return the layout, never null
   */
  public static EncoderLayout layout(RobertaConfig config) {
    float eps = (float) config.layerNormEps();
    return new EncoderLayout(
        config.hiddenSize(), config.numAttentionHeads(), config.numHiddenLayers(), config.intermediateSize(), eps,
        new EncoderLayout.Embeddings(
            RobertaTensors.WORD_EMBEDDINGS, RobertaTensors.POSITION_EMBEDDINGS, RobertaTensors.TOKEN_TYPE_EMBEDDINGS,
            RobertaTensors.EMBEDDINGS_NORM, eps, config.hiddenSize(), null, EncoderLayout.Positions.AFTER_PADDING,
            config.padTokenId()),
        RobertaTensors.LAYERS,
        EncoderLayout.Activation.GELU,
        new EncoderLayout.Head(RobertaTensors.HEAD_DENSE, EncoderLayout.Activation.TANH, RobertaTensors.HEAD_OUTPUT, true),
        new EncoderLayout.Dropout(
            config.hiddenDropoutProb(), config.attentionProbsDropoutProb(), config.effectiveClassifierDropout(), true));
  }

  /**
   * The generated TorchScript pass: with oneDNN products when {@code onednn} and they are right for
   * the model's shapes on this CPU (checked when compiling), else with the eager pass's operators,
   * bit for bit.
   */
  @Override
  public Optional<ScoringPass> scoringPass(ModelWeights weights, boolean onednn) {
    return Optional.of(EncoderScript.scoringPass(weights, layout(roberta(weights.config())), onednn));
  }

  /** The int8 or bfloat16 TorchScript pass of the encoder layout ({@link ReducedPrecisionScript}). */
  @Override
  public Optional<ScoringPass> reducedPrecisionPass(
      ModelWeights weights, dev.ce4j.core.CrossEncoderOptions.Precision precision) {
    return Optional.of(ReducedPrecisionScript.compile(weights, layout(roberta(weights.config())), precision));
  }

  private static RobertaConfig roberta(ModelConfig config) {
    if (!(config instanceof RobertaConfig c)) {
      throw new IllegalArgumentException("a RoBERTa configuration is needed, got " + config.modelType());
    }
    return c;
  }
}
