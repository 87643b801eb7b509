package dev.ce4j.core.arch.roberta;

import static dev.ce4j.core.arch.ConfigChecks.fits;
import static dev.ce4j.core.arch.ConfigChecks.positive;
import static dev.ce4j.core.arch.ConfigChecks.probability;

import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ConfigChecks;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The architecture and head of a RoBERTa or XLM-RoBERTa cross-encoder: the fields of a Hugging Face
 * {@code config.json} with {@code "model_type": "roberta"} or {@code "xlm-roberta"} (transformers'
 * {@code RobertaConfig}; {@code XLMRobertaConfig} has the same keys), plus what sentence-transformers
 * keeps for a cross-encoder (activation, maximum sequence length).
 *
 * <p>RoBERTa counts positions from {@code pad_token_id + 1} (transformers' {@code
 * create_position_ids_from_input_ids}), so the longest sequence is {@code max_position_embeddings -
 * pad_token_id - 1} tokens ({@link #maxPositions()}; 512 for the usual 514 rows and padding id 1).
 *
 * <p>Read and written by {@link RobertaArchitecture} through {@link dev.ce4j.core.io.ConfigJson}.
 * Immutable and thread-safe; use {@link #builder()} to make one (defaults are transformers' {@code
 * RobertaConfig} defaults).
 *
 * <p>Every weight tensor must hold at most {@link #MAX_TENSOR_ELEMENTS} values ({@code vocab_size x
 * hidden_size}, {@code intermediate_size x hidden_size}, ...).
 *
 * @param modelType {@code "roberta"} or {@code "xlm-roberta"}: what {@code config.json} names and
 *     is written back (the model is the same), never null
 * @param vocabSize rows of the word embedding, at least 1
 * @param hiddenSize width of every hidden state, a positive multiple of {@code numAttentionHeads}
 * @param numHiddenLayers number of transformer layers, 1 to {@link #MAX_LAYERS}
 * @param numAttentionHeads attention heads per layer, at least 1
 * @param intermediateSize width of the feed-forward layer, at least 1
 * @param hiddenAct the feed-forward activation; only {@code "gelu"} (exact, erf-based) is
 *     supported, never null
 * @param hiddenDropoutProb dropout on embeddings and layer outputs while training, in [0, 1)
 * @param attentionProbsDropoutProb dropout on attention probabilities while training, in [0, 1)
 * @param maxPositionEmbeddings rows of the position embedding, at least {@code padTokenId + 5} (the
 *     positions start after the padding index, and a pair needs 4 of them at least)
 * @param typeVocabSize rows of the token-type embedding, at least 1 (pretrained RoBERTa and XLM-R
 *     checkpoints have 1; transformers' default is 2)
 * @param initializerRange standard deviation of the normal initialisation, positive, at most {@link
 *     #MAX_INITIALIZER_RANGE}
 * @param layerNormEps epsilon of every LayerNorm, positive
 * @param padTokenId the padding token id: padded positions get it as token and as position, and its
 *     rows of the word and position embeddings start at zero; in [0, vocabSize)
 * @param bosTokenId {@code bos_token_id}, at least 0, or null (kept for transformers; the model does
 *     not read it)
 * @param eosTokenId {@code eos_token_id}, at least 0, or null (kept for transformers; the model does
 *     not read it)
 * @param classifierDropout dropout in the classification head, in [0, 1); null means {@code
 *     hiddenDropoutProb}, as in transformers
 * @param labels the label names by id ({@code id2label}); its size is the number of outputs; never
 *     null, 1 to {@link #MAX_LABELS}, copied
 * @param activation the function applied to logits to give scores, never null
 * @param maxLength the longest token sequence fed to the model (longer pairs are truncated), in [4,
 *     {@link #maxPositions()}]
 */
public record RobertaConfig(
    String modelType,
    int vocabSize,
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
    Integer bosTokenId,
    Integer eosTokenId,
    Double classifierDropout,
    List<String> labels,
    ScoreActivation activation,
    int maxLength)
    implements ModelConfig {

  /** The {@code model_type} of RoBERTa. */
  public static final String ROBERTA = "roberta";

  /** The {@code model_type} of XLM-RoBERTa. */
  public static final String XLM_ROBERTA = "xlm-roberta";

  /** The {@code architectures} entry written for a RoBERTa cross-encoder. */
  public static final String ROBERTA_ARCHITECTURE = "RobertaForSequenceClassification";

  /** The {@code architectures} entry written for an XLM-RoBERTa cross-encoder. */
  public static final String XLM_ROBERTA_ARCHITECTURE = "XLMRobertaForSequenceClassification";

  /** The only {@code hidden_act} supported: exact GELU. */
  public static final String GELU = "gelu";

  /** The most values one tensor may hold (see {@link ConfigChecks#MAX_TENSOR_ELEMENTS}). */
  public static final long MAX_TENSOR_ELEMENTS = ConfigChecks.MAX_TENSOR_ELEMENTS;

  /**
   * The largest {@code initializer_range} accepted: {@link WeightInit}'s normal deviates stay below
   * 9 in absolute value, so 9 standard deviations must be a finite float.
   */
  public static final double MAX_INITIALIZER_RANGE = Float.MAX_VALUE / 9.0;

  /** The most encoder layers accepted (XLM-RoBERTa-large has 24). */
  public static final int MAX_LAYERS = 1024;

  /** The most labels (classifier outputs) accepted. */
  public static final int MAX_LABELS = ModelConfig.MAX_LABELS;

  /** The fewest positions a model must allow: a pair needs {@code <s>}, {@code </s>} three times. */
  private static final int MIN_POSITIONS = 4;

  /** Validates every field and copies {@code labels}. */
  public RobertaConfig {
    Objects.requireNonNull(modelType, "modelType");
    Objects.requireNonNull(hiddenAct, "hiddenAct");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(activation, "activation");
    labels = List.copyOf(labels);
    if (!ROBERTA.equals(modelType) && !XLM_ROBERTA.equals(modelType)) {
      throw new IllegalArgumentException(
          "model_type '" + modelType + "' is not RoBERTa's; it must be \"" + ROBERTA + "\" or \"" + XLM_ROBERTA + "\"");
    }
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("intermediate_size", intermediateSize);
    positive("type_vocab_size", typeVocabSize);
    positive("max_position_embeddings", maxPositionEmbeddings);
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
    fits("vocab_size", vocabSize, "hidden_size", hiddenSize, "word embedding");
    fits("max_position_embeddings", maxPositionEmbeddings, "hidden_size", hiddenSize, "position embedding");
    fits("type_vocab_size", typeVocabSize, "hidden_size", hiddenSize, "token type embedding");
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
              + " floats (at most " + MAX_INITIALIZER_RANGE + "; RoBERTa's is 0.02)");
    }
    if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
      throw new IllegalArgumentException("layer_norm_eps must be positive, got " + layerNormEps);
    }
    if (padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "pad_token_id " + padTokenId + " is outside [0, vocab_size " + vocabSize + ")");
    }
    long positions = (long) maxPositionEmbeddings - padTokenId - 1;
    if (positions < MIN_POSITIONS) {
      throw new IllegalArgumentException(
          "max_position_embeddings " + maxPositionEmbeddings + " leaves " + Math.max(positions, 0)
              + " positions: RoBERTa's positions start after pad_token_id " + padTokenId
              + ", so max_position_embeddings must be at least pad_token_id + " + (MIN_POSITIONS + 1)
              + " = " + (padTokenId + MIN_POSITIONS + 1) + " (a pair needs 4 special tokens)");
    }
    if (bosTokenId != null && bosTokenId < 0) {
      throw new IllegalArgumentException("bos_token_id must be at least 0 or null, got " + bosTokenId);
    }
    if (eosTokenId != null && eosTokenId < 0) {
      throw new IllegalArgumentException("eos_token_id must be at least 0 or null, got " + eosTokenId);
    }
    if (maxLength < MIN_POSITIONS || maxLength > positions) {
      throw new IllegalArgumentException(
          "max_length " + maxLength + " must be between 4 (a pair needs <s>, </s> three times) and "
              + positions + " (max_position_embeddings " + maxPositionEmbeddings + " - pad_token_id "
              + padTokenId + " - 1: RoBERTa's positions start after the padding index)");
    }
  }

  @Override
  public Architecture architecture() {
    return RobertaArchitecture.INSTANCE;
  }

  /**
   * The number of outputs of the classifier.
   *
   * @return {@code labels().size()}, at least 1
   */
  @Override
  public int numLabels() {
    return labels.size();
  }

  /**
   * The longest sequence: {@code max_position_embeddings - pad_token_id - 1}, since the first token
   * takes position {@code pad_token_id + 1}.
   *
   * @return the length, at least 4
   */
  @Override
  public int maxPositions() {
    return maxPositionEmbeddings - padTokenId - 1;
  }

  /**
   * The {@code architectures} entry transformers writes for this {@code model_type}.
   *
   * @return {@link #ROBERTA_ARCHITECTURE} or {@link #XLM_ROBERTA_ARCHITECTURE}, never null
   */
  public String architectureName() {
    return XLM_ROBERTA.equals(modelType) ? XLM_ROBERTA_ARCHITECTURE : ROBERTA_ARCHITECTURE;
  }

  @Override
  public String describeSizes() {
    return numHiddenLayers + (numHiddenLayers == 1 ? " layer" : " layers") + ", hidden " + hiddenSize
        + ", " + numAttentionHeads + (numAttentionHeads == 1 ? " head" : " heads") + ", intermediate "
        + intermediateSize;
  }

  @Override
  public RobertaConfig withLabels(List<String> newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  @Override
  public RobertaConfig withNumLabels(int n) {
    return toBuilder().numLabels(n).build();
  }

  @Override
  public RobertaConfig withActivation(ScoreActivation newActivation) {
    return toBuilder().activation(Objects.requireNonNull(newActivation, "activation")).build();
  }

  /**
   * A copy with another maximum sequence length.
   *
   * @param newMaxLength the new length, in [4, {@link #maxPositions()}]
   * @return the copy, never null
   * @throws IllegalArgumentException if the length is out of range
   */
  @Override
  public RobertaConfig withMaxLength(int newMaxLength) {
    return toBuilder().maxLength(newMaxLength).build();
  }

  /**
   * A copy with every dropout probability (hidden, attention, classifier) set to one value; 0 makes
   * training deterministic whatever the dropout seed.
   *
   * @param p the probability, in [0, 1)
   * @return the copy, never null
   * @throws IllegalArgumentException if {@code p} is out of range
   */
  public RobertaConfig withDropout(double p) {
    return toBuilder().hiddenDropoutProb(p).attentionProbsDropoutProb(p).classifierDropout(p).build();
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
   * The dropout probability in the classification head.
   *
   * @return {@code classifierDropout} when set, else {@code hiddenDropoutProb}
   */
  public double effectiveClassifierDropout() {
    return classifierDropout != null ? classifierDropout : hiddenDropoutProb;
  }

  /**
   * The number of weights of a model of this configuration (every tensor of {@link
   * RobertaTensors#shapes}).
   *
   * @return the count, exact (it cannot overflow for a valid configuration)
   */
  @Override
  public long parameterCount() {
    long h = hiddenSize;
    long i = intermediateSize;
    long embeddings = ((long) vocabSize + maxPositionEmbeddings + typeVocabSize) * h + 2 * h;
    long layer = 4 * (h * h + h) + 2 * h + (i * h + i) + (h * i + h) + 2 * h;
    long head = h * h + h + (long) numLabels() * h + numLabels();
    return embeddings + numHiddenLayers * layer + head;
  }

  /**
   * A builder initialised with this configuration.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.modelType = modelType;
    b.vocabSize = vocabSize;
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
    b.bosTokenId = bosTokenId;
    b.eosTokenId = eosTokenId;
    b.classifierDropout = classifierDropout;
    b.labels = new ArrayList<>(labels);
    b.activation = activation;
    b.maxLength = maxLength;
    return b;
  }

  /**
   * A builder with transformers' {@code RobertaConfig} defaults (roberta-base: vocabulary 50265,
   * hidden 768, 12 layers, 12 heads, intermediate 3072, dropout 0.1, 512 position rows, 2 token
   * types, LayerNorm epsilon 1e-12, padding id 1, bos 0, eos 2), {@code model_type} {@code roberta}
   * and one label.
   *
   * @return a new builder, never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link RobertaConfig}. Unset fields take transformers' defaults; an unset activation
   * takes sentence-transformers' default for the number of labels, an unset maximum length is
   * {@link RobertaConfig#maxPositions()}. Not thread-safe.
   */
  public static final class Builder {
    private String modelType = ROBERTA;
    private int vocabSize = 50265;
    private int hiddenSize = 768;
    private int numHiddenLayers = 12;
    private int numAttentionHeads = 12;
    private int intermediateSize = 3072;
    private String hiddenAct = GELU;
    private double hiddenDropoutProb = 0.1;
    private double attentionProbsDropoutProb = 0.1;
    private int maxPositionEmbeddings = 512;
    private int typeVocabSize = 2;
    private double initializerRange = 0.02;
    private double layerNormEps = 1e-12;
    private int padTokenId = 1;
    private Integer bosTokenId = 0;
    private Integer eosTokenId = 2;
    private Double classifierDropout;
    private List<String> labels = List.of("LABEL_0");
    private ScoreActivation activation;
    private int maxLength;

    private Builder() {}

    /**
     * Sets {@code model_type}.
     *
     * @param v {@code "roberta"} or {@code "xlm-roberta"}, never null
     * @return this builder
     */
    public Builder modelType(String v) {
      modelType = v;
      return this;
    }

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
     * Sets {@code bos_token_id}.
     *
     * @param v the value, or null
     * @return this builder
     */
    public Builder bosTokenId(Integer v) {
      bosTokenId = v;
      return this;
    }

    /**
     * Sets {@code eos_token_id}.
     *
     * @param v the value, or null
     * @return this builder
     */
    public Builder eosTokenId(Integer v) {
      eosTokenId = v;
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
     * @param v the length, or 0 for {@link RobertaConfig#maxPositions()}
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
     * @throws IllegalArgumentException if a field is invalid, naming it
     */
    public RobertaConfig build() {
      return new RobertaConfig(
          modelType,
          vocabSize,
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
          bosTokenId,
          eosTokenId,
          classifierDropout,
          labels,
          activation != null ? activation : ScoreActivation.defaultFor(labels.size()),
          maxLength > 0 ? maxLength : Math.max(maxPositionEmbeddings - padTokenId - 1, 0));
    }
  }
}
