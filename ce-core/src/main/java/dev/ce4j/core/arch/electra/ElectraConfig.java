package dev.ce4j.core.arch.electra;

import static dev.ce4j.core.arch.ConfigChecks.fits;
import static dev.ce4j.core.arch.ConfigChecks.positive;
import static dev.ce4j.core.arch.ConfigChecks.probability;

import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ConfigChecks;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import java.util.List;
import java.util.Objects;

/**
 * The architecture and head of an ELECTRA cross-encoder: the fields of a Hugging Face {@code
 * config.json} with {@code "model_type": "electra"} that {@code ElectraForSequenceClassification}
 * computes with, plus what sentence-transformers keeps for a cross-encoder (activation, maximum
 * sequence length).
 *
 * <p>ELECTRA is BERT's encoder with embeddings of their own width: word, position and token type
 * embeddings of {@code embedding_size}, their LayerNorm at that width, then, when {@code
 * embedding_size} differs from {@code hidden_size}, a linear projection ({@code
 * electra.embeddings_project}) to the layers' width.
 *
 * <p>Read and written by {@link ElectraArchitecture} (through {@link dev.ce4j.core.io.ConfigJson}).
 * Immutable and thread-safe; use {@link #builder()} to make one (its defaults are those of
 * transformers' {@code ElectraConfig}, the size of {@code google/electra-small-discriminator}).
 *
 * <p>Every weight tensor must hold at most {@link #MAX_TENSOR_ELEMENTS} values.
 *
 * @param vocabSize rows of the word embedding, at least 1
 * @param embeddingSize width of the embeddings, at least 1
 * @param hiddenSize width of every hidden state, a positive multiple of {@code numAttentionHeads}
 * @param numHiddenLayers number of transformer layers, 1 to {@link #MAX_LAYERS}
 * @param numAttentionHeads attention heads per layer, at least 1
 * @param intermediateSize width of the feed-forward layer, at least 1
 * @param hiddenAct the feed-forward activation; only {@code "gelu"} (exact, erf-based) is
 *     supported, never null (the classification head uses GELU whatever this says, as transformers
 *     does)
 * @param hiddenDropoutProb dropout on embeddings and layer outputs while training, in [0, 1)
 * @param attentionProbsDropoutProb dropout on attention probabilities while training, in [0, 1)
 * @param maxPositionEmbeddings rows of the position embedding, at least 4
 * @param typeVocabSize rows of the token-type embedding, at least 1
 * @param initializerRange standard deviation of the normal initialisation, positive, at most {@link
 *     #MAX_INITIALIZER_RANGE}
 * @param layerNormEps epsilon of every LayerNorm, positive
 * @param padTokenId the padding token id (its embedding row starts at zero), in [0, vocabSize)
 * @param classifierDropout dropout in the classification head, in [0, 1); null means {@code
 *     hiddenDropoutProb}, as in transformers
 * @param labels the label names by id ({@code id2label}); its size is the number of outputs; never
 *     null, 1 to {@link #MAX_LABELS}, copied
 * @param activation the function applied to logits to give scores, never null
 * @param maxLength the longest token sequence fed to the model (longer pairs are truncated), in [4,
 *     maxPositionEmbeddings]
 */
public record ElectraConfig(
    int vocabSize,
    int embeddingSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenAct,
    double hiddenDropoutProb,
    double attentionProbsDropoutProb,
    int maxPositionEmbeddings,
    int typeVocabSize,
    double initializerRange,
    double layerNormEps,
    int padTokenId,
    Double classifierDropout,
    List<String> labels,
    ScoreActivation activation,
    int maxLength)
    implements ModelConfig {

  /** The {@code model_type} served. */
  public static final String MODEL_TYPE = "electra";

  /** The only {@code hidden_act} supported: exact GELU. */
  public static final String GELU = "gelu";

  /** The {@code architectures} entry written for a cross-encoder. */
  public static final String ARCHITECTURE = "ElectraForSequenceClassification";

  /** The most values one tensor may hold (see {@link ConfigChecks#MAX_TENSOR_ELEMENTS}). */
  public static final long MAX_TENSOR_ELEMENTS = ConfigChecks.MAX_TENSOR_ELEMENTS;

  /**
   * The largest {@code initializer_range} accepted: {@link WeightInit}'s normal deviates stay below
   * 9 in absolute value, so 9 standard deviations must be a finite float.
   */
  public static final double MAX_INITIALIZER_RANGE = Float.MAX_VALUE / 9.0;

  /** The most encoder layers accepted (ELECTRA-large has 24). */
  public static final int MAX_LAYERS = 1024;

  /** The most labels (classifier outputs) accepted. */
  public static final int MAX_LABELS = ModelConfig.MAX_LABELS;

  /**
   * Validates every field and copies {@code labels}.
   *
   * @throws IllegalArgumentException naming the {@code config.json} key of the first invalid field
   */
  public ElectraConfig {
    Objects.requireNonNull(hiddenAct, "hiddenAct");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(activation, "activation");
    labels = List.copyOf(labels);
    positive("vocab_size", vocabSize);
    positive("embedding_size", embeddingSize);
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("intermediate_size", intermediateSize);
    positive("type_vocab_size", typeVocabSize);
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
    if (maxPositionEmbeddings < 4) {
      throw new IllegalArgumentException(
          "max_position_embeddings must be at least 4, got " + maxPositionEmbeddings);
    }
    fits("vocab_size", vocabSize, "embedding_size", embeddingSize, "word embedding");
    fits("max_position_embeddings", maxPositionEmbeddings, "embedding_size", embeddingSize, "position embedding");
    fits("type_vocab_size", typeVocabSize, "embedding_size", embeddingSize, "token type embedding");
    fits("hidden_size", hiddenSize, "embedding_size", embeddingSize, "embedding projection");
    fits("intermediate_size", intermediateSize, "hidden_size", hiddenSize, "feed-forward weight");
    fits("hidden_size", hiddenSize, "hidden_size", hiddenSize, "attention weight");
    fits("num_labels", labels.size(), "hidden_size", hiddenSize, "classifier weight");
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException(
          "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
    }
    if (!GELU.equals(hiddenAct)) {
      throw new IllegalArgumentException(
          "hidden_act '" + hiddenAct + "' is not supported; only 'gelu' (exact GELU) is");
    }
    probability("hidden_dropout_prob", hiddenDropoutProb);
    probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
    if (classifierDropout != null) {
      probability("classifier_dropout", classifierDropout);
    }
    if (!(initializerRange > 0) || Double.isInfinite(initializerRange)) {
      throw new IllegalArgumentException("initializer_range must be positive, got " + initializerRange);
    }
    if (initializerRange > MAX_INITIALIZER_RANGE) {
      throw new IllegalArgumentException(
          "initializer_range " + initializerRange + " is too large: weights drawn with it overflow 32-bit"
              + " floats (at most " + MAX_INITIALIZER_RANGE + "; ELECTRA's is 0.02)");
    }
    if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
      throw new IllegalArgumentException("layer_norm_eps must be positive, got " + layerNormEps);
    }
    if (padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "pad_token_id " + padTokenId + " is outside [0, vocab_size " + vocabSize + ")");
    }
    if (maxLength < 4 || maxLength > maxPositionEmbeddings) {
      throw new IllegalArgumentException(
          "max_length " + maxLength + " must be between 4 (a pair needs [CLS], [SEP] twice and one token of"
              + " text) and max_position_embeddings " + maxPositionEmbeddings);
    }
  }

  @Override
  public Architecture architecture() {
    return ElectraArchitecture.INSTANCE;
  }

  @Override
  public String modelType() {
    return MODEL_TYPE;
  }

  /**
   * The longest sequence: {@code max_position_embeddings} (positions count from 0).
   *
   * @return the length
   */
  @Override
  public int maxPositions() {
    return maxPositionEmbeddings;
  }

  /**
   * Whether the embeddings are projected to the layers' width ({@code electra.embeddings_project}),
   * as transformers does when {@code embedding_size} differs from {@code hidden_size}.
   *
   * @return true when {@code embeddingSize != hiddenSize}
   */
  public boolean hasEmbeddingProjection() {
    return embeddingSize != hiddenSize;
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
   * The dropout probability in the classification head (before its dense layer and before its
   * output layer).
   *
   * @return {@code classifierDropout} when set, else {@code hiddenDropoutProb}
   */
  public double effectiveClassifierDropout() {
    return classifierDropout != null ? classifierDropout : hiddenDropoutProb;
  }

  @Override
  public String describeSizes() {
    return numHiddenLayers + (numHiddenLayers == 1 ? " layer" : " layers") + ", hidden " + hiddenSize
        + ", " + numAttentionHeads + (numAttentionHeads == 1 ? " head" : " heads") + ", intermediate "
        + intermediateSize + ", embedding " + embeddingSize;
  }

  @Override
  public ElectraConfig withLabels(List<String> newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  @Override
  public ElectraConfig withNumLabels(int numLabels) {
    return withLabels(ModelConfig.defaultLabels(numLabels));
  }

  @Override
  public ElectraConfig withActivation(ScoreActivation newActivation) {
    return toBuilder().activation(Objects.requireNonNull(newActivation, "activation")).build();
  }

  @Override
  public ElectraConfig withMaxLength(int newMaxLength) {
    return toBuilder().maxLength(newMaxLength).build();
  }

  /**
   * A copy with other dropout probabilities (for example all 0, to make training deterministic).
   *
   * @param hidden {@code hidden_dropout_prob}, in [0, 1)
   * @param attention {@code attention_probs_dropout_prob}, in [0, 1)
   * @param classifier {@code classifier_dropout}, in [0, 1), or null for {@code hidden}
   * @return the copy, never null
   * @throws IllegalArgumentException if a probability is out of range, naming its key
   */
  public ElectraConfig withDropout(double hidden, double attention, Double classifier) {
    return toBuilder()
        .hiddenDropoutProb(hidden)
        .attentionProbsDropoutProb(attention)
        .classifierDropout(classifier)
        .build();
  }

  /**
   * The number of weights of a model of this configuration (every tensor of {@link
   * ElectraTensors#shapes}).
   *
   * @return the count, exact (it cannot overflow for a valid configuration)
   */
  @Override
  public long parameterCount() {
    long e = embeddingSize;
    long h = hiddenSize;
    long i = intermediateSize;
    long embeddings = ((long) vocabSize + maxPositionEmbeddings + typeVocabSize) * e + 2 * e;
    long projection = hasEmbeddingProjection() ? h * e + h : 0;
    long layer = 4 * (h * h + h) + 2 * h + (i * h + i) + (h * i + h) + 2 * h;
    long head = h * h + h + (long) numLabels() * h + numLabels();
    return embeddings + projection + numHiddenLayers * layer + head;
  }

  /**
   * A builder initialised with this configuration.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.vocabSize = vocabSize;
    b.embeddingSize = embeddingSize;
    b.hiddenSize = hiddenSize;
    b.numHiddenLayers = numHiddenLayers;
    b.numAttentionHeads = numAttentionHeads;
    b.intermediateSize = intermediateSize;
    b.hiddenAct = hiddenAct;
    b.hiddenDropoutProb = hiddenDropoutProb;
    b.attentionProbsDropoutProb = attentionProbsDropoutProb;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.typeVocabSize = typeVocabSize;
    b.initializerRange = initializerRange;
    b.layerNormEps = layerNormEps;
    b.padTokenId = padTokenId;
    b.classifierDropout = classifierDropout;
    b.labels = labels;
    b.activation = activation;
    b.maxLength = maxLength;
    return b;
  }

  /**
   * A builder with transformers' {@code ElectraConfig} defaults (vocabulary 30522, embedding 128,
   * hidden 256, 12 layers, 4 heads, intermediate 1024, dropout 0.1, 512 positions) and one label.
   *
   * @return a new builder, never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link ElectraConfig}. Unset fields take transformers' defaults; an unset activation
   * takes sentence-transformers' default for the number of labels, an unset maximum length is
   * {@code maxPositionEmbeddings}. Not thread-safe.
   */
  public static final class Builder {
    private int vocabSize = 30522;
    private int embeddingSize = 128;
    private int hiddenSize = 256;
    private int numHiddenLayers = 12;
    private int numAttentionHeads = 4;
    private int intermediateSize = 1024;
    private String hiddenAct = GELU;
    private double hiddenDropoutProb = 0.1;
    private double attentionProbsDropoutProb = 0.1;
    private int maxPositionEmbeddings = 512;
    private int typeVocabSize = 2;
    private double initializerRange = 0.02;
    private double layerNormEps = 1e-12;
    private int padTokenId = 0;
    private Double classifierDropout;
    private List<String> labels = List.of("LABEL_0");
    private ScoreActivation activation;
    private int maxLength;

    private Builder() {}

    /**
     * Sets {@code vocab_size}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder vocabSize(int v) {
      vocabSize = v;
      return this;
    }

    /**
     * Sets {@code embedding_size}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder embeddingSize(int v) {
      embeddingSize = v;
      return this;
    }

    /**
     * Sets {@code hidden_size}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder hiddenSize(int v) {
      hiddenSize = v;
      return this;
    }

    /**
     * Sets {@code num_hidden_layers}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder numHiddenLayers(int v) {
      numHiddenLayers = v;
      return this;
    }

    /**
     * Sets {@code num_attention_heads}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder numAttentionHeads(int v) {
      numAttentionHeads = v;
      return this;
    }

    /**
     * Sets {@code intermediate_size}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder intermediateSize(int v) {
      intermediateSize = v;
      return this;
    }

    /**
     * Sets {@code hidden_act}.
     *
     * @param v the value, never null
     * @return this builder
     */
    public Builder hiddenAct(String v) {
      hiddenAct = v;
      return this;
    }

    /**
     * Sets {@code hidden_dropout_prob}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder hiddenDropoutProb(double v) {
      hiddenDropoutProb = v;
      return this;
    }

    /**
     * Sets {@code attention_probs_dropout_prob}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder attentionProbsDropoutProb(double v) {
      attentionProbsDropoutProb = v;
      return this;
    }

    /**
     * Sets {@code max_position_embeddings}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder maxPositionEmbeddings(int v) {
      maxPositionEmbeddings = v;
      return this;
    }

    /**
     * Sets {@code type_vocab_size}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder typeVocabSize(int v) {
      typeVocabSize = v;
      return this;
    }

    /**
     * Sets {@code initializer_range}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder initializerRange(double v) {
      initializerRange = v;
      return this;
    }

    /**
     * Sets {@code layer_norm_eps}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder layerNormEps(double v) {
      layerNormEps = v;
      return this;
    }

    /**
     * Sets {@code pad_token_id}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder padTokenId(int v) {
      padTokenId = v;
      return this;
    }

    /**
     * Sets {@code classifier_dropout}.
     *
     * @param v the value, or null to use {@code hidden_dropout_prob}
     * @return this builder
     */
    public Builder classifierDropout(Double v) {
      classifierDropout = v;
      return this;
    }

    /**
     * Sets the label names by id ({@code id2label}).
     *
     * @param v the names, never null
     * @return this builder
     */
    public Builder labels(List<String> v) {
      labels = List.copyOf(v);
      return this;
    }

    /**
     * Sets {@code numLabels} labels named {@code LABEL_0}, {@code LABEL_1}, ... as transformers
     * names them.
     *
     * @param numLabels the number of outputs, 1 to {@link #MAX_LABELS}
     * @return this builder
     * @throws IllegalArgumentException if {@code numLabels} is out of range
     */
    public Builder numLabels(int numLabels) {
      labels = ModelConfig.defaultLabels(numLabels);
      return this;
    }

    /**
     * Sets the score activation.
     *
     * @param v the activation, or null for sentence-transformers' default
     * @return this builder
     */
    public Builder activation(ScoreActivation v) {
      activation = v;
      return this;
    }

    /**
     * Sets the maximum sequence length.
     *
     * @param v the length, or 0 for {@code maxPositionEmbeddings}
     * @return this builder
     */
    public Builder maxLength(int v) {
      maxLength = v;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration, never null
     * @throws IllegalArgumentException if a field is invalid, naming its key
     */
    public ElectraConfig build() {
      return new ElectraConfig(
          vocabSize,
          embeddingSize,
          hiddenSize,
          numHiddenLayers,
          numAttentionHeads,
          intermediateSize,
          hiddenAct,
          hiddenDropoutProb,
          attentionProbsDropoutProb,
          maxPositionEmbeddings,
          typeVocabSize,
          initializerRange,
          layerNormEps,
          padTokenId,
          classifierDropout,
          labels,
          activation != null ? activation : ScoreActivation.defaultFor(labels.size()),
          maxLength > 0 ? maxLength : maxPositionEmbeddings);
    }
  }
}
