package dev.ce4j.core.arch.electra;

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
 * ELECTRA, as transformers' {@code ElectraForSequenceClassification}: the discriminator's body
 * (word, position and token type embeddings of {@code embedding_size}, their LayerNorm, a linear
 * projection to {@code hidden_size} when the two differ, then BERT's post-LayerNorm layers) and
 * ELECTRA's classification head on the first token ({@code dropout → dense → GELU → dropout →
 * out_proj}; GELU whatever {@code hidden_act} says), run by the shared encoder ({@link
 * EncoderClassifier}, with ELECTRA's {@link #layout}).
 *
 * <p>The head is {@code classifier.*}; a folder without it, such as an {@code
 * ElectraForPreTraining} checkpoint ({@code google/electra-base-discriminator}), gets it from the
 * seed when a training run starts from it, and {@code CrossEncoder.load} refuses it, naming the
 * missing tensor. The pre-training head such checkpoints carry ({@code discriminator_predictions.*},
 * the replaced-token detector) and the {@code position_ids} / {@code token_type_ids} buffers of
 * older checkpoints are skipped when reading, as transformers drops them when it loads an {@code
 * ElectraForSequenceClassification}. Scoring runs the pass as one TorchScript call ({@link
 * EncoderScript}), with oneDNN products on the CPU where they are right for the model's shapes.
 * Stateless and thread-safe.
 */
@AutoService(Architecture.class)
public final class ElectraArchitecture implements Architecture {
  /** The instance {@link ElectraConfig#architecture()} returns. */
  public static final ElectraArchitecture INSTANCE = new ElectraArchitecture();

  /** Prefix of the pre-training head of {@code ElectraForPreTraining} checkpoints, skipped. */
  public static final String PRETRAINING_HEAD_PREFIX = "discriminator_predictions.";

  /** Creates the architecture; {@link java.util.ServiceLoader} calls this. */
  public ElectraArchitecture() {
    // stateless
  }

  @Override
  public String id() {
    return ElectraConfig.MODEL_TYPE;
  }

  @Override
  public List<String> modelTypes() {
    return List.of(ElectraConfig.MODEL_TYPE);
  }

  @Override
  public String description() {
    return "ELECTRA (discriminator body), as transformers' " + ElectraConfig.ARCHITECTURE;
  }

  /**
   * Reads ELECTRA's keys with transformers' defaults. {@code vocab_size}, {@code embedding_size},
   * {@code hidden_size}, {@code num_hidden_layers}, {@code num_attention_heads} and {@code
   * intermediate_size} are required (a default would silently make a model of other sizes). A
   * missing {@code position_embedding_type} means absolute (transformers 5 writes none); any other
   * value is refused, as is {@code is_decoder: true} (a causal mask) and a {@code hidden_act} other
   * than {@code gelu}. The {@code summary_*} keys are read by transformers' multiple-choice head
   * only, not by sequence classification, and are ignored.
   */
  @Override
  public ElectraConfig parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    String posType = keys.text("position_embedding_type", "absolute");
    if (!"absolute".equals(posType)) {
      throw new InvalidInputException(source + ": unsupported position_embedding_type '" + posType
          + "'; ce supports \"absolute\" only");
    }
    if (keys.bool("is_decoder", false)) {
      throw new InvalidInputException(source + ": \"is_decoder\" is true (a causal attention mask); ce"
          + " supports ELECTRA as an encoder only (is_decoder false)");
    }
    try {
      return ElectraConfig.builder()
          .vocabSize(keys.requiredInt("vocab_size"))
          .embeddingSize(keys.requiredInt("embedding_size"))
          .hiddenSize(keys.requiredInt("hidden_size"))
          .numHiddenLayers(keys.requiredInt("num_hidden_layers"))
          .numAttentionHeads(keys.requiredInt("num_attention_heads"))
          .intermediateSize(keys.requiredInt("intermediate_size"))
          .hiddenAct(keys.text("hidden_act", ElectraConfig.GELU))
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

  /**
   * The keys transformers' {@code ElectraConfig} writes, with {@code position_embedding_type}
   * {@code "absolute"} (which transformers 4 reads) and the {@code summary_*} keys at
   * transformers' defaults (sequence classification does not read them).
   */
  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode root) {
    ElectraConfig config = electra(modelConfig);
    root.putArray("architectures").add(ElectraConfig.ARCHITECTURE);
    root.put("attention_probs_dropout_prob", config.attentionProbsDropoutProb());
    if (config.classifierDropout() == null) {
      root.putNull("classifier_dropout");
    } else {
      root.put("classifier_dropout", config.classifierDropout());
    }
    root.put("embedding_size", config.embeddingSize());
    root.put("hidden_act", config.hiddenAct());
    root.put("hidden_dropout_prob", config.hiddenDropoutProb());
    root.put("hidden_size", config.hiddenSize());
    root.put("initializer_range", config.initializerRange());
    root.put("intermediate_size", config.intermediateSize());
    root.put("layer_norm_eps", config.layerNormEps());
    root.put("max_position_embeddings", config.maxPositionEmbeddings());
    root.put("model_type", ElectraConfig.MODEL_TYPE);
    root.put("num_attention_heads", config.numAttentionHeads());
    root.put("num_hidden_layers", config.numHiddenLayers());
    root.put("pad_token_id", config.padTokenId());
    root.put("position_embedding_type", "absolute");
    root.put("summary_activation", "gelu");
    root.put("summary_last_dropout", 0.1);
    root.put("summary_type", "first");
    root.put("summary_use_proj", true);
    root.put("type_vocab_size", config.typeVocabSize());
    root.put("use_cache", true);
    root.put("vocab_size", config.vocabSize());
  }

  /**
   * {@code ElectraTokenizer} (a BERT WordPiece tokenizer), and {@code do_lower_case} as {@code
   * tokenizer.json}'s normalizer does: transformers rewrites the normalizer when they disagree.
   */
  @Override
  public void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    tokenizerConfig.put("tokenizer_class", "ElectraTokenizer");
    JsonNode normalizer = tokenizerJson.get("normalizer");
    if (normalizer != null && normalizer.has("lowercase")) {
      tokenizerConfig.put("do_lower_case", normalizer.get("lowercase").asBoolean());
    }
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig config) {
    return ElectraTensors.shapes(electra(config));
  }

  /**
   * The {@code position_ids} and {@code token_type_ids} buffers older checkpoints carry, and the
   * pre-training head of {@code ElectraForPreTraining} checkpoints ({@code
   * discriminator_predictions.*}), which sequence classification does not use.
   */
  @Override
  public boolean isIgnoredBuffer(String name) {
    return name.equals("electra.embeddings.position_ids")
        || name.equals("electra.embeddings.token_type_ids")
        || name.startsWith(PRETRAINING_HEAD_PREFIX);
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith(ElectraTensors.HEAD_PREFIX);
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith(ElectraTensors.OUTPUT_PREFIX);
  }

  /**
   * As transformers' {@code ElectraPreTrainedModel._init_weights}: normal(0, {@code
   * initializer_range}) for Linear and Embedding weights (the projection and the head included),
   * zero biases, LayerNorm weight 1 and bias 0, and the padding row of the word embedding zero.
   */
  @Override
  public FloatTensor initialTensor(ModelConfig modelConfig, String name, long seed) {
    ElectraConfig config = electra(modelConfig);
    long[] shape = ElectraTensors.shapes(config).get(name);
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
    return name.equals(ElectraTensors.WORD_EMBEDDINGS) ? WeightInit.zeroRow(t, config.padTokenId()) : t;
  }

  @Override
  public EncoderClassifier classifier(ModelWeights weights) {
    return new EncoderClassifier(weights, layout(electra(weights.config())));
  }

  /**
   * ELECTRA's table for the shared encoder: word + token type + position embeddings counted from 0
   * at {@code embedding_size}, their LayerNorm, dropout, and {@code electra.embeddings_project} when
   * {@code embedding_size != hidden_size}; {@code electra.encoder.layer.N.*} layers named as BERT's
   * with exact GELU; the head {@code classifier.dense} (GELU) then {@code classifier.out_proj},
   * with dropout before the dense layer too.
   *
   * @param config the configuration, never null
   * @return the layout, never null
   */
  public static EncoderLayout layout(ElectraConfig config) {
    float eps = (float) config.layerNormEps();
    return new EncoderLayout(
        config.hiddenSize(), config.numAttentionHeads(), config.numHiddenLayers(), config.intermediateSize(), eps,
        new EncoderLayout.Embeddings(
            ElectraTensors.WORD_EMBEDDINGS, "electra.embeddings.position_embeddings.weight",
            "electra.embeddings.token_type_embeddings.weight", "electra.embeddings.LayerNorm", eps,
            config.embeddingSize(), config.hasEmbeddingProjection() ? ElectraTensors.PROJECTION : null,
            EncoderLayout.Positions.FROM_ZERO, config.padTokenId()),
        ElectraTensors.LAYERS,
        EncoderLayout.Activation.GELU,
        new EncoderLayout.Head("classifier.dense", EncoderLayout.Activation.GELU, "classifier.out_proj", true),
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
    return Optional.of(EncoderScript.scoringPass(weights, layout(electra(weights.config())), onednn));
  }

  /** The int8 or bfloat16 TorchScript pass of the encoder layout ({@link ReducedPrecisionScript}). */
  @Override
  public Optional<ScoringPass> reducedPrecisionPass(
      ModelWeights weights, dev.ce4j.core.CrossEncoderOptions.Precision precision) {
    return Optional.of(ReducedPrecisionScript.compile(weights, layout(electra(weights.config())), precision));
  }

  private static ElectraConfig electra(ModelConfig config) {
    if (!(config instanceof ElectraConfig c)) {
      throw new IllegalArgumentException(
          "an ELECTRA configuration is needed, got " + (config == null ? null : config.modelType()));
    }
    return c;
  }
}
