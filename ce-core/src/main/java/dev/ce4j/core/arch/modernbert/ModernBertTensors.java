package dev.ce4j.core.arch.modernbert;

import java.util.LinkedHashMap;

/**
 * The tensors of transformers' {@code ModernBertForSequenceClassification}: names and shapes, in
 * the order transformers declares them (the embeddings' {@code tok_embeddings} and {@code norm};
 * per layer {@code attn_norm} (not in layer 0, where it is the identity), {@code attn.Wqkv}, {@code
 * attn.Wo}, {@code mlp_norm}, {@code mlp.Wi}, {@code mlp.Wo}; {@code final_norm}; the head's {@code
 * head.dense} and {@code head.norm}; {@code classifier}). Biases exist only where the configuration
 * asks for them ({@code attention_bias}, {@code mlp_bias}, {@code norm_bias}, {@code
 * classifier_bias}); {@code classifier} always has one. Stateless and thread-safe.
 */
public final class ModernBertTensors {
  private ModernBertTensors() {}

  /** Prefix of the encoder's tensors. */
  public static final String ENCODER_PREFIX = "model.";

  /** The token embedding, {@code [vocab_size, hidden]}. */
  public static final String TOK_EMBEDDINGS = "model.embeddings.tok_embeddings.weight";

  /** The embeddings' LayerNorm module. */
  public static final String EMBEDDINGS_NORM = "model.embeddings.norm";

  /** The LayerNorm after the last layer. */
  public static final String FINAL_NORM = "model.final_norm";

  /** The head's linear layer, {@code [hidden, hidden]}. */
  public static final String HEAD_DENSE = "head.dense";

  /** The head's LayerNorm. */
  public static final String HEAD_NORM = "head.norm";

  /** The output layer, {@code [num_labels, hidden]}. */
  public static final String CLASSIFIER = "classifier";

  /**
   * The name of a module of layer {@code layer}.
   *
   * @param layer the layer, from 0
   * @param module the module within the layer, such as {@code attn.Wqkv}, never null
   * @return {@code model.layers.<layer>.<module>}, never null
   */
  public static String layer(int layer, String module) {
    return "model.layers." + layer + "." + module;
  }

  /**
   * Every tensor of a model and its shape, in transformers' order.
   *
   * @param config the configuration, never null
   * @return name to shape, never null, a fresh mutable map
   */
  public static LinkedHashMap<String, long[]> shapes(ModernBertConfig config) {
    long d = config.hiddenSize();
    long i = config.intermediateSize();
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(TOK_EMBEDDINGS, new long[] {config.vocabSize(), d});
    norm(s, EMBEDDINGS_NORM, d, config.normBias());
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      if (l > 0) {
        norm(s, layer(l, "attn_norm"), d, config.normBias());
      }
      linear(s, layer(l, "attn.Wqkv"), 3 * d, d, config.attentionBias());
      linear(s, layer(l, "attn.Wo"), d, d, config.attentionBias());
      norm(s, layer(l, "mlp_norm"), d, config.normBias());
      linear(s, layer(l, "mlp.Wi"), 2 * i, d, config.mlpBias());
      linear(s, layer(l, "mlp.Wo"), d, i, config.mlpBias());
    }
    norm(s, FINAL_NORM, d, config.normBias());
    linear(s, HEAD_DENSE, d, d, config.classifierBias());
    norm(s, HEAD_NORM, d, config.normBias());
    linear(s, CLASSIFIER, config.numLabels(), d, true);
    return s;
  }

  private static void norm(LinkedHashMap<String, long[]> s, String module, long d, boolean bias) {
    s.put(module + ".weight", new long[] {d});
    if (bias) {
      s.put(module + ".bias", new long[] {d});
    }
  }

  private static void linear(LinkedHashMap<String, long[]> s, String module, long out, long in, boolean bias) {
    s.put(module + ".weight", new long[] {out, in});
    if (bias) {
      s.put(module + ".bias", new long[] {out});
    }
  }
}
