package dev.ce4j.core.arch.roberta;

import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code RobertaForSequenceClassification} (and {@code
 * XLMRobertaForSequenceClassification}, whose names are the same): names and shapes, in the order
 * transformers 5 registers them. Stateless and thread-safe.
 *
 * <p>In transformers 5 {@code RobertaEmbeddings} deletes and re-creates BERT's position embedding,
 * so {@code roberta.embeddings.position_embeddings.weight} comes last among the embeddings, after
 * the LayerNorm. The layers are named as BERT's; there is no pooler; the head is {@code
 * classifier.dense} and {@code classifier.out_proj}.
 */
public final class RobertaTensors {
  private RobertaTensors() {}

  /** Prefix of the encoder's tensors. */
  public static final String ENCODER_PREFIX = "roberta.";

  /** The word embedding, {@code [vocab_size, hidden_size]}; its padding row starts at zero. */
  public static final String WORD_EMBEDDINGS = "roberta.embeddings.word_embeddings.weight";

  /** The token type embedding, {@code [type_vocab_size, hidden_size]}. */
  public static final String TOKEN_TYPE_EMBEDDINGS = "roberta.embeddings.token_type_embeddings.weight";

  /** The embeddings' LayerNorm module. */
  public static final String EMBEDDINGS_NORM = "roberta.embeddings.LayerNorm";

  /**
   * The position embedding, {@code [max_position_embeddings, hidden_size]}; its padding row starts
   * at zero.
   */
  public static final String POSITION_EMBEDDINGS = "roberta.embeddings.position_embeddings.weight";

  /** Prefix of the classification head's tensors. */
  public static final String HEAD_PREFIX = "classifier.";

  /** The head's first linear layer module ({@code tanh} follows). */
  public static final String HEAD_DENSE = "classifier.dense";

  /** The head's output layer module, one row per label. */
  public static final String HEAD_OUTPUT = "classifier.out_proj";

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
   * @return {@code roberta.encoder.layer.<layer>.<suffix>}, never null
   */
  public static String layerTensor(int layer, String suffix) {
    return "roberta.encoder.layer." + layer + "." + suffix;
  }

  /**
   * Every tensor of a model and its shape, in transformers' order.
   *
   * @param config the configuration, never null
   * @return name to shape, never null, a fresh mutable map
   */
  public static LinkedHashMap<String, long[]> shapes(RobertaConfig config) {
    long h = config.hiddenSize();
    long i = config.intermediateSize();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(WORD_EMBEDDINGS, new long[] {config.vocabSize(), h});
    s.put(TOKEN_TYPE_EMBEDDINGS, new long[] {config.typeVocabSize(), h});
    s.put(EMBEDDINGS_NORM + ".weight", new long[] {h});
    s.put(EMBEDDINGS_NORM + ".bias", new long[] {h});
    s.put(POSITION_EMBEDDINGS, new long[] {config.maxPositionEmbeddings(), h});
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      for (String t : LAYER_TENSORS) {
        long[] shape;
        if (t.equals("intermediate.dense.weight")) {
          shape = new long[] {i, h};
        } else if (t.equals("intermediate.dense.bias")) {
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
    s.put(HEAD_DENSE + ".weight", new long[] {h, h});
    s.put(HEAD_DENSE + ".bias", new long[] {h});
    s.put(HEAD_OUTPUT + ".weight", new long[] {config.numLabels(), h});
    s.put(HEAD_OUTPUT + ".bias", new long[] {config.numLabels()});
    return s;
  }
}
