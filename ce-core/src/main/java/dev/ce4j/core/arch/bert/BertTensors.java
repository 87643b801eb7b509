package dev.ce4j.core.arch.bert;

import dev.ce4j.core.arch.encoder.EncoderLayout;
import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code BertForSequenceClassification}: names and shapes, in the
 * order transformers declares them. Stateless and thread-safe.
 */
public final class BertTensors {
  private BertTensors() {}

  /** Prefix of the encoder's tensors. */
  public static final String ENCODER_PREFIX = "bert.";

  /** The module names of each encoder layer ({@code bert.encoder.layer.N.*}, as BERT's). */
  public static final EncoderLayout.LayerNames LAYERS = EncoderLayout.LayerNames.bert("bert.encoder.layer.%d.");

  /**
   * The Hugging Face name of a tensor of encoder layer {@code layer}.
   *
   * @param layer the layer index, from 0
   * @param suffix the name within the layer, such as {@code attention.self.query.weight}, never
   *     null
   * @return {@code bert.encoder.layer.<layer>.<suffix>}, never null
   */
  public static String layerTensor(int layer, String suffix) {
    return "bert.encoder.layer." + layer + "." + suffix;
  }

  /**
   * Every tensor of a model and its shape, in transformers' order.
   *
   * @param config the configuration, never null
   * @return name to shape, never null, a fresh mutable map
   */
  public static LinkedHashMap<String, long[]> shapes(BertConfig config) {
    long h = config.hiddenSize();
    long i = config.intermediateSize();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put("bert.embeddings.word_embeddings.weight", new long[] {config.vocabSize(), h});
    s.put(
        "bert.embeddings.position_embeddings.weight",
        new long[] {config.maxPositionEmbeddings(), h});
    s.put("bert.embeddings.token_type_embeddings.weight", new long[] {config.typeVocabSize(), h});
    s.put("bert.embeddings.LayerNorm.weight", new long[] {h});
    s.put("bert.embeddings.LayerNorm.bias", new long[] {h});
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      LAYERS.putShapes(s, l, h, i);
    }
    s.put("bert.pooler.dense.weight", new long[] {h, h});
    s.put("bert.pooler.dense.bias", new long[] {h});
    s.put("classifier.weight", new long[] {config.numLabels(), h});
    s.put("classifier.bias", new long[] {config.numLabels()});
    return s;
  }
}
