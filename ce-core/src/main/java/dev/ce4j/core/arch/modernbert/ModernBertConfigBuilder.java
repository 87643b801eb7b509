package dev.ce4j.core.arch.modernbert;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;

/**
 * Builds a {@link ModernBertConfig}. Unset fields take the defaults of transformers' {@code
 * ModernBertConfig} (ModernBERT-base: vocabulary 50368, hidden 768, 22 layers, 12 heads,
 * intermediate 1152, global attention every 3 layers, a local window of 128, rotary thetas 160000
 * and 10000, 8192 positions, no biases, CLS pooling); an unset score activation takes
 * sentence-transformers' default for the number of labels, an unset maximum length is {@code
 * maxPositionEmbeddings}. Not thread-safe.
 */
public final class ModernBertConfigBuilder {
  int vocabSize = 50368;
  int hiddenSize = 768;
  int intermediateSize = 1152;
  int numHiddenLayers = 22;
  int numAttentionHeads = 12;
  String hiddenActivation = ModernBertConfig.GELU;
  int maxPositionEmbeddings = 8192;
  double initializerRange = 0.02;
  Double initializerCutoffFactor = 2.0;
  double normEps = 1e-5;
  boolean normBias = false;
  int padTokenId = 50283;
  Integer eosTokenId = 50282;
  Integer bosTokenId = 50281;
  Integer clsTokenId = 50281;
  Integer sepTokenId = 50282;
  boolean attentionBias = false;
  double attentionDropout = 0.0;
  int globalAttnEveryNLayers = 3;
  double globalRopeTheta = ModernBertConfig.DEFAULT_GLOBAL_ROPE_THETA;
  double localRopeTheta = ModernBertConfig.DEFAULT_LOCAL_ROPE_THETA;
  int localAttention = 128;
  double embeddingDropout = 0.0;
  boolean mlpBias = false;
  double mlpDropout = 0.0;
  boolean decoderBias = true;
  String classifierPooling = ModernBertConfig.CLS;
  double classifierDropout = 0.0;
  boolean classifierBias = false;
  String classifierActivation = ModernBertConfig.GELU;
  boolean deterministicFlashAttn = false;
  boolean sparsePrediction = false;
  int sparsePredIgnoreIndex = -100;
  boolean tieWordEmbeddings = true;
  List<String> labels = List.of("LABEL_0");
  ScoreActivation activation;
  int maxLength;

  ModernBertConfigBuilder() {}

  /**
   * Sets {@code vocab_size}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder vocabSize(int v) {
    vocabSize = v;
    return this;
  }

  /**
   * Sets {@code hidden_size}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder hiddenSize(int v) {
    hiddenSize = v;
    return this;
  }

  /**
   * Sets {@code intermediate_size}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder intermediateSize(int v) {
    intermediateSize = v;
    return this;
  }

  /**
   * Sets {@code num_hidden_layers}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder numHiddenLayers(int v) {
    numHiddenLayers = v;
    return this;
  }

  /**
   * Sets {@code num_attention_heads}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder numAttentionHeads(int v) {
    numAttentionHeads = v;
    return this;
  }

  /**
   * Sets {@code hidden_activation}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder hiddenActivation(String v) {
    hiddenActivation = v;
    return this;
  }

  /**
   * Sets {@code max_position_embeddings}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder maxPositionEmbeddings(int v) {
    maxPositionEmbeddings = v;
    return this;
  }

  /**
   * Sets {@code initializer_range}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder initializerRange(double v) {
    initializerRange = v;
    return this;
  }

  /**
   * Sets {@code initializer_cutoff_factor}.
   *
   * @param v the value, or null for none
   * @return this builder
   */
  public ModernBertConfigBuilder initializerCutoffFactor(Double v) {
    initializerCutoffFactor = v;
    return this;
  }

  /**
   * Sets {@code norm_eps}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder normEps(double v) {
    normEps = v;
    return this;
  }

  /**
   * Sets {@code norm_bias}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder normBias(boolean v) {
    normBias = v;
    return this;
  }

  /**
   * Sets {@code pad_token_id}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder padTokenId(int v) {
    padTokenId = v;
    return this;
  }

  /**
   * Sets {@code eos_token_id}.
   *
   * @param v the value, or null for none
   * @return this builder
   */
  public ModernBertConfigBuilder eosTokenId(Integer v) {
    eosTokenId = v;
    return this;
  }

  /**
   * Sets {@code bos_token_id}.
   *
   * @param v the value, or null for none
   * @return this builder
   */
  public ModernBertConfigBuilder bosTokenId(Integer v) {
    bosTokenId = v;
    return this;
  }

  /**
   * Sets {@code cls_token_id}.
   *
   * @param v the value, or null for none
   * @return this builder
   */
  public ModernBertConfigBuilder clsTokenId(Integer v) {
    clsTokenId = v;
    return this;
  }

  /**
   * Sets {@code sep_token_id}.
   *
   * @param v the value, or null for none
   * @return this builder
   */
  public ModernBertConfigBuilder sepTokenId(Integer v) {
    sepTokenId = v;
    return this;
  }

  /**
   * Sets {@code attention_bias}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder attentionBias(boolean v) {
    attentionBias = v;
    return this;
  }

  /**
   * Sets {@code attention_dropout}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder attentionDropout(double v) {
    attentionDropout = v;
    return this;
  }

  /**
   * Sets {@code global_attn_every_n_layers}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder globalAttnEveryNLayers(int v) {
    globalAttnEveryNLayers = v;
    return this;
  }

  /**
   * Sets {@code rope_parameters.full_attention.rope_theta (global_rope_theta)}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder globalRopeTheta(double v) {
    globalRopeTheta = v;
    return this;
  }

  /**
   * Sets {@code rope_parameters.sliding_attention.rope_theta (local_rope_theta)}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder localRopeTheta(double v) {
    localRopeTheta = v;
    return this;
  }

  /**
   * Sets {@code local_attention}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder localAttention(int v) {
    localAttention = v;
    return this;
  }

  /**
   * Sets {@code embedding_dropout}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder embeddingDropout(double v) {
    embeddingDropout = v;
    return this;
  }

  /**
   * Sets {@code mlp_bias}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder mlpBias(boolean v) {
    mlpBias = v;
    return this;
  }

  /**
   * Sets {@code mlp_dropout}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder mlpDropout(double v) {
    mlpDropout = v;
    return this;
  }

  /**
   * Sets {@code decoder_bias}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder decoderBias(boolean v) {
    decoderBias = v;
    return this;
  }

  /**
   * Sets {@code classifier_pooling}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder classifierPooling(String v) {
    classifierPooling = v;
    return this;
  }

  /**
   * Sets {@code classifier_dropout}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder classifierDropout(double v) {
    classifierDropout = v;
    return this;
  }

  /**
   * Sets {@code classifier_bias}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder classifierBias(boolean v) {
    classifierBias = v;
    return this;
  }

  /**
   * Sets {@code classifier_activation}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder classifierActivation(String v) {
    classifierActivation = v;
    return this;
  }

  /**
   * Sets {@code deterministic_flash_attn}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder deterministicFlashAttn(boolean v) {
    deterministicFlashAttn = v;
    return this;
  }

  /**
   * Sets {@code sparse_prediction}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder sparsePrediction(boolean v) {
    sparsePrediction = v;
    return this;
  }

  /**
   * Sets {@code sparse_pred_ignore_index}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder sparsePredIgnoreIndex(int v) {
    sparsePredIgnoreIndex = v;
    return this;
  }

  /**
   * Sets {@code tie_word_embeddings}.
   *
   * @param v the value
   * @return this builder
   */
  public ModernBertConfigBuilder tieWordEmbeddings(boolean v) {
    tieWordEmbeddings = v;
    return this;
  }

  /**
   * Sets the label names by id ({@code id2label}).
   *
   * @param v the names, never null
   * @return this builder
   */
  public ModernBertConfigBuilder labels(List<String> v) {
    labels = List.copyOf(v);
    return this;
  }

  /**
   * Sets {@code numLabels} labels named as transformers names them ({@code LABEL_0}, ...).
   *
   * @param numLabels the number of outputs, from 1 to {@link ModelConfig#MAX_LABELS}
   * @return this builder
   * @throws IllegalArgumentException if {@code numLabels} is out of range
   */
  public ModernBertConfigBuilder numLabels(int numLabels) {
    labels = ModelConfig.defaultLabels(numLabels);
    return this;
  }

  /**
   * Sets the score activation.
   *
   * @param v the activation, or null for sentence-transformers' default
   * @return this builder
   */
  public ModernBertConfigBuilder activation(ScoreActivation v) {
    activation = v;
    return this;
  }

  /**
   * Sets the maximum sequence length.
   *
   * @param v the length, or 0 for {@code maxPositionEmbeddings}
   * @return this builder
   */
  public ModernBertConfigBuilder maxLength(int v) {
    maxLength = v;
    return this;
  }

  /**
   * Builds the configuration.
   *
   * @return the configuration, never null
   * @throws IllegalArgumentException if a field is invalid, naming its key
   */
  public ModernBertConfig build() {
    return new ModernBertConfig(
        vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, hiddenActivation,
        maxPositionEmbeddings, initializerRange, initializerCutoffFactor, normEps, normBias, padTokenId,
        eosTokenId, bosTokenId, clsTokenId, sepTokenId, attentionBias, attentionDropout,
        globalAttnEveryNLayers, globalRopeTheta, localRopeTheta, localAttention, embeddingDropout, mlpBias,
        mlpDropout, decoderBias, classifierPooling, classifierDropout, classifierBias, classifierActivation,
        deterministicFlashAttn, sparsePrediction, sparsePredIgnoreIndex, tieWordEmbeddings, labels,
        activation != null ? activation : ScoreActivation.defaultFor(labels.size()),
        maxLength > 0 ? maxLength : maxPositionEmbeddings);
  }

  /** Copies every field of a configuration. */
  static ModernBertConfigBuilder of(ModernBertConfig c) {
    ModernBertConfigBuilder b = new ModernBertConfigBuilder();
    b.vocabSize = c.vocabSize();
    b.hiddenSize = c.hiddenSize();
    b.intermediateSize = c.intermediateSize();
    b.numHiddenLayers = c.numHiddenLayers();
    b.numAttentionHeads = c.numAttentionHeads();
    b.hiddenActivation = c.hiddenActivation();
    b.maxPositionEmbeddings = c.maxPositionEmbeddings();
    b.initializerRange = c.initializerRange();
    b.initializerCutoffFactor = c.initializerCutoffFactor();
    b.normEps = c.normEps();
    b.normBias = c.normBias();
    b.padTokenId = c.padTokenId();
    b.eosTokenId = c.eosTokenId();
    b.bosTokenId = c.bosTokenId();
    b.clsTokenId = c.clsTokenId();
    b.sepTokenId = c.sepTokenId();
    b.attentionBias = c.attentionBias();
    b.attentionDropout = c.attentionDropout();
    b.globalAttnEveryNLayers = c.globalAttnEveryNLayers();
    b.globalRopeTheta = c.globalRopeTheta();
    b.localRopeTheta = c.localRopeTheta();
    b.localAttention = c.localAttention();
    b.embeddingDropout = c.embeddingDropout();
    b.mlpBias = c.mlpBias();
    b.mlpDropout = c.mlpDropout();
    b.decoderBias = c.decoderBias();
    b.classifierPooling = c.classifierPooling();
    b.classifierDropout = c.classifierDropout();
    b.classifierBias = c.classifierBias();
    b.classifierActivation = c.classifierActivation();
    b.deterministicFlashAttn = c.deterministicFlashAttn();
    b.sparsePrediction = c.sparsePrediction();
    b.sparsePredIgnoreIndex = c.sparsePredIgnoreIndex();
    b.tieWordEmbeddings = c.tieWordEmbeddings();
    b.labels = c.labels();
    b.activation = c.activation();
    b.maxLength = c.maxLength();
    return b;
  }
}
