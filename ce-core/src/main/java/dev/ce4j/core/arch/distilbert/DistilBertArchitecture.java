package dev.ce4j.core.arch.distilbert;

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
 * DistilBERT, as transformers' {@code DistilBertForSequenceClassification}: word and position
 * embeddings (no token types: type ids are ignored), post-LayerNorm transformer blocks (no dropout
 * after the attention's output projection), a GELU or ReLU feed-forward block, and the head {@code
 * classifier(dropout(relu(pre_classifier(h[:, 0]))))}, run by the shared encoder ({@link
 * EncoderClassifier}, with DistilBERT's {@link #layout}). Every LayerNorm has epsilon 1e-12. With
 * {@code sinusoidal_pos_embds} the position table is stored in the weights like a learned one and
 * only its initial value differs ({@link #sinusoidalPositions}); it is trained, as in transformers 5.
 * The head is {@code pre_classifier} and {@code classifier}. Scoring runs the pass as one
 * TorchScript call ({@link EncoderScript}), with oneDNN products on the CPU where they are right for
 * the model's shapes. Stateless and thread-safe.
 */
@AutoService(Architecture.class)
public final class DistilBertArchitecture implements Architecture {
  /** The instance {@link DistilBertConfig#architecture()} returns. */
  public static final DistilBertArchitecture INSTANCE = new DistilBertArchitecture();

  /** The buffer transformers 4 checkpoints may store; not a weight. */
  static final String POSITION_IDS = "distilbert.embeddings.position_ids";

  private static final String PRE_CLASSIFIER = DistilBertTensors.PRE_CLASSIFIER + ".";
  private static final String CLASSIFIER = DistilBertTensors.CLASSIFIER + ".";

  /** Creates the architecture; {@link java.util.ServiceLoader} calls this. */
  public DistilBertArchitecture() {
    // stateless
  }

  @Override
  public String id() {
    return DistilBertConfig.MODEL_TYPE;
  }

  @Override
  public List<String> modelTypes() {
    return List.of(DistilBertConfig.MODEL_TYPE);
  }

  @Override
  public String description() {
    return "DistilBERT, as transformers' " + DistilBertConfig.ARCHITECTURE;
  }

  /**
   * Reads {@code vocab_size}, {@code dim}, {@code n_layers}, {@code n_heads} and {@code hidden_dim}
   * (required; {@code hidden_size}, {@code num_hidden_layers} and {@code num_attention_heads}, which
   * transformers maps onto the three, are read in their place and must agree when both are given),
   * and {@code activation}, {@code sinusoidal_pos_embds}, {@code dropout}, {@code
   * attention_dropout}, {@code seq_classif_dropout}, {@code qa_dropout}, {@code
   * max_position_embeddings}, {@code initializer_range}, {@code pad_token_id} and {@code
   * tie_weights_} with transformers' defaults.
   *
   * @throws InvalidInputException naming {@code source} and the key when a key is missing, of the
   *     wrong type or out of range, names an activation other than {@code gelu} and {@code relu},
   *     or contradicts another ({@code dim} not a multiple of {@code n_heads}, {@code pad_token_id}
   *     outside the vocabulary, an alias that disagrees)
   */
  @Override
  public DistilBertConfig parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    String act = keys.text("activation", DistilBertConfig.GELU);
    if (!DistilBertConfig.GELU.equals(act) && !DistilBertConfig.RELU.equals(act)) {
      throw new InvalidInputException(source + ": unsupported \"activation\" '" + act
          + "'; ce supports DistilBERT with \"gelu\" (exact GELU) or \"relu\"");
    }
    int dim = aliased(keys, "dim", "hidden_size", source);
    int nLayers = aliased(keys, "n_layers", "num_hidden_layers", source);
    int nHeads = aliased(keys, "n_heads", "num_attention_heads", source);
    Boolean tieWeights = keys.has("tie_weights_") ? keys.bool("tie_weights_", true) : null;
    try {
      return DistilBertConfig.builder()
          .vocabSize(keys.requiredInt("vocab_size"))
          .dim(dim)
          .nLayers(nLayers)
          .nHeads(nHeads)
          .hiddenDim(keys.requiredInt("hidden_dim"))
          .feedForwardActivation(act)
          .sinusoidalPosEmbds(keys.bool("sinusoidal_pos_embds", false))
          .dropout(keys.number("dropout", 0.1))
          .attentionDropout(keys.number("attention_dropout", 0.1))
          .seqClassifDropout(keys.number("seq_classif_dropout", 0.2))
          .qaDropout(keys.number("qa_dropout", 0.1))
          .maxPositionEmbeddings(keys.integer("max_position_embeddings", 512))
          .initializerRange(keys.number("initializer_range", 0.02))
          .padTokenId(keys.integer("pad_token_id", 0))
          .tieWeights(tieWeights)
          .labels(settings.labels())
          .activation(settings.activation())
          .maxLength(settings.maxLength())
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * A size DistilBERT names {@code key} and transformers' {@code attribute_map} also accepts as
   * {@code alias}: the key when present, else the alias, and both must agree.
   */
  private static int aliased(ConfigKeys keys, String key, String alias, String source) {
    if (!keys.has(key)) {
      if (keys.has(alias)) {
        return keys.integer(alias, 0);
      }
      throw new InvalidInputException(source + ": required field \"" + key + "\" is missing");
    }
    int value = keys.requiredInt(key);
    if (keys.has(alias) && keys.integer(alias, 0) != value) {
      throw new InvalidInputException(source + ": \"" + alias + "\" is " + keys.json().get(alias) + " but \""
          + key + "\" is " + value + "; for DistilBERT they are the same setting (transformers maps "
          + alias + " onto " + key + "): remove " + alias + " or make them agree");
    }
    return value;
  }

  /**
   * Writes what transformers 5's {@code DistilBertConfig} writes: every key of the family (with
   * {@code tie_weights_} only when the configuration was read with it), {@code bos_token_id} and
   * {@code eos_token_id} null and {@code tie_word_embeddings} true, as transformers' defaults.
   */
  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode root) {
    DistilBertConfig config = distilbert(modelConfig);
    root.put("activation", config.feedForwardActivation());
    root.putArray("architectures").add(DistilBertConfig.ARCHITECTURE);
    root.put("attention_dropout", config.attentionDropout());
    root.putNull("bos_token_id");
    root.put("dim", config.dim());
    root.put("dropout", config.dropout());
    root.putNull("eos_token_id");
    root.put("hidden_dim", config.hiddenDim());
    root.put("initializer_range", config.initializerRange());
    root.put("max_position_embeddings", config.maxPositionEmbeddings());
    root.put("model_type", DistilBertConfig.MODEL_TYPE);
    root.put("n_heads", config.nHeads());
    root.put("n_layers", config.nLayers());
    root.put("pad_token_id", config.padTokenId());
    root.put("qa_dropout", config.qaDropout());
    root.put("seq_classif_dropout", config.seqClassifDropout());
    root.put("sinusoidal_pos_embds", config.sinusoidalPosEmbds());
    if (config.tieWeights() != null) {
      root.put("tie_weights_", config.tieWeights());
    }
    root.put("tie_word_embeddings", true);
    root.put("vocab_size", config.vocabSize());
  }

  /**
   * {@code DistilBertTokenizer} (which, unlike {@code BertTokenizer}, returns no token type ids:
   * {@code DistilBertForSequenceClassification} takes none), and {@code do_lower_case} as {@code
   * tokenizer.json}'s normalizer does.
   */
  @Override
  public void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    tokenizerConfig.put("tokenizer_class", "DistilBertTokenizer");
    JsonNode normalizer = tokenizerJson.get("normalizer");
    if (normalizer != null && normalizer.has("lowercase")) {
      tokenizerConfig.put("do_lower_case", normalizer.get("lowercase").asBoolean());
    }
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig config) {
    return DistilBertTensors.shapes(distilbert(config));
  }

  /** {@code distilbert.embeddings.position_ids}, which checkpoints of transformers 4 may hold. */
  @Override
  public boolean isIgnoredBuffer(String name) {
    return name.equals(POSITION_IDS);
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith(PRE_CLASSIFIER) || name.startsWith(CLASSIFIER);
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith(CLASSIFIER);
  }

  /**
   * As transformers' {@code DistilBertPreTrainedModel._init_weights}: normal(0, {@code
   * initializer_range}) for Linear and Embedding weights, zero biases, LayerNorm weight 1 and bias
   * 0, the padding row of the word embedding zero, and with {@code sinusoidal_pos_embds} the
   * position table set to {@link #sinusoidalPositions} (no draw).
   */
  @Override
  public FloatTensor initialTensor(ModelConfig modelConfig, String name, long seed) {
    DistilBertConfig config = distilbert(modelConfig);
    long[] shape = DistilBertTensors.shapes(config).get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "' in a DistilBERT model");
    }
    if (name.contains("LayerNorm.") || name.contains("layer_norm.")) {
      return WeightInit.filled(shape, name.endsWith(".weight") ? 1f : 0f);
    }
    if (name.endsWith(".bias")) {
      return WeightInit.filled(shape, 0f);
    }
    if (name.equals(DistilBertTensors.POSITION_EMBEDDINGS) && config.sinusoidalPosEmbds()) {
      return sinusoidalPositions(config.maxPositionEmbeddings(), config.dim());
    }
    FloatTensor t = WeightInit.normal(name, shape, config.initializerRange(), seed);
    return name.equals(DistilBertTensors.WORD_EMBEDDINGS) ? WeightInit.zeroRow(t, config.padTokenId()) : t;
  }

  /**
   * DistilBERT's sinusoidal position table, as transformers' {@code _create_sinusoidal_embeddings}
   * computes it: for position {@code pos} and column {@code j}, the angle {@code pos / 10000^(2
   * floor(j / 2) / dim)} in double precision, its sine in even columns and its cosine in odd ones,
   * rounded to float. Computed with {@link StrictMath}, so the same on every platform.
   *
   * @param positions the number of rows, at least 1
   * @param dim the number of columns, at least 1
   * @return the table {@code [positions, dim]}, never null
   * @throws IllegalArgumentException if a size is not positive or the table exceeds a Java array
   */
  public static FloatTensor sinusoidalPositions(int positions, int dim) {
    if (positions < 1 || dim < 1 || (long) positions * dim > DistilBertConfig.MAX_TENSOR_ELEMENTS) {
      throw new IllegalArgumentException("no sinusoidal table of " + positions + " x " + dim);
    }
    float[] data = new float[positions * dim];
    double[] inverse = new double[dim];
    for (int j = 0; j < dim; j++) {
      inverse[j] = StrictMath.pow(10000, 2.0 * (j / 2) / dim);
    }
    for (int pos = 0; pos < positions; pos++) {
      for (int j = 0; j < dim; j++) {
        double angle = pos / inverse[j];
        data[pos * dim + j] = (float) (j % 2 == 0 ? StrictMath.sin(angle) : StrictMath.cos(angle));
      }
    }
    return new FloatTensor(new long[] {positions, dim}, data);
  }

  @Override
  public EncoderClassifier classifier(ModelWeights weights) {
    return new EncoderClassifier(weights, layout(distilbert(weights.config())));
  }

  /**
   * DistilBERT's table for the shared encoder: {@code distilbert.transformer.layer.N.*} names, word
   * + position embeddings counted from 0 (no token types), LayerNorm epsilon 1e-12, the {@code
   * activation} of the configuration in the feed-forward block, no dropout after the attention's
   * output projection, and {@code pre_classifier}, ReLU, {@code classifier} as the head with {@code
   * seq_classif_dropout} before the classifier.
   *
   * @param config the configuration, never null
   * @return the layout, never null
   */
  public static EncoderLayout layout(DistilBertConfig config) {
    float eps = (float) DistilBertConfig.LAYER_NORM_EPS;
    EncoderLayout.Activation ffn = DistilBertConfig.RELU.equals(config.feedForwardActivation())
        ? EncoderLayout.Activation.RELU
        : EncoderLayout.Activation.GELU;
    return new EncoderLayout(
        config.dim(), config.nHeads(), config.nLayers(), config.hiddenDim(), eps,
        new EncoderLayout.Embeddings(
            DistilBertTensors.WORD_EMBEDDINGS, DistilBertTensors.POSITION_EMBEDDINGS, null,
            DistilBertTensors.EMBEDDINGS_NORM, eps, config.dim(), null, EncoderLayout.Positions.FROM_ZERO,
            config.padTokenId()),
        DistilBertTensors.LAYERS,
        ffn,
        new EncoderLayout.Head(
            DistilBertTensors.PRE_CLASSIFIER, EncoderLayout.Activation.RELU, DistilBertTensors.CLASSIFIER, false),
        new EncoderLayout.Dropout(config.dropout(), config.attentionDropout(), config.seqClassifDropout(), false));
  }

  /**
   * The generated TorchScript pass: with oneDNN products when {@code onednn} and they are right for
   * the model's shapes on this CPU (checked when compiling), else with the eager pass's operators,
   * bit for bit.
   */
  @Override
  public Optional<ScoringPass> scoringPass(ModelWeights weights, boolean onednn) {
    return Optional.of(EncoderScript.scoringPass(weights, layout(distilbert(weights.config())), onednn));
  }

  /** The int8 or bfloat16 TorchScript pass of the encoder layout ({@link ReducedPrecisionScript}). */
  @Override
  public Optional<ScoringPass> reducedPrecisionPass(
      ModelWeights weights, dev.ce4j.core.CrossEncoderOptions.Precision precision) {
    return Optional.of(ReducedPrecisionScript.compile(weights, layout(distilbert(weights.config())), precision));
  }

  private static DistilBertConfig distilbert(ModelConfig config) {
    if (!(config instanceof DistilBertConfig c)) {
      throw new IllegalArgumentException("a DistilBERT configuration is needed, got " + config.modelType());
    }
    return c;
  }
}
