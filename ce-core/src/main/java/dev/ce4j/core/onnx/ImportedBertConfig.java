package dev.ce4j.core.onnx;

import dev.ce4j.core.arch.bert.BertConfig;
/**
 * The architecture of a BERT encoder as recovered from an ONNX graph, in the terms of a Hugging
 * Face {@code config.json} ({@code BertConfig}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param vocabSize {@code vocab_size}: rows of the word embedding, at least 1
 * @param hiddenSize {@code hidden_size}, at least 1 and a multiple of {@code numAttentionHeads}
 * @param numHiddenLayers {@code num_hidden_layers}, at least 1
 * @param numAttentionHeads {@code num_attention_heads}, at least 1, recovered from the graph's
 *     attention reshapes and the {@code 1/sqrt(head_dim)} scale
 * @param intermediateSize {@code intermediate_size}, at least 1
 * @param maxPositionEmbeddings {@code max_position_embeddings}: rows of the position embedding, at
 *     least 1
 * @param typeVocabSize {@code type_vocab_size}: rows of the token-type embedding, at least 1
 * @param layerNormEps {@code layer_norm_eps}: the epsilon added to the variance in every LayerNorm,
 *     greater than 0; Hugging Face's default {@code 1e-12} when the graph does not show it
 * @param hiddenAct {@code hidden_act}: {@code "gelu"} (exact, erf-based), {@code "gelu_new"} (tanh
 *     approximation) or {@code "relu"}, never null
 */
public record ImportedBertConfig(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    int maxPositionEmbeddings,
    int typeVocabSize,
    double layerNormEps,
    String hiddenAct) {

  /** Validates that every size is positive and the hidden size splits evenly into heads. */
  public ImportedBertConfig {
    positive("vocabSize", vocabSize);
    positive("hiddenSize", hiddenSize);
    positive("numHiddenLayers", numHiddenLayers);
    positive("numAttentionHeads", numAttentionHeads);
    positive("intermediateSize", intermediateSize);
    positive("maxPositionEmbeddings", maxPositionEmbeddings);
    positive("typeVocabSize", typeVocabSize);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException(
          "hiddenSize "
              + hiddenSize
              + " is not a multiple of numAttentionHeads "
              + numAttentionHeads);
    }
    if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
      throw new IllegalArgumentException("layerNormEps must be > 0, got " + layerNormEps);
    }
    if (hiddenAct == null
        || !(hiddenAct.equals("gelu")
            || hiddenAct.equals("gelu_new")
            || hiddenAct.equals("relu"))) {
      throw new IllegalArgumentException(
          "hiddenAct must be gelu, gelu_new or relu, got " + hiddenAct);
    }
  }

  /**
   * The size of one attention head.
   *
   * @return {@code hiddenSize / numAttentionHeads}
   */
  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
  }
}
