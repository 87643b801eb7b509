package dev.ce4j.core.arch.deberta;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;

/**
 * Builds a {@link DebertaV2Config} ({@link DebertaV2Config#builder()}, {@link DebertaV2Config#toBuilder()}); unset
 * fields take transformers' defaults, an unset score activation sentence-transformers' default for the number of
 * labels, an unset maximum length {@code max_position_embeddings}. Not thread-safe.
 */
public final class DebertaV2ConfigBuilder {
  int vocabSize = 128100;
  int hiddenSize = 1536;
  int numHiddenLayers = 24;
  int numAttentionHeads = 24;
  int intermediateSize = 6144;
  String hiddenAct = "gelu";
  double hiddenDropoutProb = 0.1;
  double attentionProbsDropoutProb = 0.1;
  int maxPositionEmbeddings = 512;
  int typeVocabSize;
  double initializerRange = 0.02;
  double layerNormEps = 1e-7;
  boolean relativeAttention;
  int maxRelativePositions = -1;
  int positionBuckets = -1;
  List<String> posAttType = List.of();
  boolean shareAttKey;
  String normRelEbd = "none";
  boolean positionBiasedInput = true;
  int embeddingSize;
  int poolerHiddenSize;
  double poolerDropout;
  String poolerHiddenAct = "gelu";
  Double clsDropout;
  int convKernelSize;
  int convGroups = 1;
  String convAct = "tanh";
  boolean legacy = true;
  int padTokenId;
  List<String> labels = List.of("LABEL_0");
  ScoreActivation activation;
  int maxLength;

  DebertaV2ConfigBuilder() {}

  /**
   * Sets {@code vocab_size}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder vocabSize(int v) {
    vocabSize = v;
    return this;
  }

  /**
   * Sets {@code hidden_size}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder hiddenSize(int v) {
    hiddenSize = v;
    return this;
  }

  /**
   * Sets {@code num_hidden_layers}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder numHiddenLayers(int v) {
    numHiddenLayers = v;
    return this;
  }

  /**
   * Sets {@code num_attention_heads}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder numAttentionHeads(int v) {
    numAttentionHeads = v;
    return this;
  }

  /**
   * Sets {@code intermediate_size}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder intermediateSize(int v) {
    intermediateSize = v;
    return this;
  }

  /**
   * Sets {@code hidden_act}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder hiddenAct(String v) {
    hiddenAct = v;
    return this;
  }

  /**
   * Sets {@code hidden_dropout_prob}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder hiddenDropoutProb(double v) {
    hiddenDropoutProb = v;
    return this;
  }

  /**
   * Sets {@code attention_probs_dropout_prob}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder attentionProbsDropoutProb(double v) {
    attentionProbsDropoutProb = v;
    return this;
  }

  /**
   * Sets {@code max_position_embeddings}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder maxPositionEmbeddings(int v) {
    maxPositionEmbeddings = v;
    return this;
  }

  /**
   * Sets {@code type_vocab_size}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder typeVocabSize(int v) {
    typeVocabSize = v;
    return this;
  }

  /**
   * Sets {@code initializer_range}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder initializerRange(double v) {
    initializerRange = v;
    return this;
  }

  /**
   * Sets {@code layer_norm_eps}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder layerNormEps(double v) {
    layerNormEps = v;
    return this;
  }

  /**
   * Sets {@code relative_attention}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder relativeAttention(boolean v) {
    relativeAttention = v;
    return this;
  }

  /**
   * Sets {@code max_relative_positions}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder maxRelativePositions(int v) {
    maxRelativePositions = v;
    return this;
  }

  /**
   * Sets {@code position_buckets}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder positionBuckets(int v) {
    positionBuckets = v;
    return this;
  }

  /**
   * Sets {@code pos_att_type}.
   *
   * @param v the terms, never null
   * @return this builder
   */
  public DebertaV2ConfigBuilder posAttType(List<String> v) {
    posAttType = List.copyOf(v);
    return this;
  }

  /**
   * Sets {@code share_att_key}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder shareAttKey(boolean v) {
    shareAttKey = v;
    return this;
  }

  /**
   * Sets {@code norm_rel_ebd}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder normRelEbd(String v) {
    normRelEbd = v;
    return this;
  }

  /**
   * Sets {@code position_biased_input}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder positionBiasedInput(boolean v) {
    positionBiasedInput = v;
    return this;
  }

  /**
   * Sets {@code embedding_size}.
   *
   * @param v the value, or 0 for hidden_size
   * @return this builder
   */
  public DebertaV2ConfigBuilder embeddingSize(int v) {
    embeddingSize = v;
    return this;
  }

  /**
   * Sets {@code pooler_hidden_size}.
   *
   * @param v the value, or 0 for hidden_size
   * @return this builder
   */
  public DebertaV2ConfigBuilder poolerHiddenSize(int v) {
    poolerHiddenSize = v;
    return this;
  }

  /**
   * Sets {@code pooler_dropout}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder poolerDropout(double v) {
    poolerDropout = v;
    return this;
  }

  /**
   * Sets {@code pooler_hidden_act}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder poolerHiddenAct(String v) {
    poolerHiddenAct = v;
    return this;
  }

  /**
   * Sets {@code cls_dropout}.
   *
   * @param v the value, or null for none
   * @return this builder
   */
  public DebertaV2ConfigBuilder clsDropout(Double v) {
    clsDropout = v;
    return this;
  }

  /**
   * Sets {@code conv_kernel_size}.
   *
   * @param v 0 for none, else odd
   * @return this builder
   */
  public DebertaV2ConfigBuilder convKernelSize(int v) {
    convKernelSize = v;
    return this;
  }

  /**
   * Sets {@code conv_groups}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder convGroups(int v) {
    convGroups = v;
    return this;
  }

  /**
   * Sets {@code conv_act}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder convAct(String v) {
    convAct = v;
    return this;
  }

  /**
   * Sets {@code legacy}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder legacy(boolean v) {
    legacy = v;
    return this;
  }

  /**
   * Sets {@code pad_token_id}.
   *
   * @param v the value
   * @return this builder
   */
  public DebertaV2ConfigBuilder padTokenId(int v) {
    padTokenId = v;
    return this;
  }

  /**
   * Sets the label names by id.
   *
   * @param v the names, never null
   * @return this builder
   */
  public DebertaV2ConfigBuilder labels(List<String> v) {
    labels = List.copyOf(v);
    return this;
  }

  /**
   * Sets {@code numLabels} labels named as transformers names them.
   *
   * @param numLabels the number of outputs
   * @return this builder
   */
  public DebertaV2ConfigBuilder numLabels(int numLabels) {
    labels = ModelConfig.defaultLabels(numLabels);
    return this;
  }

  /**
   * Sets the score activation.
   *
   * @param v the activation, or null for the default
   * @return this builder
   */
  public DebertaV2ConfigBuilder activation(ScoreActivation v) {
    activation = v;
    return this;
  }

  /**
   * Sets the maximum length.
   *
   * @param v the length, or 0 for max_position_embeddings
   * @return this builder
   */
  public DebertaV2ConfigBuilder maxLength(int v) {
    maxLength = v;
    return this;
  }

  /**
   * Builds the configuration.
   *
   * @return the configuration, never null
   * @throws IllegalArgumentException if a field is invalid, naming its key
   */
  public DebertaV2Config build() {
    return new DebertaV2Config(
        vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct, hiddenDropoutProb,
        attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, initializerRange, layerNormEps,
        relativeAttention, maxRelativePositions, positionBuckets, posAttType, shareAttKey, normRelEbd,
        positionBiasedInput, embeddingSize > 0 ? embeddingSize : hiddenSize,
        poolerHiddenSize > 0 ? poolerHiddenSize : hiddenSize, poolerDropout, poolerHiddenAct, clsDropout,
        convKernelSize, convGroups, convAct, legacy,
        padTokenId, labels, activation != null ? activation : ScoreActivation.defaultFor(labels.size()),
        maxLength > 0 ? maxLength : maxPositionEmbeddings);
  }
}
