package dev.ce4j.core.arch.bert;

import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code BertForSequenceClassification}: names and shapes, in the
 * order transformers declares them. Stateless and thread-safe.
 */
public final class BertTensors {
  private BertTensors() {}

  /** Prefix of the encoder's tensors. */
  public static final String ENCODER_PREFIX = "bert.";

  private static final String[] LAYER_TENSORS = {
    "attention.self.query.weight",
    "attention.self.query.bias",
    "attention.self.key.weight",
    "attention.self.key.bias",
    "attention.self.value.weight",
    "attention.self.value.bias",
    "attention.output.dense.weight",
    "attention.output.dense.bias",
    "attention.output.LayerNorm.weight",
    "attention.output.LayerNorm.bias",
    "intermediate.dense.weight",
    "intermediate.dense.bias",
    "output.dense.weight",
    "output.dense.bias",
    "output.LayerNorm.weight",
    "output.LayerNorm.bias",
  };

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
      for (String t : LAYER_TENSORS) {
        long[] shape;
        if (t.startsWith("intermediate.dense.weight")) {
          shape = new long[] {i, h};
        } else if (t.startsWith("intermediate.dense.bias")) {
          shape = new long[] {i};
        } else if (t.equals("output.dense.weight")) {
          shape = new long[] {h, i};
        } else if (t.endsWith(".weight") && !t.contains("LayerNorm")) {
          shape = new long[] {h, h};
        } else {
          shape = new long[] {h};
        }
        s.put(layerTensor(l, t), shape);
      }
    }
    s.put("bert.pooler.dense.weight", new long[] {h, h});
    s.put("bert.pooler.dense.bias", new long[] {h});
    s.put("classifier.weight", new long[] {config.numLabels(), h});
    s.put("classifier.bias", new long[] {config.numLabels()});
    return s;
  }
}
