package dev.ce4j.core.arch.distilbert;

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
 * The architecture and head of a DistilBERT cross-encoder: the fields of a Hugging Face {@code
 * config.json} with {@code "model_type": "distilbert"} (transformers' {@code DistilBertConfig}),
 * plus what sentence-transformers keeps for a cross-encoder (activation, maximum sequence length).
 *
 * <p>DistilBERT has no token type embedding ({@link #typeVocabSize()} is 0: type ids are ignored)
 * and a fixed LayerNorm epsilon of {@link #LAYER_NORM_EPS} (not a key of its configuration).
 *
 * <p>Read and written by {@link DistilBertArchitecture} (through {@link
 * dev.ce4j.core.io.ConfigJson}). Immutable and thread-safe; use {@link #builder()} to make one
 * (defaults are those of transformers' {@code DistilBertConfig}: distilbert-base-uncased). Every
 * weight tensor must hold at most {@link #MAX_TENSOR_ELEMENTS} values.
 *
 * @param vocabSize {@code vocab_size}: rows of the word embedding, at least 1
 * @param dim {@code dim}: width of every hidden state, a positive multiple of {@code nHeads}
 * @param nLayers {@code n_layers}: number of transformer blocks, 1 to {@link #MAX_LAYERS}
 * @param nHeads {@code n_heads}: attention heads per block, at least 1
 * @param hiddenDim {@code hidden_dim}: width of the feed-forward block, at least 1
 * @param feedForwardActivation {@code activation}: the feed-forward block's activation, {@link
 *     #GELU} (exact, erf-based) or {@link #RELU}, never null (the classification head always uses
 *     ReLU, as transformers does)
 * @param sinusoidalPosEmbds {@code sinusoidal_pos_embds}: whether the position table starts as
 *     transformers' fixed sinusoids rather than normal noise (it is stored in the weights either way,
 *     and trained, as in transformers 5)
 * @param dropout {@code dropout}: dropout on the embeddings and the feed-forward output while
 *     training, in [0, 1)
 * @param attentionDropout {@code attention_dropout}: dropout on attention probabilities while
 *     training, in [0, 1)
 * @param seqClassifDropout {@code seq_classif_dropout}: dropout before the classifier while
 *     training, in [0, 1)
 * @param qaDropout {@code qa_dropout}: the question-answering head's dropout, unused by a
 *     cross-encoder but kept so that a saved folder says what the loaded one said, in [0, 1)
 * @param maxPositionEmbeddings {@code max_position_embeddings}: rows of the position embedding, at
 *     least 4
 * @param initializerRange {@code initializer_range}: standard deviation of the normal
 *     initialisation, positive, at most {@link #MAX_INITIALIZER_RANGE}
 * @param padTokenId {@code pad_token_id}: the padding id (its word embedding row starts at zero), in
 *     [0, vocabSize)
 * @param tieWeights {@code tie_weights_}: a key of configurations written by transformers 2 and 3
 *     (about the masked-LM head; unused here), kept to be written back, or null when absent
 * @param labels the label names by id ({@code id2label}); its size is the number of outputs; never
 *     null, 1 to {@link #MAX_LABELS}, copied
 * @param activation the function applied to logits to give scores, never null
 * @param maxLength the longest token sequence fed to the model (longer pairs are truncated), in [4,
 *     maxPositionEmbeddings]
 */
public record DistilBertConfig(
    int vocabSize,
    int dim,
    int nLayers,
    int nHeads,
    int hiddenDim,
    String feedForwardActivation,
    boolean sinusoidalPosEmbds,
    double dropout,
    double attentionDropout,
    double seqClassifDropout,
    double qaDropout,
    int maxPositionEmbeddings,
    double initializerRange,
    int padTokenId,
    Boolean tieWeights,
    List<String> labels,
    ScoreActivation activation,
    int maxLength)
    implements ModelConfig {

  /** The only {@code model_type}. */
  public static final String MODEL_TYPE = "distilbert";

  /** The {@code architectures} entry written for a cross-encoder. */
  public static final String ARCHITECTURE = "DistilBertForSequenceClassification";

  /** {@code activation} value: exact (erf) GELU, transformers' default. */
  public static final String GELU = "gelu";

  /** {@code activation} value: ReLU. */
  public static final String RELU = "relu";

  /** The epsilon of every LayerNorm of DistilBERT, fixed in transformers' code. */
  public static final double LAYER_NORM_EPS = 1e-12;

  /** The most values one tensor may hold (see {@link ConfigChecks#MAX_TENSOR_ELEMENTS}). */
  public static final long MAX_TENSOR_ELEMENTS = ConfigChecks.MAX_TENSOR_ELEMENTS;

  /**
   * The largest {@code initializer_range} accepted: {@link WeightInit}'s normal deviates stay below
   * 9 in absolute value, so 9 standard deviations must be a finite float.
   */
  public static final double MAX_INITIALIZER_RANGE = Float.MAX_VALUE / 9.0;

  /** The most blocks accepted. */
  public static final int MAX_LAYERS = 1024;

  /** The most labels (classifier outputs) accepted. */
  public static final int MAX_LABELS = ModelConfig.MAX_LABELS;

  /** Validates every field, naming its {@code config.json} key, and copies {@code labels}. */
  public DistilBertConfig {
    Objects.requireNonNull(feedForwardActivation, "activation");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(activation, "activation (score)");
    labels = List.copyOf(labels);
    positive("vocab_size", vocabSize);
    positive("dim", dim);
    positive("n_layers", nLayers);
    positive("n_heads", nHeads);
    positive("hidden_dim", hiddenDim);
    if (nLayers > MAX_LAYERS) {
      throw new IllegalArgumentException(
          "n_layers " + nLayers + " is more than ce supports (at most " + MAX_LAYERS + ")");
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("there must be at least one label (num_labels >= 1)");
    }
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException(
          "num_labels " + labels.size() + " is more than ce supports (at most " + MAX_LABELS + ")");
    }
    if (dim % nHeads != 0) {
      throw new IllegalArgumentException(
          "dim " + dim + " is not a multiple of n_heads " + nHeads
              + " (each attention head gets dim / n_heads dimensions)");
    }
    if (maxPositionEmbeddings < 4) {
      throw new IllegalArgumentException(
          "max_position_embeddings must be at least 4, got " + maxPositionEmbeddings);
    }
    fits("vocab_size", vocabSize, "dim", dim, "word embedding");
    fits("max_position_embeddings", maxPositionEmbeddings, "dim", dim, "position embedding");
    fits("hidden_dim", hiddenDim, "dim", dim, "feed-forward weight");
    fits("dim", dim, "dim", dim, "attention weight");
    fits("num_labels", labels.size(), "dim", dim, "classifier weight");
    if (!GELU.equals(feedForwardActivation) && !RELU.equals(feedForwardActivation)) {
      throw new IllegalArgumentException(
          "activation '" + feedForwardActivation + "' is not supported; ce supports 'gelu' (exact GELU) and"
              + " 'relu'");
    }
    probability("dropout", dropout);
    probability("attention_dropout", attentionDropout);
    probability("seq_classif_dropout", seqClassifDropout);
    probability("qa_dropout", qaDropout);
    if (!(initializerRange > 0) || Double.isInfinite(initializerRange)) {
      throw new IllegalArgumentException("initializer_range must be positive, got " + initializerRange);
    }
    if (initializerRange > MAX_INITIALIZER_RANGE) {
      throw new IllegalArgumentException(
          "initializer_range " + initializerRange + " is too large: weights drawn with it overflow 32-bit"
              + " floats (at most " + MAX_INITIALIZER_RANGE + "; DistilBERT's is 0.02)");
    }
    if (padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "pad_token_id " + padTokenId + " is outside [0, vocab_size " + vocabSize + ")");
    }
    if (maxLength < 4 || maxLength > maxPositionEmbeddings) {
      throw new IllegalArgumentException(
          "max_length " + maxLength + " must be between 4 (a pair needs [CLS], [SEP] twice and one token"
              + " of text) and max_position_embeddings " + maxPositionEmbeddings);
    }
  }

  @Override
  public Architecture architecture() {
    return DistilBertArchitecture.INSTANCE;
  }

  @Override
  public String modelType() {
    return MODEL_TYPE;
  }

  /**
   * DistilBERT has no token type embedding: type ids are ignored.
   *
   * @return 0
   */
  @Override
  public int typeVocabSize() {
    return 0;
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

  @Override
  public int numLabels() {
    return labels.size();
  }

  /**
   * The width of one attention head.
   *
   * @return {@code dim / nHeads}
   */
  public int headSize() {
    return dim / nHeads;
  }

  /**
   * A summary such as {@code 6 layers, dim 768, 12 heads, hidden_dim 3072, gelu}, with {@code ,
   * sinusoidal positions} when {@link #sinusoidalPosEmbds}.
   */
  @Override
  public String describeSizes() {
    return nLayers + (nLayers == 1 ? " layer" : " layers") + ", dim " + dim + ", " + nHeads
        + (nHeads == 1 ? " head" : " heads") + ", hidden_dim " + hiddenDim + ", " + feedForwardActivation
        + (sinusoidalPosEmbds ? ", sinusoidal positions" : "");
  }

  /**
   * The number of weights (every tensor of {@link DistilBertTensors#shapes}).
   *
   * @return the count, exact (it cannot overflow for a valid configuration)
   */
  @Override
  public long parameterCount() {
    long d = dim;
    long h = hiddenDim;
    long embeddings = ((long) vocabSize + maxPositionEmbeddings) * d + 2 * d;
    long layer = 4 * (d * d + d) + 2 * d + (h * d + h) + (d * h + d) + 2 * d;
    long head = d * d + d + (long) numLabels() * d + numLabels();
    return embeddings + nLayers * layer + head;
  }

  @Override
  public DistilBertConfig withLabels(List<String> newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  @Override
  public DistilBertConfig withNumLabels(int numLabels) {
    return toBuilder().labels(ModelConfig.defaultLabels(numLabels)).build();
  }

  @Override
  public DistilBertConfig withActivation(ScoreActivation newActivation) {
    return toBuilder().activation(Objects.requireNonNull(newActivation, "activation")).build();
  }

  @Override
  public DistilBertConfig withMaxLength(int newMaxLength) {
    return toBuilder().maxLength(newMaxLength).build();
  }

  /**
   * A copy with other dropout probabilities (embeddings and feed-forward, attention, classifier).
   *
   * @param newDropout {@code dropout}, in [0, 1)
   * @param newAttentionDropout {@code attention_dropout}, in [0, 1)
   * @param newSeqClassifDropout {@code seq_classif_dropout}, in [0, 1)
   * @return the copy, never null
   * @throws IllegalArgumentException if a probability is out of range, naming its key
   */
  public DistilBertConfig withDropout(double newDropout, double newAttentionDropout, double newSeqClassifDropout) {
    return toBuilder()
        .dropout(newDropout)
        .attentionDropout(newAttentionDropout)
        .seqClassifDropout(newSeqClassifDropout)
        .build();
  }

  /**
   * A builder initialised with this configuration.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.vocabSize = vocabSize;
    b.dim = dim;
    b.nLayers = nLayers;
    b.nHeads = nHeads;
    b.hiddenDim = hiddenDim;
    b.feedForwardActivation = feedForwardActivation;
    b.sinusoidalPosEmbds = sinusoidalPosEmbds;
    b.dropout = dropout;
    b.attentionDropout = attentionDropout;
    b.seqClassifDropout = seqClassifDropout;
    b.qaDropout = qaDropout;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.initializerRange = initializerRange;
    b.padTokenId = padTokenId;
    b.tieWeights = tieWeights;
    b.labels = labels;
    b.activation = activation;
    b.maxLength = maxLength;
    return b;
  }

  /**
   * A builder with transformers' {@code DistilBertConfig} defaults (distilbert-base-uncased:
   * vocabulary 30522, dim 768, 6 layers, 12 heads, hidden_dim 3072, GELU, learned positions, 512
   * of them, dropout 0.1, attention dropout 0.1, classifier dropout 0.2) and one label.
   *
   * @return a new builder, never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link DistilBertConfig}. Unset fields take transformers' defaults; an unset score
   * activation takes sentence-transformers' default for the number of labels, an unset maximum
   * length is {@code maxPositionEmbeddings}. Not thread-safe.
   */
  public static final class Builder {
    private int vocabSize = 30522;
    private int dim = 768;
    private int nLayers = 6;
    private int nHeads = 12;
    private int hiddenDim = 4 * 768;
    private String feedForwardActivation = GELU;
    private boolean sinusoidalPosEmbds;
    private double dropout = 0.1;
    private double attentionDropout = 0.1;
    private double seqClassifDropout = 0.2;
    private double qaDropout = 0.1;
    private int maxPositionEmbeddings = 512;
    private double initializerRange = 0.02;
    private int padTokenId;
    private Boolean tieWeights;
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
     * Sets {@code dim}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder dim(int v) {
      dim = v;
      return this;
    }

    /**
     * Sets {@code n_layers}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder nLayers(int v) {
      nLayers = v;
      return this;
    }

    /**
     * Sets {@code n_heads}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder nHeads(int v) {
      nHeads = v;
      return this;
    }

    /**
     * Sets {@code hidden_dim}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder hiddenDim(int v) {
      hiddenDim = v;
      return this;
    }

    /**
     * Sets {@code activation}, the feed-forward block's.
     *
     * @param v {@link #GELU} or {@link #RELU}, never null
     * @return this builder
     */
    public Builder feedForwardActivation(String v) {
      feedForwardActivation = v;
      return this;
    }

    /**
     * Sets {@code sinusoidal_pos_embds}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder sinusoidalPosEmbds(boolean v) {
      sinusoidalPosEmbds = v;
      return this;
    }

    /**
     * Sets {@code dropout}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder dropout(double v) {
      dropout = v;
      return this;
    }

    /**
     * Sets {@code attention_dropout}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder attentionDropout(double v) {
      attentionDropout = v;
      return this;
    }

    /**
     * Sets {@code seq_classif_dropout}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder seqClassifDropout(double v) {
      seqClassifDropout = v;
      return this;
    }

    /**
     * Sets {@code qa_dropout}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder qaDropout(double v) {
      qaDropout = v;
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
     * Sets the legacy {@code tie_weights_}.
     *
     * @param v the value, or null for none
     * @return this builder
     */
    public Builder tieWeights(Boolean v) {
      tieWeights = v;
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
     * Sets {@code numLabels} labels named as transformers names them ({@code LABEL_0}, ...).
     *
     * @param numLabels the number of outputs, from 1 to {@link #MAX_LABELS}
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
    public DistilBertConfig build() {
      return new DistilBertConfig(
          vocabSize, dim, nLayers, nHeads, hiddenDim, feedForwardActivation, sinusoidalPosEmbds, dropout,
          attentionDropout, seqClassifDropout, qaDropout, maxPositionEmbeddings, initializerRange, padTokenId,
          tieWeights, labels, activation != null ? activation : ScoreActivation.defaultFor(labels.size()),
          maxLength > 0 ? maxLength : maxPositionEmbeddings);
    }
  }
}
