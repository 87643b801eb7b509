package dev.ce4j.core.arch.deberta;

import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code DebertaV2ForSequenceClassification}: names and shapes, in the
 * order transformers declares them (embeddings: word, position when {@code position_biased_input},
 * token type when {@code type_vocab_size > 0}, {@code embed_proj} when {@code embedding_size !=
 * hidden_size}, LayerNorm; per layer the attention's {@code query_proj}, {@code key_proj}, {@code
 * value_proj}, {@code pos_key_proj} / {@code pos_query_proj} when positions are not shared, the
 * attention output and its LayerNorm, {@code intermediate.dense}, {@code output.dense} and its
 * LayerNorm; then the encoder's {@code rel_embeddings}, {@code LayerNorm} and {@code conv}; then {@code
 * pooler.dense} and {@code classifier}). Stateless and thread-safe.
 */
public final class DebertaV2Tensors {
  private DebertaV2Tensors() {}

  /** The word embedding, {@code [vocab_size, embedding_size]}. */
  public static final String WORD_EMBEDDINGS = "deberta.embeddings.word_embeddings.weight";

  /** The absolute position embedding, {@code [max_position_embeddings, embedding_size]}. */
  public static final String POSITION_EMBEDDINGS = "deberta.embeddings.position_embeddings.weight";

  /** The token type embedding, {@code [type_vocab_size, embedding_size]}. */
  public static final String TOKEN_TYPE_EMBEDDINGS = "deberta.embeddings.token_type_embeddings.weight";

  /** The embedding projection (no bias), {@code [hidden_size, embedding_size]}. */
  public static final String EMBED_PROJ = "deberta.embeddings.embed_proj.weight";

  /** The embeddings' LayerNorm module. */
  public static final String EMBEDDINGS_NORM = "deberta.embeddings.LayerNorm";

  /** The relative position embedding, {@code [2 x attention span, hidden_size]}. */
  public static final String REL_EMBEDDINGS = "deberta.encoder.rel_embeddings.weight";

  /** The LayerNorm of the relative embeddings ({@code norm_rel_ebd} {@code layer_norm}). */
  public static final String REL_NORM = "deberta.encoder.LayerNorm";

  /** The convolution after the first layer, weight {@code [hidden, hidden / groups, kernel]}. */
  public static final String CONV = "deberta.encoder.conv.conv";

  /** The convolution's LayerNorm. */
  public static final String CONV_NORM = "deberta.encoder.conv.LayerNorm";

  /** The pooler's linear layer, {@code [hidden_size, hidden_size]}. */
  public static final String POOLER = "pooler.dense";

  /** The head's output layer, {@code [num_labels, hidden_size]}. */
  public static final String CLASSIFIER = "classifier";

  /** The buffer transformers 4 checkpoints may store; not a weight. */
  public static final String POSITION_IDS = "deberta.embeddings.position_ids";

  /**
   * The module name of a part of layer {@code layer}.
   *
   * @param layer the layer index, from 0
   * @param suffix the module within the layer, such as {@code attention.self.query_proj}, never null
   * @return {@code deberta.encoder.layer.<layer>.<suffix>}, never null
   */
  public static String layer(int layer, String suffix) {
    return "deberta.encoder.layer." + layer + "." + suffix;
  }

  /**
   * Every tensor of a model and its shape, in transformers' order.
   *
   * @param c the configuration, never null
   * @return name to shape, never null, a fresh mutable map
   */
  public static LinkedHashMap<String, long[]> shapes(DebertaV2Config c) {
    long h = c.hiddenSize();
    long e = c.embeddingSize();
    long i = c.intermediateSize();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(WORD_EMBEDDINGS, new long[] {c.vocabSize(), e});
    if (c.positionBiasedInput()) {
      s.put(POSITION_EMBEDDINGS, new long[] {c.maxPositionEmbeddings(), e});
    }
    if (c.typeVocabSize() > 0) {
      s.put(TOKEN_TYPE_EMBEDDINGS, new long[] {c.typeVocabSize(), e});
    }
    if (e != h) {
      s.put(EMBED_PROJ, new long[] {h, e});
    }
    norm(s, EMBEDDINGS_NORM, h);
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      linear(s, layer(l, "attention.self.query_proj"), h, h);
      linear(s, layer(l, "attention.self.key_proj"), h, h);
      linear(s, layer(l, "attention.self.value_proj"), h, h);
      if (c.relativeAttention() && !c.shareAttKey()) {
        if (c.posAttType().contains(DebertaV2Config.C2P)) {
          linear(s, layer(l, "attention.self.pos_key_proj"), h, h);
        }
        if (c.posAttType().contains(DebertaV2Config.P2C)) {
          linear(s, layer(l, "attention.self.pos_query_proj"), h, h);
        }
      }
      linear(s, layer(l, "attention.output.dense"), h, h);
      norm(s, layer(l, "attention.output.LayerNorm"), h);
      linear(s, layer(l, "intermediate.dense"), i, h);
      linear(s, layer(l, "output.dense"), h, i);
      norm(s, layer(l, "output.LayerNorm"), h);
    }
    if (c.relativeAttention()) {
      s.put(REL_EMBEDDINGS, new long[] {2L * c.attentionSpan(), h});
    }
    if (c.relEmbeddingLayerNorm()) {
      norm(s, REL_NORM, h);
    }
    if (c.convKernelSize() > 0) {
      s.put(CONV + ".weight", new long[] {h, h / c.convGroups(), c.convKernelSize()});
      s.put(CONV + ".bias", new long[] {h});
      norm(s, CONV_NORM, h);
    }
    linear(s, POOLER, h, h);
    linear(s, CLASSIFIER, c.numLabels(), h);
    return s;
  }

  private static void linear(LinkedHashMap<String, long[]> s, String module, long out, long in) {
    s.put(module + ".weight", new long[] {out, in});
    s.put(module + ".bias", new long[] {out});
  }

  private static void norm(LinkedHashMap<String, long[]> s, String module, long width) {
    s.put(module + ".weight", new long[] {width});
    s.put(module + ".bias", new long[] {width});
  }
}
