package dev.ce4j.core.arch.modernbert;

import static dev.ce4j.core.arch.ConfigChecks.fits;
import static dev.ce4j.core.arch.ConfigChecks.positive;
import static dev.ce4j.core.arch.ConfigChecks.probability;

import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ConfigChecks;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.ScoreActivation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The architecture and head of a ModernBERT cross-encoder: the fields of a Hugging Face {@code
 * config.json} with {@code "model_type": "modernbert"} (transformers 5's {@code ModernBertConfig}),
 * plus what sentence-transformers keeps for a cross-encoder (activation, maximum sequence length).
 *
 * <p>ModernBERT has no token type and no position embedding ({@link #typeVocabSize()} is 0): its
 * positions are rotary, with one theta for the global-attention layers (every {@code
 * global_attn_every_n_layers}-th layer from layer 0, {@code full_attention}) and one for the others
 * ({@code sliding_attention}, where a token sees the tokens at most {@code local_attention / 2}
 * away). Only the plain rotary embedding ({@code rope_type} {@code default}) is supported. Fields
 * that only the masked-LM head or flash attention read ({@code decoder_bias}, {@code
 * sparse_prediction}, {@code sparse_pred_ignore_index}, {@code deterministic_flash_attn}, the
 * special token ids) are kept so that a saved folder says what the loaded one said.
 *
 * <p>Read and written by {@link ModernBertArchitecture}. Immutable and thread-safe; use {@link
 * #builder()} to make one. Every weight tensor must hold at most {@link
 * ConfigChecks#MAX_TENSOR_ELEMENTS} values.
 *
 * @param vocabSize {@code vocab_size}: rows of the token embedding, at least 1
 * @param hiddenSize {@code hidden_size}: a positive multiple of {@code numAttentionHeads} whose head
 *     width is even (the rotary embedding rotates halves)
 * @param intermediateSize {@code intermediate_size}: width of the GeGLU block ({@code Wi} has twice
 *     as many outputs), at least 1
 * @param numHiddenLayers {@code num_hidden_layers}, 1 to {@link #MAX_LAYERS}
 * @param numAttentionHeads {@code num_attention_heads}, at least 1
 * @param hiddenActivation {@code hidden_activation}: {@link #GELU}, {@link #RELU} or {@link #SILU}
 * @param maxPositionEmbeddings {@code max_position_embeddings}: the longest sequence, at least 4
 * @param initializerRange {@code initializer_range}: standard deviation of new weights, positive
 * @param initializerCutoffFactor {@code initializer_cutoff_factor}: new weights are cut at this many
 *     standard deviations, from 0.1 to 1e6, or null (transformers then cuts at 3)
 * @param normEps {@code norm_eps}: every LayerNorm's epsilon, positive
 * @param normBias {@code norm_bias}: whether the LayerNorms have a bias
 * @param padTokenId {@code pad_token_id}, in [0, vocabSize)
 * @param eosTokenId {@code eos_token_id}, or null
 * @param bosTokenId {@code bos_token_id}, or null
 * @param clsTokenId {@code cls_token_id}, or null
 * @param sepTokenId {@code sep_token_id}, or null
 * @param attentionBias {@code attention_bias}: whether {@code Wqkv} and the attention's {@code Wo}
 *     have biases
 * @param attentionDropout {@code attention_dropout}: on the attention probabilities and after the
 *     attention's {@code Wo} while training, in [0, 1)
 * @param globalAttnEveryNLayers {@code global_attn_every_n_layers}: layer {@code i} attends globally
 *     when {@code i % n == 0}, at least 1
 * @param globalRopeTheta the rotary theta of the global layers, positive and finite
 * @param localRopeTheta the rotary theta of the sliding-window layers, positive and finite
 * @param localAttention {@code local_attention}: the total window of the local layers, at least 2
 * @param embeddingDropout {@code embedding_dropout}, in [0, 1)
 * @param mlpBias {@code mlp_bias}: whether {@code Wi} and the MLP's {@code Wo} have biases
 * @param mlpDropout {@code mlp_dropout}: inside the GeGLU block while training, in [0, 1)
 * @param decoderBias {@code decoder_bias} (the masked-LM head's; unused here)
 * @param classifierPooling {@code classifier_pooling}: {@link #CLS} or {@link #MEAN}
 * @param classifierDropout {@code classifier_dropout}: before the classifier while training, in [0,
 *     1)
 * @param classifierBias {@code classifier_bias}: whether {@code head.dense} has a bias (the output
 *     layer {@code classifier} always has one)
 * @param classifierActivation {@code classifier_activation}: {@link #GELU}, {@link #RELU} or {@link
 *     #SILU}
 * @param deterministicFlashAttn {@code deterministic_flash_attn} (unused here)
 * @param sparsePrediction {@code sparse_prediction} (the masked-LM head's; unused here)
 * @param sparsePredIgnoreIndex {@code sparse_pred_ignore_index} (unused here)
 * @param tieWordEmbeddings {@code tie_word_embeddings} (the masked-LM head's; unused here)
 * @param labels the label names by id ({@code id2label}), 1 to {@link #MAX_LABELS}, copied
 * @param activation the function applied to logits to give scores, never null
 * @param maxLength the longest token sequence fed to the model, in [4, maxPositionEmbeddings]
 */
public record ModernBertConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    String hiddenActivation,
    int maxPositionEmbeddings,
    double initializerRange,
    Double initializerCutoffFactor,
    double normEps,
    boolean normBias,
    int padTokenId,
    Integer eosTokenId,
    Integer bosTokenId,
    Integer clsTokenId,
    Integer sepTokenId,
    boolean attentionBias,
    double attentionDropout,
    int globalAttnEveryNLayers,
    double globalRopeTheta,
    double localRopeTheta,
    int localAttention,
    double embeddingDropout,
    boolean mlpBias,
    double mlpDropout,
    boolean decoderBias,
    String classifierPooling,
    double classifierDropout,
    boolean classifierBias,
    String classifierActivation,
    boolean deterministicFlashAttn,
    boolean sparsePrediction,
    int sparsePredIgnoreIndex,
    boolean tieWordEmbeddings,
    List<String> labels,
    ScoreActivation activation,
    int maxLength)
    implements ModelConfig {

  /** The only {@code model_type}. */
  public static final String MODEL_TYPE = "modernbert";

  /** The {@code architectures} entry written for a cross-encoder. */
  public static final String ARCHITECTURE = "ModernBertForSequenceClassification";

  /** Activation: exact (erf) GELU, transformers' {@code gelu}. */
  public static final String GELU = "gelu";

  /** Activation: ReLU. */
  public static final String RELU = "relu";

  /** Activation: SiLU ({@code x * sigmoid(x)}). */
  public static final String SILU = "silu";

  /** The activations ce computes. */
  public static final Set<String> ACTIVATIONS = Set.of(GELU, RELU, SILU);

  /** {@code classifier_pooling}: the first token. */
  public static final String CLS = "cls";

  /** {@code classifier_pooling}: the mean over the real (unpadded) tokens. */
  public static final String MEAN = "mean";

  /** {@code layer_types} entry of a global-attention layer. */
  public static final String FULL_ATTENTION = "full_attention";

  /** {@code layer_types} entry of a sliding-window layer. */
  public static final String SLIDING_ATTENTION = "sliding_attention";

  /** transformers' default theta of the global layers. */
  public static final double DEFAULT_GLOBAL_ROPE_THETA = 160_000.0;

  /** transformers' default theta of the local layers. */
  public static final double DEFAULT_LOCAL_ROPE_THETA = 10_000.0;

  /** The cut-off transformers' {@code _init_weights} uses when {@code initializer_cutoff_factor} is null. */
  public static final double NULL_CUTOFF_FACTOR = 3.0;

  /** The largest {@code initializer_range} accepted (so that new weights are finite floats). */
  public static final double MAX_INITIALIZER_RANGE = Float.MAX_VALUE / 9.0;

  /** The most layers accepted. */
  public static final int MAX_LAYERS = 1024;

  /** The most labels (classifier outputs) accepted. */
  public static final int MAX_LABELS = ModelConfig.MAX_LABELS;

  /** Validates every field, naming its {@code config.json} key, and copies {@code labels}. */
  public ModernBertConfig {
    Objects.requireNonNull(hiddenActivation, "hidden_activation");
    Objects.requireNonNull(classifierPooling, "classifier_pooling");
    Objects.requireNonNull(classifierActivation, "classifier_activation");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(activation, "activation (score)");
    labels = List.copyOf(labels);
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("global_attn_every_n_layers", globalAttnEveryNLayers);
    if (numHiddenLayers > MAX_LAYERS) {
      throw new IllegalArgumentException(
          "num_hidden_layers " + numHiddenLayers + " is more than ce supports (at most " + MAX_LAYERS + ")");
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("there must be at least one label (num_labels >= 1)");
    }
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException(
          "num_labels " + labels.size() + " is more than ce supports (at most " + MAX_LABELS + ")");
    }
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
          + numAttentionHeads + " (each attention head gets hidden_size / num_attention_heads dimensions)");
    }
    if ((hiddenSize / numAttentionHeads) % 2 != 0) {
      throw new IllegalArgumentException("the head width hidden_size / num_attention_heads = "
          + hiddenSize / numAttentionHeads + " must be even (the rotary embedding rotates its two halves)");
    }
    if (maxPositionEmbeddings < 4) {
      throw new IllegalArgumentException("max_position_embeddings must be at least 4, got " + maxPositionEmbeddings);
    }
    if (localAttention < 2) {
      throw new IllegalArgumentException("local_attention must be at least 2 (the total window of the local "
          + "layers; a token sees the tokens up to local_attention / 2 away), got " + localAttention);
    }
    fits("vocab_size", vocabSize, "hidden_size", hiddenSize, "token embedding");
    fits("intermediate_size", 2L * intermediateSize, "hidden_size", hiddenSize, "Wi weight (2 x intermediate_size)");
    fits("hidden_size", 3L * hiddenSize, "hidden_size", hiddenSize, "Wqkv weight (3 x hidden_size)");
    fits("num_labels", labels.size(), "hidden_size", hiddenSize, "classifier weight");
    checkActivation("hidden_activation", hiddenActivation);
    checkActivation("classifier_activation", classifierActivation);
    if (!CLS.equals(classifierPooling) && !MEAN.equals(classifierPooling)) {
      throw new IllegalArgumentException("classifier_pooling must be \"cls\" or \"mean\", got \"" + classifierPooling
          + "\"");
    }
    probability("attention_dropout", attentionDropout);
    probability("embedding_dropout", embeddingDropout);
    probability("mlp_dropout", mlpDropout);
    probability("classifier_dropout", classifierDropout);
    theta("full_attention rope_theta (global_rope_theta)", globalRopeTheta);
    theta("sliding_attention rope_theta (local_rope_theta)", localRopeTheta);
    if (!(initializerRange > 0 && initializerRange <= MAX_INITIALIZER_RANGE)) {
      throw new IllegalArgumentException("initializer_range must be positive and at most " + MAX_INITIALIZER_RANGE
          + ", got " + initializerRange);
    }
    if (initializerCutoffFactor != null && !(initializerCutoffFactor >= 0.1 && initializerCutoffFactor <= 1e6)) {
      throw new IllegalArgumentException(
          "initializer_cutoff_factor must be from 0.1 to 1e6 or null, got " + initializerCutoffFactor);
    }
    if (!(normEps > 0 && normEps < 1)) {
      throw new IllegalArgumentException("norm_eps must be in (0, 1), got " + normEps);
    }
    if (padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "pad_token_id " + padTokenId + " is outside [0, vocab_size " + vocabSize + ")");
    }
    if (maxLength < 4 || maxLength > maxPositionEmbeddings) {
      throw new IllegalArgumentException("max_length " + maxLength + " must be between 4 (a pair needs [CLS], "
          + "[SEP] twice and one token of text) and max_position_embeddings " + maxPositionEmbeddings);
    }
  }

  private static void checkActivation(String key, String value) {
    if (!ACTIVATIONS.contains(value)) {
      throw new IllegalArgumentException(key + " '" + value + "' is not supported; ce supports ModernBERT with "
          + "\"gelu\" (exact GELU), \"relu\" and \"silu\"");
    }
  }

  private static void theta(String key, double value) {
    if (!(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(key + " must be positive and finite, got " + value);
    }
  }

  @Override
  public Architecture architecture() {
    return ModernBertArchitecture.INSTANCE;
  }

  @Override
  public String modelType() {
    return MODEL_TYPE;
  }

  /**
   * ModernBERT has no token type embedding: type ids are ignored.
   *
   * @return 0
   */
  @Override
  public int typeVocabSize() {
    return 0;
  }

  /**
   * The longest sequence: {@code max_position_embeddings} (rotary positions count from 0).
   *
   * @return the length
   */
  @Override
  public int maxPositions() {
    return maxPositionEmbeddings;
  }

  @Override
  public int numLabels() {
    return labels.size();
  }

  /**
   * The width of one attention head.
   *
   * @return {@code hiddenSize / numAttentionHeads}
   */
  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /**
   * Whether layer {@code layer} attends globally ({@code full_attention}) rather than in the
   * sliding window, as transformers decides it: {@code layer % global_attn_every_n_layers == 0}.
   *
   * @param layer the layer, from 0
   * @return true for a global layer
   */
  public boolean isGlobalLayer(int layer) {
    return layer % globalAttnEveryNLayers == 0;
  }

  /**
   * The {@code layer_types} transformers 5 derives and writes: {@link #FULL_ATTENTION} for the
   * global layers, {@link #SLIDING_ATTENTION} for the others.
   *
   * @return one entry per layer, never null
   */
  public List<String> layerTypes() {
    List<String> out = new ArrayList<>(numHiddenLayers);
    for (int i = 0; i < numHiddenLayers; i++) {
      out.add(isGlobalLayer(i) ? FULL_ATTENTION : SLIDING_ATTENTION);
    }
    return List.copyOf(out);
  }

  /**
   * The cut-off of the truncated normal initialisation, in standard deviations.
   *
   * @return {@code initializer_cutoff_factor}, or 3 when it is null (as transformers)
   */
  public double effectiveCutoffFactor() {
    return initializerCutoffFactor != null ? initializerCutoffFactor : NULL_CUTOFF_FACTOR;
  }

  /**
   * A summary such as {@code 22 layers, hidden 768, 12 heads, intermediate 1152, global attention
   * every 3 layers, window 128, cls pooling}.
   */
  @Override
  public String describeSizes() {
    return numHiddenLayers + (numHiddenLayers == 1 ? " layer" : " layers") + ", hidden " + hiddenSize + ", "
        + numAttentionHeads + (numAttentionHeads == 1 ? " head" : " heads") + ", intermediate " + intermediateSize
        + ", global attention every " + globalAttnEveryNLayers + " layers, window " + localAttention + ", "
        + classifierPooling + " pooling";
  }

  /**
   * The number of weights (every tensor of {@link ModernBertTensors#shapes}).
   *
   * @return the count, exact
   */
  @Override
  public long parameterCount() {
    long d = hiddenSize;
    long i = intermediateSize;
    long norm = normBias ? 2 * d : d;
    long attention = 3 * d * d + (attentionBias ? 3 * d : 0) + d * d + (attentionBias ? d : 0);
    long mlp = 2 * i * d + (mlpBias ? 2 * i : 0) + d * i + (mlpBias ? d : 0);
    long layers = numHiddenLayers * (attention + mlp + 2 * norm) - norm; // layer 0 has no attn_norm
    long head = d * d + (classifierBias ? d : 0) + norm + (long) numLabels() * d + numLabels();
    return (long) vocabSize * d + norm + layers + norm + head;
  }

  @Override
  public ModernBertConfig withLabels(List<String> newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  @Override
  public ModernBertConfig withNumLabels(int numLabels) {
    return toBuilder().labels(ModelConfig.defaultLabels(numLabels)).build();
  }

  @Override
  public ModernBertConfig withActivation(ScoreActivation newActivation) {
    return toBuilder().activation(Objects.requireNonNull(newActivation, "activation")).build();
  }

  @Override
  public ModernBertConfig withMaxLength(int newMaxLength) {
    return toBuilder().maxLength(newMaxLength).build();
  }

  /**
   * A copy with other dropout probabilities.
   *
   * @param embedding {@code embedding_dropout}, in [0, 1)
   * @param attention {@code attention_dropout}, in [0, 1)
   * @param mlp {@code mlp_dropout}, in [0, 1)
   * @param classifier {@code classifier_dropout}, in [0, 1)
   * @return the copy, never null
   * @throws IllegalArgumentException if a probability is out of range, naming its key
   */
  public ModernBertConfig withDropout(double embedding, double attention, double mlp, double classifier) {
    return toBuilder()
        .embeddingDropout(embedding)
        .attentionDropout(attention)
        .mlpDropout(mlp)
        .classifierDropout(classifier)
        .build();
  }

  /**
   * A builder initialised with this configuration.
   *
   * @return a new builder, never null
   */
  public ModernBertConfigBuilder toBuilder() {
    return ModernBertConfigBuilder.of(this);
  }

  /**
   * A builder with transformers' defaults (ModernBERT-base) and one label.
   *
   * @return a new builder, never null
   */
  public static ModernBertConfigBuilder builder() {
    return new ModernBertConfigBuilder();
  }
}
