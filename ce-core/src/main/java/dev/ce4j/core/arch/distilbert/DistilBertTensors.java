package dev.ce4j.core.arch.distilbert;

import dev.ce4j.core.arch.encoder.EncoderLayout;
import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code DistilBertForSequenceClassification}: names and shapes, in
 * the order transformers declares them (embeddings, then per block the attention's {@code q_lin},
 * {@code k_lin}, {@code v_lin}, {@code out_lin}, {@code sa_layer_norm}, the feed-forward {@code
 * lin1}, {@code lin2} and {@code output_layer_norm}, then {@code pre_classifier} and {@code
 * classifier}). Stateless and thread-safe.
 */
public final class DistilBertTensors {
  private DistilBertTensors() {}

  /** The module names of each transformer layer ({@code distilbert.transformer.layer.N.*}). */
  public static final EncoderLayout.LayerNames LAYERS = new EncoderLayout.LayerNames(
      "distilbert.transformer.layer.%d.attention.q_lin", "distilbert.transformer.layer.%d.attention.k_lin",
      "distilbert.transformer.layer.%d.attention.v_lin", "distilbert.transformer.layer.%d.attention.out_lin",
      "distilbert.transformer.layer.%d.sa_layer_norm", "distilbert.transformer.layer.%d.ffn.lin1",
      "distilbert.transformer.layer.%d.ffn.lin2", "distilbert.transformer.layer.%d.output_layer_norm");

  /** Prefix of the encoder's tensors. */
  public static final String ENCODER_PREFIX = "distilbert.";

  /** The word embedding, {@code [vocab_size, dim]}. */
  public static final String WORD_EMBEDDINGS = "distilbert.embeddings.word_embeddings.weight";

  /** The position embedding, {@code [max_position_embeddings, dim]}. */
  public static final String POSITION_EMBEDDINGS = "distilbert.embeddings.position_embeddings.weight";

  /** The embeddings' LayerNorm module. */
  public static final String EMBEDDINGS_NORM = "distilbert.embeddings.LayerNorm";

  /** The head's first linear layer, {@code [dim, dim]}. */
  public static final String PRE_CLASSIFIER = "pre_classifier";

  /** The head's output layer, {@code [num_labels, dim]}. */
  public static final String CLASSIFIER = "classifier";

  /**
   * The Hugging Face name of a tensor of transformer block {@code layer}.
   *
   * @param layer the block index, from 0
   * @param suffix the name within the block, such as {@code attention.q_lin.weight}, never null
   * @return {@code distilbert.transformer.layer.<layer>.<suffix>}, never null
   */
  public static String layerTensor(int layer, String suffix) {
    return "distilbert.transformer.layer." + layer + "." + suffix;
  }

  /**
   * Every tensor of a model and its shape, in transformers' order.
   *
   * @param config the configuration, never null
   * @return name to shape, never null, a fresh mutable map
   */
  public static LinkedHashMap<String, long[]> shapes(DistilBertConfig config) {
    long d = config.dim();
    long h = config.hiddenDim();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(WORD_EMBEDDINGS, new long[] {config.vocabSize(), d});
    s.put(POSITION_EMBEDDINGS, new long[] {config.maxPositionEmbeddings(), d});
    s.put(EMBEDDINGS_NORM + ".weight", new long[] {d});
    s.put(EMBEDDINGS_NORM + ".bias", new long[] {d});
    for (int l = 0; l < config.nLayers(); l++) {
      LAYERS.putShapes(s, l, d, h);
    }
    s.put(PRE_CLASSIFIER + ".weight", new long[] {d, d});
    s.put(PRE_CLASSIFIER + ".bias", new long[] {d});
    s.put(CLASSIFIER + ".weight", new long[] {config.numLabels(), d});
    s.put(CLASSIFIER + ".bias", new long[] {config.numLabels()});
    return s;
  }
}
