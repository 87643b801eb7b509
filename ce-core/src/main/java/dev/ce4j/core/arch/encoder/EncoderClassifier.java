package dev.ce4j.core.arch.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import java.util.Objects;

/**
 * The forward pass of a BERT-shaped encoder described by an {@link EncoderLayout} (Hugging Face's
 * {@code BertForSequenceClassification}, {@code RobertaForSequenceClassification}, ...), written
 * with DJL NDArray operations on {@link ModelWeights} looked up by their Hugging Face names.
 *
 * <p>Word + token-type (when the family has them) + position embeddings, LayerNorm, dropout and,
 * when the layout has one, the embedding projection; then per layer: self-attention with the
 * additive mask ({@code -Float.MAX_VALUE} where the mask is 0; not added when nothing is padded,
 * which changes no bit), softmax, dropout, output projection, dropout (where the family has it),
 * residual, LayerNorm; feed-forward with the layout's activation (exact, erf-based GELU, or ReLU),
 * output projection, dropout, residual, LayerNorm. The head reads the first token: {@code
 * output(dropout(act(dense([dropout](h[:, 0])))))}. Dropout is applied only when {@code training}
 * is true and draws from the engine's random generator (see {@link dev.ce4j.core.seed.EngineSeeds}).
 *
 * <p>Every result lands in the manager of the input arrays; at inference ({@code training} false)
 * each layer's temporaries live in a sub-manager that is closed when the layer finishes, so peak
 * memory is one layer's worth. When {@code training} is true every intermediate is kept (autograd
 * needs it) until the caller closes the inputs' manager.
 *
 * <p>Thread-safe for concurrent inference calls (each with its own input manager) as long as no one
 * updates the weights at the same time.
 */
public final class EncoderClassifier implements SequenceClassifier {
  private static final float MASK_VALUE = -Float.MAX_VALUE;

  private final ModelConfig config;
  private final EncoderLayout layout;
  private final ModelWeights weights;
  private final float eps;
  private final Shape normShape;
  private final Shape embeddingNormShape;
  private final float scale;

  /**
   * Creates the model over its weights (not copied, not owned).
   *
   * @param weights the weights, never null; their configuration is the model's
   * @param layout the encoder's layout, never null
   */
  public EncoderClassifier(ModelWeights weights, EncoderLayout layout) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.config = weights.config();
    this.eps = layout.layerNormEps();
    this.normShape = new Shape(layout.hiddenSize());
    this.embeddingNormShape = new Shape(layout.embeddings().size());
    this.scale = (float) (1.0 / Math.sqrt(layout.headSize()));
  }

  /**
   * The configuration.
   *
   * @return the configuration, never null
   */
  public ModelConfig config() {
    return config;
  }

  /**
   * The layout.
   *
   * @return the layout, never null
   */
  public EncoderLayout layout() {
    return layout;
  }

  /**
   * The parameters.
   *
   * @return the weights, never null
   */
  @Override
  public ModelWeights weights() {
    return weights;
  }

  /**
   * Computes the classifier's logits.
   *
   * @param inputs the batch, never null
   * @param training whether to apply dropout (and keep every intermediate for autograd)
   * @return logits of shape {@code [batch, numLabels]}, in the inputs' manager, never null
   */
  @Override
  public NDArray logits(ModelInputs inputs, boolean training) {
    return head(lastHiddenState(inputs, training), training);
  }

  /**
   * Computes the encoder's output, what transformers calls {@code last_hidden_state}.
   *
   * @param inputs the batch, never null; at most {@code max_position_embeddings} tokens
   * @param training whether to apply dropout (and keep every intermediate for autograd)
   * @return hidden states of shape {@code [batch, tokens, hidden]}, in the inputs' manager, never
   *     null
   * @throws IllegalArgumentException if the batch is longer than {@code max_position_embeddings}
   */
  public NDArray lastHiddenState(ModelInputs inputs, boolean training) {
    Objects.requireNonNull(inputs, "inputs");
    NDArray ids = inputs.inputIds();
    NDManager m = ids.getManager();
    long b = inputs.batchSize();
    long t = inputs.sequenceLength();
    checkLength(config, t);
    EncoderLayout.Embeddings e = layout.embeddings();
    NDArray x = embed(ids, e.word());
    if (e.tokenType() != null) {
      x = x.add(embed(inputs.tokenTypeIds(), e.tokenType()));
    }
    x = x.add(embed(positionIds(inputs, m, t), e.position()));
    x = LayerNorm.layerNorm(
            x, embeddingNormShape, weights.get(e.norm() + ".weight"), weights.get(e.norm() + ".bias"), e.normEps())
        .singletonOrThrow();
    x = dropout(x, layout.dropout().hidden(), training);
    if (e.projection() != null) {
      x = linear(x, e.projection());
    }

    // nothing padded (a batch of equal lengths, or one pair): adding a mask of zeros changes no
    // bit, so it is skipped, saving a pass over the [batch, heads, tokens, tokens] scores per layer
    NDArray additiveMask = null;
    if (inputs.padded()) {
      NDArray mask = inputs.attentionMask().toType(DataType.FLOAT32, false);
      additiveMask = mask.neg().add(1f).mul(MASK_VALUE).reshape(b, 1, 1, t);
    }

    for (int l = 0; l < layout.numLayers(); l++) {
      if (training) {
        x = layer(l, x, additiveMask, b, t, true);
      } else {
        try (NDManager scope = m.newSubManager()) {
          x.attach(scope);
          NDArray out = inferenceLayer(l, x, additiveMask, b, t);
          out.attach(m);
          x = out;
        }
      }
    }
    return x;
  }

  /** The position of every token: 0, 1, ... or, after padding, counted over real tokens. */
  private static NDArray positionIdsFor(EncoderLayout.Embeddings e, ModelInputs inputs, NDManager m, long t) {
    if (e.positions() == EncoderLayout.Positions.FROM_ZERO) {
      return m.arange(0, (int) t, 1, DataType.INT64);
    }
    // transformers' create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
    NDArray real = inputs.inputIds().neq(e.paddingIdx()).toType(DataType.INT64, false);
    return real.cumSum(1).mul(real).add(e.paddingIdx());
  }

  private NDArray positionIds(ModelInputs inputs, NDManager m, long t) {
    return positionIdsFor(layout.embeddings(), inputs, m, t);
  }

  /** Refuses a batch longer than the model's positions allow. */
  static void checkLength(ModelConfig config, long tokens) {
    if (tokens > config.maxPositions()) {
      throw new IllegalArgumentException(
          "sequence of " + tokens + " tokens is longer than the model's " + config.maxPositions()
              + " positions (max_position_embeddings)");
    }
  }

  /**
   * Applies the classification head to hidden states.
   *
   * @param hidden hidden states {@code [batch, tokens, hidden]}, never null
   * @param training whether to apply dropout
   * @return logits {@code [batch, numLabels]}, in the hidden states' manager, never null
   */
  public NDArray head(NDArray hidden, boolean training) {
    EncoderLayout.Head h = layout.head();
    NDArray cls = hidden.get(new NDIndex(":, 0, :"));
    if (h.dropoutBeforeDense()) {
      cls = dropout(cls, layout.dropout().head(), training);
    }
    NDArray pooled = activate(linear(cls, h.dense()), h.activation());
    pooled = dropout(pooled, layout.dropout().head(), training);
    return linear(pooled, h.output());
  }

  private static NDArray activate(NDArray x, EncoderLayout.Activation a) {
    return switch (a) {
      case GELU -> Activation.gelu(x);
      case RELU -> Activation.relu(x);
      case TANH -> x.tanh();
    };
  }

  /**
   * Convenience: the encoder's output for Java arrays, computed at inference.
   *
   * @param inputIds token ids {@code [batch][tokens]}, never null
   * @param tokenTypeIds segment ids, same shape, never null
   * @param attentionMask 1 or 0 per token, same shape, never null
   * @return hidden states {@code [batch][tokens][hidden]}, never null
   */
  public float[][][] lastHiddenState(
      long[][] inputIds, long[][] tokenTypeIds, long[][] attentionMask) {
    try (NDManager m = weights.manager().newSubManager()) {
      ModelInputs in = ModelInputs.of(m, inputIds, tokenTypeIds, attentionMask);
      NDArray h = lastHiddenState(in, false);
      float[] flat = h.toFloatArray();
      int b = inputIds.length;
      int t = inputIds[0].length;
      int d = layout.hiddenSize();
      float[][][] out = new float[b][t][d];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          System.arraycopy(flat, (i * t + j) * d, out[i][j], 0, d);
        }
      }
      return out;
    }
  }

  /**
   * Convenience: the logits for Java arrays, computed at inference.
   *
   * @param inputIds token ids {@code [batch][tokens]}, never null
   * @param tokenTypeIds segment ids, same shape, never null
   * @param attentionMask 1 or 0 per token, same shape, never null
   * @return logits {@code [batch][numLabels]}, never null
   */
  public float[][] logits(long[][] inputIds, long[][] tokenTypeIds, long[][] attentionMask) {
    try (NDManager m = weights.manager().newSubManager()) {
      ModelInputs in = ModelInputs.of(m, inputIds, tokenTypeIds, attentionMask);
      return rows(logits(in, false).toFloatArray(), inputIds.length, config.numLabels());
    }
  }

  /**
   * Convenience: the head applied to Java hidden states, computed at inference.
   *
   * @param hidden hidden states {@code [batch][tokens][hidden]}, never null
   * @return logits {@code [batch][numLabels]}, never null
   */
  public float[][] head(float[][][] hidden) {
    int b = hidden.length;
    int t = hidden[0].length;
    int d = layout.hiddenSize();
    float[] flat = new float[b * t * d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(hidden[i][j], 0, flat, (i * t + j) * d, d);
      }
    }
    try (NDManager m = weights.manager().newSubManager()) {
      NDArray h = m.create(flat, new Shape(b, t, d));
      return rows(head(h, false).toFloatArray(), b, config.numLabels());
    }
  }

  private static float[][] rows(float[] flat, int b, int n) {
    float[][] out = new float[b][n];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * n, out[i], 0, n);
    }
    return out;
  }

  private NDArray layer(int l, NDArray x, NDArray additiveMask, long b, long t, boolean training) {
    int heads = layout.numHeads();
    int hs = layout.headSize();
    EncoderLayout.LayerNames n = layout.layers();
    EncoderLayout.Dropout drop = layout.dropout();
    // the scale is an array of the batch's manager, not q.mul(float): DJL's mul(Number) frees its
    // scalar at once while autograd still holds it for the backward pass (a use-after-free that
    // turns gradients into garbage when the JVM collects the scalar's buffer)
    NDArray scale = x.getManager().create(this.scale);
    NDArray q =
        linear(x, EncoderLayout.LayerNames.of(n.query(), l))
            .reshape(b, t, heads, hs)
            .transpose(0, 2, 1, 3)
            .mul(scale);
    NDArray k = linear(x, EncoderLayout.LayerNames.of(n.key(), l)).reshape(b, t, heads, hs).transpose(0, 2, 3, 1);
    NDArray v =
        linear(x, EncoderLayout.LayerNames.of(n.value(), l)).reshape(b, t, heads, hs).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k);
    if (additiveMask != null) {
      scores = scores.add(additiveMask);
    }
    NDArray probs = dropout(scores.softmax(-1), drop.attention(), training);
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, layout.hiddenSize());
    NDArray attn = linear(context, EncoderLayout.LayerNames.of(n.attentionOutput(), l));
    if (drop.afterAttentionOutput()) {
      attn = dropout(attn, drop.hidden(), training);
    }
    attn = layerNorm(attn.add(x), EncoderLayout.LayerNames.of(n.attentionNorm(), l));
    NDArray inter = activate(linear(attn, EncoderLayout.LayerNames.of(n.intermediate(), l)), layout.feedForward());
    NDArray out = dropout(linear(inter, EncoderLayout.LayerNames.of(n.output(), l)), drop.hidden(), training);
    return layerNorm(out.add(attn), EncoderLayout.LayerNames.of(n.outputNorm(), l));
  }

  /**
   * One layer at inference: the same arithmetic as {@link #layer} without dropout, with the same
   * bits, but each large temporary is freed as soon as the next step has read it and element-wise
   * steps work in place. Fresh native memory costs a page fault per 4 KiB when first touched (about
   * 3.5 us each on the virtual machine this was measured on: 25 ms for one [32, 128, 1536] GELU
   * output); freed memory the allocator can hand out again costs nothing, so a small, steady
   * working set is what makes a layer fast.
   */
  private NDArray inferenceLayer(int l, NDArray x, NDArray additiveMask, long b, long t) {
    int heads = layout.numHeads();
    int hs = layout.headSize();
    EncoderLayout.LayerNames n = layout.layers();
    NDManager outer = x.getManager();
    NDArray attended;
    try (NDManager s = outer.newSubManager()) {
      x.attach(s);
      NDArray q =
          linear(x, EncoderLayout.LayerNames.of(n.query(), l))
              .muli(s.create(scale))
              .reshape(b, t, heads, hs)
              .transpose(0, 2, 1, 3);
      NDArray k =
          linear(x, EncoderLayout.LayerNames.of(n.key(), l)).reshape(b, t, heads, hs).transpose(0, 2, 3, 1);
      NDArray v =
          linear(x, EncoderLayout.LayerNames.of(n.value(), l)).reshape(b, t, heads, hs).transpose(0, 2, 1, 3);
      NDArray scores = q.matMul(k);
      if (additiveMask != null) {
        scores.addi(additiveMask);
      }
      NDArray probs = scores.softmax(-1);
      scores.close();
      NDArray heads4 = probs.matMul(v);
      probs.close();
      NDArray context = heads4.transpose(0, 2, 1, 3).reshape(b, t, layout.hiddenSize());
      heads4.close();
      attended = linear(context, EncoderLayout.LayerNames.of(n.attentionOutput(), l));
      attended.attach(outer);
      x.attach(outer);
    }
    NDArray attn = layerNorm(attended.addi(x), EncoderLayout.LayerNames.of(n.attentionNorm(), l));
    attended.close();
    NDArray out;
    try (NDManager s = outer.newSubManager()) {
      attn.attach(s);
      NDArray pre = linear(attn, EncoderLayout.LayerNames.of(n.intermediate(), l));
      NDArray inter = activate(pre, layout.feedForward());
      pre.close();
      out = linear(inter, EncoderLayout.LayerNames.of(n.output(), l));
      inter.close();
      out.attach(outer);
      attn.attach(outer);
    }
    NDArray result = layerNorm(out.addi(attn), EncoderLayout.LayerNames.of(n.outputNorm(), l));
    out.close();
    attn.close();
    return result;
  }

  private NDArray embed(NDArray ids, String weight) {
    return Embedding.embedding(ids, weights.get(weight), SparseFormat.DENSE).singletonOrThrow();
  }

  private NDArray linear(NDArray x, String prefix) {
    return Linear.linear(x, weights.get(prefix + ".weight"), weights.get(prefix + ".bias"))
        .singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String prefix) {
    return LayerNorm.layerNorm(
            x, normShape, weights.get(prefix + ".weight"), weights.get(prefix + ".bias"), eps)
        .singletonOrThrow();
  }

  private static NDArray dropout(NDArray x, double p, boolean training) {
    if (!training || p == 0) {
      return x;
    }
    return Dropout.dropout(x, (float) p, true).singletonOrThrow();
  }
}
