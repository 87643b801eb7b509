package dev.ce4j.core.arch.electra;

import dev.ce4j.core.arch.encoder.EncoderLayout;
import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code ElectraForSequenceClassification}: names and shapes, in the
 * order transformers declares them (the embeddings at {@code embedding_size}, the projection when
 * that differs from {@code hidden_size}, BERT's layers under {@code electra.encoder}, then the
 * classification head). Stateless and thread-safe.
 */
public final class ElectraTensors {
  private ElectraTensors() {}

  /** Prefix of the body's tensors (embeddings, projection, encoder). */
  public static final String BODY_PREFIX = "electra.";

  /** Prefix of the classification head's tensors. */
  public static final String HEAD_PREFIX = "classifier.";

  /** Prefix of the head's output layer (one row per label). */
  public static final String OUTPUT_PREFIX = "classifier.out_proj.";

  /** The word embedding, whose padding row transformers zeroes. */
  public static final String WORD_EMBEDDINGS = "electra.embeddings.word_embeddings.weight";

  /** The embedding projection's module (present when {@code embedding_size != hidden_size}). */
  public static final String PROJECTION = "electra.embeddings_project";

  /** The module names of each encoder layer ({@code electra.encoder.layer.N.*}, as BERT's). */
  public static final EncoderLayout.LayerNames LAYERS = EncoderLayout.LayerNames.bert("electra.encoder.layer.%d.");

  /**
   * The Hugging Face name of a tensor of encoder layer {@code layer}.
   *
   * @param layer the layer index, from 0
   * @param suffix the name within the layer, such as {@code attention.self.query.weight}, never
   *     null
   * @return {@code electra.encoder.layer.<layer>.<suffix>}, never null
   */
  public static String layerTensor(int layer, String suffix) {
    return "electra.encoder.layer." + layer + "." + suffix;
  }

  /**
   * Every tensor of a model and its shape, in transformers' order.
   *
   * @param config the configuration, never null
   * @return name to shape, never null, a fresh mutable map
   */
  public static LinkedHashMap<String, long[]> shapes(ElectraConfig config) {
    long e = config.embeddingSize();
    long h = config.hiddenSize();
    long i = config.intermediateSize();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(WORD_EMBEDDINGS, new long[] {config.vocabSize(), e});
    s.put("electra.embeddings.position_embeddings.weight", new long[] {config.maxPositionEmbeddings(), e});
    s.put("electra.embeddings.token_type_embeddings.weight", new long[] {config.typeVocabSize(), e});
    s.put("electra.embeddings.LayerNorm.weight", new long[] {e});
    s.put("electra.embeddings.LayerNorm.bias", new long[] {e});
    if (config.hasEmbeddingProjection()) {
      s.put(PROJECTION + ".weight", new long[] {h, e});
      s.put(PROJECTION + ".bias", new long[] {h});
    }
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      LAYERS.putShapes(s, l, h, i);
    }
    s.put("classifier.dense.weight", new long[] {h, h});
    s.put("classifier.dense.bias", new long[] {h});
    s.put(OUTPUT_PREFIX + "weight", new long[] {config.numLabels(), h});
    s.put(OUTPUT_PREFIX + "bias", new long[] {config.numLabels()});
    return s;
  }
}
