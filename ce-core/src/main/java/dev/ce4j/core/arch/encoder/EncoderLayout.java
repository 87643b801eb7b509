package dev.ce4j.core.arch.encoder;

import java.util.Map;
import java.util.Objects;

/**
 * What distinguishes one BERT-shaped encoder family from another, as a table: the Hugging Face
 * names of its tensors by role, how its embeddings are made, its feed-forward activation, its
 * classification head and where it applies dropout. {@link EncoderClassifier} and {@link
 * EncoderScript} run any encoder so described (BERT, RoBERTa and XLM-RoBERTa, ELECTRA, DistilBERT:
 * post-LayerNorm layers of multi-head self-attention and a feed-forward block), so that a new family
 * is a new table, not new arithmetic. Immutable and thread-safe.
 *
 * @param hiddenSize the width of the layers
 * @param numHeads the attention heads; {@code hiddenSize} must be a multiple
 * @param numLayers the layers, at least 1
 * @param intermediateSize the width of the feed-forward block
 * @param layerNormEps the epsilon of the layers' LayerNorms
 * @param embeddings how the inputs are embedded, never null
 * @param layers the names of a layer's tensors, never null
 * @param feedForward the activation of the feed-forward block, never null
 * @param head the classification head, never null
 * @param dropout where and how much dropout training applies, never null
 */
public record EncoderLayout(
    int hiddenSize,
    int numHeads,
    int numLayers,
    int intermediateSize,
    float layerNormEps,
    Embeddings embeddings,
    LayerNames layers,
    Activation feedForward,
    Head head,
    Dropout dropout) {

  /** Validates. */
  public EncoderLayout {
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(layers, "layers");
    Objects.requireNonNull(feedForward, "feedForward");
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(dropout, "dropout");
    if (hiddenSize < 1 || numHeads < 1 || hiddenSize % numHeads != 0 || numLayers < 1 || intermediateSize < 1) {
      throw new IllegalArgumentException("hidden " + hiddenSize + ", heads " + numHeads + ", layers " + numLayers
          + ", intermediate " + intermediateSize + " do not describe an encoder");
    }
  }

  /**
   * The width of one attention head.
   *
   * @return {@code hiddenSize / numHeads}
   */
  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** An activation function. */
  public enum Activation {
    /** Exact (erf) GELU. */
    GELU,
    /** max(0, x). */
    RELU,
    /** tanh. */
    TANH
  }

  /** Which position each token gets. */
  public enum Positions {
    /** 0, 1, 2, ... (BERT, ELECTRA, DistilBERT). */
    FROM_ZERO,
    /**
     * {@code paddingIdx + 1}, {@code + 2}, ... over the tokens that are not padding, {@code
     * paddingIdx} for padding, counted from the ids as transformers' {@code
     * create_position_ids_from_input_ids} does (RoBERTa, XLM-RoBERTa).
     */
    AFTER_PADDING
  }

  /**
   * How the inputs are embedded: word + token type (when the family has them) + position, then
   * LayerNorm, dropout and, when the embeddings are narrower than the layers, a projection.
   *
   * @param word the word embedding, {@code [vocab, size]}, never null
   * @param position the position embedding, {@code [positions, size]}, never null
   * @param tokenType the token type embedding, or null when the family has none (type ids ignored)
   * @param norm the LayerNorm's module name (its {@code .weight} and {@code .bias}), never null
   * @param normEps the LayerNorm's epsilon
   * @param size the embeddings' width
   * @param projection the projection's module name (ELECTRA's {@code embeddings_project}), or null
   * @param positions how positions are counted, never null
   * @param paddingIdx the padding id, for {@link Positions#AFTER_PADDING}
   */
  public record Embeddings(
      String word, String position, String tokenType, String norm, float normEps, int size,
      String projection, Positions positions, int paddingIdx) {
    /** Validates. */
    public Embeddings {
      Objects.requireNonNull(word, "word");
      Objects.requireNonNull(position, "position");
      Objects.requireNonNull(norm, "norm");
      Objects.requireNonNull(positions, "positions");
    }
  }

  /**
   * The module names of one layer's parts, each a format with {@code %d} for the layer index (the
   * tensors are {@code name + ".weight"} and {@code name + ".bias"}).
   *
   * @param query the query projection, such as {@code bert.encoder.layer.%d.attention.self.query}
   * @param key the key projection
   * @param value the value projection
   * @param attentionOutput the attention's output projection
   * @param attentionNorm the LayerNorm after the attention's residual
   * @param intermediate the feed-forward block's first linear layer
   * @param output the feed-forward block's second linear layer
   * @param outputNorm the LayerNorm after the feed-forward residual
   */
  public record LayerNames(
      String query, String key, String value, String attentionOutput, String attentionNorm,
      String intermediate, String output, String outputNorm) {
    /** Validates. */
    public LayerNames {
      for (String n : new String[] {query, key, value, attentionOutput, attentionNorm, intermediate, output, outputNorm}) {
        Objects.requireNonNull(n, "a layer tensor name");
      }
    }

    /**
     * BERT's module names ({@code attention.self.query} ... {@code output.LayerNorm}), which
     * RoBERTa, XLM-R and ELECTRA share under their own prefix.
     *
     * @param layerFormat the layer's prefix with {@code %d} for its index, such as {@code
     *     roberta.encoder.layer.%d.}, never null
     * @return the names, never null
     */
    public static LayerNames bert(String layerFormat) {
      Objects.requireNonNull(layerFormat, "layerFormat");
      String l = layerFormat;
      return new LayerNames(
          l + "attention.self.query", l + "attention.self.key", l + "attention.self.value",
          l + "attention.output.dense", l + "attention.output.LayerNorm", l + "intermediate.dense",
          l + "output.dense", l + "output.LayerNorm");
    }

    /**
     * Adds one layer's tensors and their shapes in the order transformers registers them: each
     * part's weight then bias, the parts in this record's order.
     *
     * @param shapes the map to add to, never null
     * @param layer the layer index
     * @param hidden the hidden size
     * @param intermediate the feed-forward block's inner size
     */
    public void putShapes(Map<String, long[]> shapes, int layer, long hidden, long intermediate) {
      long h = hidden;
      for (String linear : new String[] {query, key, value, attentionOutput}) {
        putLinear(shapes, of(linear, layer), h, h);
      }
      putNorm(shapes, of(attentionNorm, layer), h);
      putLinear(shapes, of(this.intermediate, layer), intermediate, h);
      putLinear(shapes, of(output, layer), h, intermediate);
      putNorm(shapes, of(outputNorm, layer), h);
    }

    private static void putLinear(Map<String, long[]> shapes, String module, long out, long in) {
      shapes.put(module + ".weight", new long[] {out, in});
      shapes.put(module + ".bias", new long[] {out});
    }

    private static void putNorm(Map<String, long[]> shapes, String module, long size) {
      shapes.put(module + ".weight", new long[] {size});
      shapes.put(module + ".bias", new long[] {size});
    }

    /**
     * A part's module name in one layer.
     *
     * @param format one of this record's formats, never null
     * @param layer the layer index
     * @return the name, never null
     */
    public static String of(String format, int layer) {
      return String.format(java.util.Locale.ROOT, format, layer);
    }
  }

  /**
   * The classification head on the first token's hidden state: {@code output(dropout(act(dense(
   * [dropout](h[:, 0])))))}.
   *
   * @param dense the first linear layer's module name (BERT's pooler), never null
   * @param activation its activation, never null
   * @param output the last linear layer's module name (one row per label), never null
   * @param dropoutBeforeDense whether dropout is also applied before {@code dense} (RoBERTa and
   *     ELECTRA heads)
   */
  public record Head(String dense, Activation activation, String output, boolean dropoutBeforeDense) {
    /** Validates. */
    public Head {
      Objects.requireNonNull(dense, "dense");
      Objects.requireNonNull(activation, "activation");
      Objects.requireNonNull(output, "output");
    }
  }

  /**
   * Where training applies dropout, and how much.
   *
   * @param hidden after the embeddings and after the feed-forward block (and after the attention's
   *     output projection when {@code afterAttentionOutput})
   * @param attention on the attention probabilities
   * @param head in the classification head
   * @param afterAttentionOutput whether the attention's output projection is followed by dropout
   *     (BERT: yes; DistilBERT: no)
   */
  public record Dropout(double hidden, double attention, double head, boolean afterAttentionOutput) {}
}
