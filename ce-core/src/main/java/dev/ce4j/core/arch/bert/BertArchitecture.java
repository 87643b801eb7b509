package dev.ce4j.core.arch.bert;

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
 * BERT, as transformers' {@code BertForSequenceClassification}: word, position and token type
 * embeddings, post-LayerNorm encoder layers, a {@code tanh} pooler on the first token and a linear
 * classifier, run by the shared encoder ({@link EncoderClassifier}, with BERT's {@link #layout}).
 * The head is the pooler and the classifier (an encoder exported without them, such as
 * all-MiniLM-L6-v2, gets both from the seed). Scoring runs the pass as one TorchScript call ({@link
 * EncoderScript}), with oneDNN products on the CPU where they are right for the model's shapes.
 * Stateless and thread-safe.
 */
@AutoService(Architecture.class)
public final class BertArchitecture implements Architecture {
  /** The instance {@link BertConfig#architecture()} returns. */
  public static final BertArchitecture INSTANCE = new BertArchitecture();

  private static final String POOLER = BertTensors.ENCODER_PREFIX + "pooler.";
  private static final String CLASSIFIER = "classifier.";

  /** Creates the architecture; {@link java.util.ServiceLoader} calls this. */
  public BertArchitecture() {
    // stateless
  }

  @Override
  public String id() {
    return BertConfig.MODEL_TYPE;
  }

  @Override
  public List<String> modelTypes() {
    return List.of(BertConfig.MODEL_TYPE);
  }

  @Override
  public String description() {
    return "BERT, as transformers' " + BertConfig.ARCHITECTURE;
  }

  @Override
  public BertConfig parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    String posType = keys.text("position_embedding_type", "absolute");
    if (!"absolute".equals(posType)) {
      throw new InvalidInputException(
          source + ": unsupported position_embedding_type '" + posType + "'; ce supports \"absolute\" only");
    }
    try {
      return BertConfig.builder()
          .vocabSize(keys.requiredInt("vocab_size"))
          .hiddenSize(keys.requiredInt("hidden_size"))
          .numHiddenLayers(keys.requiredInt("num_hidden_layers"))
          .numAttentionHeads(keys.requiredInt("num_attention_heads"))
          .intermediateSize(keys.requiredInt("intermediate_size"))
          .hiddenAct(keys.text("hidden_act", BertConfig.GELU))
          .hiddenDropoutProb(keys.number("hidden_dropout_prob", 0.1))
          .attentionProbsDropoutProb(keys.number("attention_probs_dropout_prob", 0.1))
          .maxPositionEmbeddings(keys.integer("max_position_embeddings", 512))
          .typeVocabSize(keys.integer("type_vocab_size", 2))
          .initializerRange(keys.number("initializer_range", 0.02))
          .layerNormEps(keys.number("layer_norm_eps", 1e-12))
          .padTokenId(keys.integer("pad_token_id", 0))
          .classifierDropout(keys.optionalNumber("classifier_dropout"))
          .labels(settings.labels())
          .activation(settings.activation())
          .maxLength(settings.maxLength())
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode root) {
    BertConfig config = bert(modelConfig);
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
    root.put("initializer_range", config.initializerRange());
    root.put("intermediate_size", config.intermediateSize());
    root.put("layer_norm_eps", config.layerNormEps());
    root.put("max_position_embeddings", config.maxPositionEmbeddings());
    root.put("model_type", BertConfig.MODEL_TYPE);
    root.put("num_attention_heads", config.numAttentionHeads());
    root.put("num_hidden_layers", config.numHiddenLayers());
    root.put("pad_token_id", config.padTokenId());
    root.put("position_embedding_type", "absolute");
    root.put("type_vocab_size", config.typeVocabSize());
    root.put("use_cache", true);
    root.put("vocab_size", config.vocabSize());
  }

  /**
   * {@code BertTokenizer}, and {@code do_lower_case} as {@code tokenizer.json}'s normalizer does:
   * transformers' {@code BertTokenizerFast} rewrites the normalizer when they disagree.
   */
  @Override
  public void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    tokenizerConfig.put("tokenizer_class", "BertTokenizer");
    JsonNode normalizer = tokenizerJson.get("normalizer");
    if (normalizer != null && normalizer.has("lowercase")) {
      tokenizerConfig.put("do_lower_case", normalizer.get("lowercase").asBoolean());
    }
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig config) {
    return BertTensors.shapes(bert(config));
  }

  @Override
  public boolean isIgnoredBuffer(String name) {
    return name.equals("bert.embeddings.position_ids") || name.equals("bert.embeddings.token_type_ids");
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith(POOLER) || name.startsWith(CLASSIFIER);
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith(CLASSIFIER);
  }

  /**
   * As transformers' {@code BertPreTrainedModel._init_weights}: normal(0, {@code
   * initializer_range}) for Linear and Embedding weights, zero biases, LayerNorm weight 1 and bias
   * 0, and the padding row of the word embedding zero.
   */
  @Override
  public FloatTensor initialTensor(ModelConfig modelConfig, String name, long seed) {
    BertConfig config = bert(modelConfig);
    long[] shape = BertTensors.shapes(config).get(name);
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
    return name.equals("bert.embeddings.word_embeddings.weight") ? WeightInit.zeroRow(t, config.padTokenId()) : t;
  }

  @Override
  public EncoderClassifier classifier(ModelWeights weights) {
    return new EncoderClassifier(weights, layout(bert(weights.config())));
  }

  /**
   * BERT's table for the shared encoder: {@code bert.encoder.layer.N.*} names, word + token type +
   * position embeddings counted from 0, exact GELU, and the pooler ({@code tanh}) then the
   * classifier as the head.
   *
   * @param config the configuration, never null
   * @return the layout, never null
   */
  public static EncoderLayout layout(BertConfig config) {
    float eps = (float) config.layerNormEps();
    return new EncoderLayout(
        config.hiddenSize(), config.numAttentionHeads(), config.numHiddenLayers(), config.intermediateSize(), eps,
        new EncoderLayout.Embeddings(
            "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
            "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm", eps, config.hiddenSize(),
            null, EncoderLayout.Positions.FROM_ZERO, config.padTokenId()),
        BertTensors.LAYERS,
        EncoderLayout.Activation.GELU,
        new EncoderLayout.Head("bert.pooler.dense", EncoderLayout.Activation.TANH, "classifier", false),
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
    return Optional.of(EncoderScript.scoringPass(weights, layout(bert(weights.config())), onednn));
  }

  /** The int8 or bfloat16 TorchScript pass of the encoder layout ({@link ReducedPrecisionScript}). */
  @Override
  public Optional<ScoringPass> reducedPrecisionPass(
      ModelWeights weights, dev.ce4j.core.CrossEncoderOptions.Precision precision) {
    return Optional.of(ReducedPrecisionScript.compile(weights, layout(bert(weights.config())), precision));
  }

  private static BertConfig bert(ModelConfig config) {
    if (!(config instanceof BertConfig c)) {
      throw new IllegalArgumentException("a BERT configuration is needed, got " + config.modelType());
    }
    return c;
  }
}
