package dev.ce4j.core.arch.roberta;

import dev.ce4j.core.arch.encoder.EncoderLayout;
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

  /** The module names of each encoder layer ({@code roberta.encoder.layer.N.*}, as BERT's). */
  public static final EncoderLayout.LayerNames LAYERS = EncoderLayout.LayerNames.bert("roberta.encoder.layer.%d.");

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
      LAYERS.putShapes(s, l, h, i);
    }
    s.put(HEAD_DENSE + ".weight", new long[] {h, h});
    s.put(HEAD_DENSE + ".bias", new long[] {h});
    s.put(HEAD_OUTPUT + ".weight", new long[] {config.numLabels(), h});
    s.put(HEAD_OUTPUT + ".bias", new long[] {config.numLabels()});
    return s;
  }
}
