package dev.ce4j.core.arch.deberta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.service.AutoService;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.arch.ConfigKeys;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * DeBERTa-v2 and DeBERTa-v3, as transformers' {@code DebertaV2ForSequenceClassification}: word
 * embeddings (plus learned absolute positions when {@code position_biased_input}, plus token types
 * when {@code type_vocab_size > 0}, through {@code embed_proj} when {@code embedding_size} differs),
 * LayerNorm, times the attention mask; post-LayerNorm layers of disentangled self-attention
 * (content-to-content plus the {@code c2p} and {@code p2c} terms of {@code pos_att_type} over
 * relative positions, log-bucketed when {@code position_buckets > 0}); and the head {@code
 * classifier(dropout(act(pooler.dense(dropout(h[:, 0])))))}. The forward pass is {@link
 * DebertaV2Classifier} (eager DJL operations; there is no TorchScript pass), with DeBERTa-v2-xlarge's
 * convolution after the first layer when {@code conv_kernel_size > 0}. Stateless and thread-safe.
 */
@AutoService(Architecture.class)
public final class DebertaV2Architecture implements Architecture {
  /** The instance {@link DebertaV2Config#architecture()} returns. */
  public static final DebertaV2Architecture INSTANCE = new DebertaV2Architecture();

  private static final String POOLER = "pooler.";
  private static final String CLASSIFIER = DebertaV2Tensors.CLASSIFIER + ".";

  /** Creates the architecture; {@link java.util.ServiceLoader} calls this. */
  public DebertaV2Architecture() {
    // stateless
  }

  @Override
  public String id() {
    return DebertaV2Config.MODEL_TYPE;
  }

  @Override
  public List<String> modelTypes() {
    return List.of(DebertaV2Config.MODEL_TYPE);
  }

  @Override
  public String description() {
    return "DeBERTa-v2/v3, as transformers' " + DebertaV2Config.ARCHITECTURE;
  }

  /**
   * Reads {@code vocab_size}, {@code hidden_size}, {@code num_hidden_layers}, {@code
   * num_attention_heads} and {@code intermediate_size} (required) and every other key of
   * transformers' {@code DebertaV2Config} with its default, plus the keys its modeling code reads
   * ({@code share_att_key}, {@code position_buckets}, {@code norm_rel_ebd}, {@code embedding_size},
   * {@code cls_dropout}, {@code attention_head_size}, {@code conv_kernel_size}, {@code conv_groups},
   * {@code conv_act}). {@code
   * pos_att_type} may be a list or the old {@code "p2c|c2p"} string.
   *
   * @throws InvalidInputException naming {@code source} and the key when a key is missing, of the
   *     wrong type or out of range, names an unsupported variant (an activation other than gelu,
   *     relu and tanh, a {@code pos_att_type} entry other than c2p and p2c, an even {@code
   *     conv_kernel_size}, an {@code attention_head_size} other than {@code hidden_size /
   *     num_attention_heads}),
   *     or contradicts another
   */
  @Override
  public DebertaV2Config parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    int hidden = keys.requiredInt("hidden_size");
    int heads = keys.requiredInt("num_attention_heads");
    if (keys.has("attention_head_size") && heads > 0
        && keys.integer("attention_head_size", 0) * (long) heads != hidden) {
      throw new InvalidInputException(source + ": \"attention_head_size\" " + keys.json().get("attention_head_size")
          + " times num_attention_heads " + heads + " is not hidden_size " + hidden + "; ce supports DeBERTa with"
          + " heads of hidden_size / num_attention_heads dimensions");
    }
    try {
      return DebertaV2Config.builder()
          .vocabSize(keys.requiredInt("vocab_size"))
          .hiddenSize(hidden)
          .numHiddenLayers(keys.requiredInt("num_hidden_layers"))
          .numAttentionHeads(heads)
          .intermediateSize(keys.requiredInt("intermediate_size"))
          .hiddenAct(keys.text("hidden_act", "gelu"))
          .hiddenDropoutProb(keys.number("hidden_dropout_prob", 0.1))
          .attentionProbsDropoutProb(keys.number("attention_probs_dropout_prob", 0.1))
          .maxPositionEmbeddings(keys.integer("max_position_embeddings", 512))
          .typeVocabSize(keys.integer("type_vocab_size", 0))
          .initializerRange(keys.number("initializer_range", 0.02))
          .layerNormEps(keys.number("layer_norm_eps", 1e-7))
          .relativeAttention(keys.bool("relative_attention", false))
          .maxRelativePositions(keys.integer("max_relative_positions", -1))
          .positionBuckets(keys.integer("position_buckets", -1))
          .posAttType(posAttType(keys))
          .shareAttKey(keys.bool("share_att_key", false))
          .normRelEbd(keys.text("norm_rel_ebd", "none"))
          .positionBiasedInput(keys.bool("position_biased_input", true))
          .embeddingSize(positiveOrAbsent(keys, "embedding_size"))
          .poolerHiddenSize(positiveOrAbsent(keys, "pooler_hidden_size"))
          .poolerDropout(keys.number("pooler_dropout", 0))
          .poolerHiddenAct(keys.text("pooler_hidden_act", "gelu"))
          .clsDropout(keys.optionalNumber("cls_dropout"))
          .convKernelSize(keys.integer("conv_kernel_size", 0))
          .convGroups(keys.integer("conv_groups", 1))
          .convAct(keys.text("conv_act", "tanh"))
          .legacy(keys.bool("legacy", true))
          .padTokenId(keys.integer("pad_token_id", 0))
          .labels(settings.labels())
          .activation(settings.activation())
          .maxLength(settings.maxLength())
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  /** A size that defaults to hidden_size: absent is 0 for the builder, present must be at least 1. */
  private static int positiveOrAbsent(ConfigKeys keys, String key) {
    if (!keys.has(key)) {
      return 0;
    }
    int v = keys.integer(key, 0);
    if (v < 1) {
      throw new InvalidInputException(keys.source() + ": " + key + " must be at least 1, got " + v);
    }
    return v;
  }

  /** {@code pos_att_type}: null, a list of strings, or the old {@code "p2c|c2p"} string. */
  private static List<String> posAttType(ConfigKeys keys) {
    JsonNode v = keys.json().get("pos_att_type");
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      for (String part : v.asText().toLowerCase(Locale.ROOT).split("\\|", -1)) {
        out.add(part.strip());
      }
      return out;
    }
    if (!v.isArray()) {
      throw new InvalidInputException(keys.source() + ": \"pos_att_type\" must be a list of strings or a"
          + " \"p2c|c2p\" string, got " + v);
    }
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new InvalidInputException(keys.source() + ": \"pos_att_type\" entries must be strings, got " + e);
      }
      out.add(e.asText());
    }
    return out;
  }

  /**
   * Writes what transformers 5's {@code DebertaV2Config} writes: every key of the class, the list
   * form of {@code pos_att_type} (null when empty), {@code share_att_key}, {@code position_buckets}
   * and {@code norm_rel_ebd}, {@code embedding_size} when it differs from {@code hidden_size},
   * {@code cls_dropout} when set, {@code conv_kernel_size}, {@code conv_groups} and {@code conv_act}
   * when there is a convolution, and {@code tie_word_embeddings} true.
   */
  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode root) {
    DebertaV2Config c = deberta(modelConfig);
    root.putArray("architectures").add(DebertaV2Config.ARCHITECTURE);
    root.put("attention_probs_dropout_prob", c.attentionProbsDropoutProb());
    if (c.clsDropout() != null) {
      root.put("cls_dropout", c.clsDropout());
    }
    if (c.convKernelSize() > 0) {
      root.put("conv_act", c.convAct());
      root.put("conv_groups", c.convGroups());
      root.put("conv_kernel_size", c.convKernelSize());
    }
    if (c.embeddingSize() != c.hiddenSize()) {
      root.put("embedding_size", c.embeddingSize());
    }
    root.put("hidden_act", c.hiddenAct());
    root.put("hidden_dropout_prob", c.hiddenDropoutProb());
    root.put("hidden_size", c.hiddenSize());
    root.put("initializer_range", c.initializerRange());
    root.put("intermediate_size", c.intermediateSize());
    root.put("layer_norm_eps", c.layerNormEps());
    root.put("legacy", c.legacy());
    root.put("max_position_embeddings", c.maxPositionEmbeddings());
    root.put("max_relative_positions", c.maxRelativePositions());
    root.put("model_type", DebertaV2Config.MODEL_TYPE);
    root.put("norm_rel_ebd", c.normRelEbd());
    root.put("num_attention_heads", c.numAttentionHeads());
    root.put("num_hidden_layers", c.numHiddenLayers());
    root.put("pad_token_id", c.padTokenId());
    root.put("pooler_dropout", c.poolerDropout());
    root.put("pooler_hidden_act", c.poolerHiddenAct());
    root.put("pooler_hidden_size", c.poolerHiddenSize());
    if (c.posAttType().isEmpty()) {
      root.putNull("pos_att_type");
    } else {
      ArrayNode types = root.putArray("pos_att_type");
      c.posAttType().forEach(types::add);
    }
    root.put("position_biased_input", c.positionBiasedInput());
    root.put("position_buckets", c.positionBuckets());
    root.put("relative_attention", c.relativeAttention());
    root.put("share_att_key", c.shareAttKey());
    root.put("tie_word_embeddings", true);
    root.put("type_vocab_size", c.typeVocabSize());
    root.put("vocab_size", c.vocabSize());
  }

  /**
   * {@code DebertaV2Tokenizer} (SentencePiece; transformers 5 builds it from {@code tokenizer.json}),
   * {@code do_lower_case} false and {@code split_by_punct} false unless the normalizer lowercases or
   * the pre-tokenizer splits punctuation, and {@code vocab_type} {@code spm}.
   */
  @Override
  public void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    tokenizerConfig.put("tokenizer_class", "DebertaV2Tokenizer");
    String normalizer = String.valueOf(tokenizerJson.get("normalizer"));
    String preTokenizer = String.valueOf(tokenizerJson.get("pre_tokenizer"));
    tokenizerConfig.put("do_lower_case", normalizer.contains("\"Lowercase\""));
    tokenizerConfig.put("split_by_punct", preTokenizer.contains("\"Punctuation\""));
    tokenizerConfig.put("vocab_type", "spm");
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig config) {
    return DebertaV2Tensors.shapes(deberta(config));
  }

  /** {@code deberta.embeddings.position_ids}, which checkpoints of transformers 4 may hold. */
  @Override
  public boolean isIgnoredBuffer(String name) {
    return name.equals(DebertaV2Tensors.POSITION_IDS);
  }

  /**
   * Also {@code deberta.embeddings.position_embeddings.weight} when {@code position_biased_input}
   * is false: DeBERTa-v3 has no absolute positions, and a checkpoint that still stores the table
   * loads in transformers, which ignores it.
   */
  @Override
  public boolean isIgnoredBuffer(String name, ModelConfig config) {
    return isIgnoredBuffer(name)
        || name.equals(DebertaV2Tensors.POSITION_EMBEDDINGS) && !deberta(config).positionBiasedInput();
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith(POOLER) || name.startsWith(CLASSIFIER);
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith(CLASSIFIER);
  }

  /** Biases and LayerNorm weights ({@code LayerNorm.}, the embeddings', layers' and encoder's). */
  @Override
  public boolean isNoDecay(String name) {
    return name.endsWith(".bias") || name.contains("LayerNorm.");
  }

  /**
   * As transformers' {@code DebertaV2PreTrainedModel._init_weights}: normal(0, {@code
   * initializer_range}) for every Linear and Embedding weight ({@code rel_embeddings} and {@code
   * embed_proj} included), zero biases, LayerNorm weight 1 and bias 0, the padding row of the word
   * embedding zero. The convolution's weight, which DeBERTa's own {@code _init_weights} does not
   * name, is drawn as the Linear weights are (normal(0, {@code initializer_range}), zero bias).
   */
  @Override
  public FloatTensor initialTensor(ModelConfig modelConfig, String name, long seed) {
    DebertaV2Config config = deberta(modelConfig);
    long[] shape = DebertaV2Tensors.shapes(config).get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "' in a DeBERTa-v2 model");
    }
    if (name.contains("LayerNorm.")) {
      return WeightInit.filled(shape, name.endsWith(".weight") ? 1f : 0f);
    }
    if (name.endsWith(".bias")) {
      return WeightInit.filled(shape, 0f);
    }
    FloatTensor t = WeightInit.normal(name, shape, config.initializerRange(), seed);
    return name.equals(DebertaV2Tensors.WORD_EMBEDDINGS) ? WeightInit.zeroRow(t, config.padTokenId()) : t;
  }

  @Override
  public DebertaV2Classifier classifier(ModelWeights weights) {
    return new DebertaV2Classifier(weights);
  }

  static DebertaV2Config deberta(ModelConfig config) {
    if (!(config instanceof DebertaV2Config c)) {
      throw new IllegalArgumentException("a DeBERTa-v2 configuration is needed, got " + config.modelType());
    }
    return c;
  }
}
