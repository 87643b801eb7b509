package dev.ce4j.core.arch.bert;

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
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import java.util.Objects;

/**
 * The forward pass of Hugging Face's {@code BertForSequenceClassification}, written with DJL
 * NDArray operations on {@link ModelWeights}.
 *
 * <p>Word + token-type + position embeddings, LayerNorm, dropout; then per layer: self-attention
 * with the additive mask ({@code -Float.MAX_VALUE} where the mask is 0; not added when nothing is
 * padded, which changes no bit), softmax, dropout, output dense, dropout, residual, LayerNorm;
 * intermediate dense with exact (erf) GELU; output dense, dropout, residual, LayerNorm. The pooler is {@code tanh(dense(hidden[:, 0]))}, followed by dropout and the
 * classifier. Dropout is applied only when {@code training} is true and draws from the engine's
 * random generator (see {@link dev.ce4j.core.seed.EngineSeeds}).
 *
 * <p>Every result lands in the manager of the input arrays; at inference ({@code training} false)
 * each layer's temporaries live in a sub-manager that is closed when the layer finishes, so peak
 * memory is one layer's worth. When {@code training} is true every intermediate is kept (autograd
 * needs it) until the caller closes the inputs' manager.
 *
 * <p>Thread-safe for concurrent inference calls (each with its own input manager) as long as no one
 * updates the weights at the same time.
 */
public final class BertForSequenceClassification implements SequenceClassifier {
  private static final float MASK_VALUE = -Float.MAX_VALUE;

  private final BertConfig config;
  private final ModelWeights weights;
  private final float eps;
  private final Shape normShape;
  private final float scale;

  /**
   * Creates the model over its weights (not copied, not owned).
   *
   * @param weights the weights, never null; their configuration is the model's
   */
  public BertForSequenceClassification(ModelWeights weights) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.config = BertScript.bert(weights);
    this.eps = (float) config.layerNormEps();
    this.normShape = new Shape(config.hiddenSize());
    this.scale = (float) (1.0 / Math.sqrt(config.headSize()));
  }

  /**
   * The configuration.
   *
   * @return the configuration, never null
   */
  public BertConfig config() {
    return config;
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
    NDArray x = embed(ids, "bert.embeddings.word_embeddings.weight");
    x = x.add(embed(inputs.tokenTypeIds(), "bert.embeddings.token_type_embeddings.weight"));
    NDArray positions = m.arange(0, (int) t, 1, DataType.INT64);
    x = x.add(embed(positions, "bert.embeddings.position_embeddings.weight"));
    x = layerNorm(x, "bert.embeddings.LayerNorm");
    x = dropout(x, config.hiddenDropoutProb(), training);

    // nothing padded (a batch of equal lengths, or one pair): adding a mask of zeros changes no
    // bit, so it is skipped, saving a pass over the [batch, heads, tokens, tokens] scores per layer
    NDArray additiveMask = null;
    if (inputs.padded()) {
      NDArray mask = inputs.attentionMask().toType(DataType.FLOAT32, false);
      additiveMask = mask.neg().add(1f).mul(MASK_VALUE).reshape(b, 1, 1, t);
    }

    for (int l = 0; l < config.numHiddenLayers(); l++) {
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

  /** Refuses a batch longer than the position table. */
  static void checkLength(BertConfig config, long tokens) {
    if (tokens > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException(
          "sequence of "
              + tokens
              + " tokens is longer than max_position_embeddings "
              + config.maxPositionEmbeddings());
    }
  }

  /**
   * Applies the pooler, dropout and classifier to hidden states.
   *
   * @param hidden hidden states {@code [batch, tokens, hidden]}, never null
   * @param training whether to apply dropout
   * @return logits {@code [batch, numLabels]}, in the hidden states' manager, never null
   */
  public NDArray head(NDArray hidden, boolean training) {
    NDArray cls = hidden.get(new NDIndex(":, 0, :"));
    NDArray pooled = linear(cls, "bert.pooler.dense").tanh();
    pooled = dropout(pooled, config.effectiveClassifierDropout(), training);
    return linear(pooled, "classifier");
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
      int d = config.hiddenSize();
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
    int d = config.hiddenSize();
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
    int heads = config.numAttentionHeads();
    int hs = config.headSize();
    String p = "bert.encoder.layer." + l + ".";
    // the scale is an array of the batch's manager, not q.mul(float): DJL's mul(Number) frees its
    // scalar at once while autograd still holds it for the backward pass (a use-after-free that
    // turns gradients into garbage when the JVM collects the scalar's buffer)
    NDArray scale = x.getManager().create(this.scale);
    NDArray q =
        linear(x, p + "attention.self.query")
            .reshape(b, t, heads, hs)
            .transpose(0, 2, 1, 3)
            .mul(scale);
    NDArray k = linear(x, p + "attention.self.key").reshape(b, t, heads, hs).transpose(0, 2, 3, 1);
    NDArray v =
        linear(x, p + "attention.self.value").reshape(b, t, heads, hs).transpose(0, 2, 1, 3);
    NDArray scores = q.matMul(k);
    if (additiveMask != null) {
      scores = scores.add(additiveMask);
    }
    NDArray probs = dropout(scores.softmax(-1), config.attentionProbsDropoutProb(), training);
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize());
    NDArray attn =
        dropout(
            linear(context, p + "attention.output.dense"), config.hiddenDropoutProb(), training);
    attn = layerNorm(attn.add(x), p + "attention.output.LayerNorm");
    NDArray inter = Activation.gelu(linear(attn, p + "intermediate.dense"));
    NDArray out = dropout(linear(inter, p + "output.dense"), config.hiddenDropoutProb(), training);
    return layerNorm(out.add(attn), p + "output.LayerNorm");
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
    int heads = config.numAttentionHeads();
    int hs = config.headSize();
    String p = "bert.encoder.layer." + l + ".";
    NDManager outer = x.getManager();
    NDArray attended;
    try (NDManager s = outer.newSubManager()) {
      x.attach(s);
      NDArray q =
          linear(x, p + "attention.self.query")
              .muli(s.create(scale))
              .reshape(b, t, heads, hs)
              .transpose(0, 2, 1, 3);
      NDArray k =
          linear(x, p + "attention.self.key").reshape(b, t, heads, hs).transpose(0, 2, 3, 1);
      NDArray v =
          linear(x, p + "attention.self.value").reshape(b, t, heads, hs).transpose(0, 2, 1, 3);
      NDArray scores = q.matMul(k);
      if (additiveMask != null) {
        scores.addi(additiveMask);
      }
      NDArray probs = scores.softmax(-1);
      scores.close();
      NDArray heads4 = probs.matMul(v);
      probs.close();
      NDArray context = heads4.transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize());
      heads4.close();
      attended = linear(context, p + "attention.output.dense");
      attended.attach(outer);
      x.attach(outer);
    }
    NDArray attn = layerNorm(attended.addi(x), p + "attention.output.LayerNorm");
    attended.close();
    NDArray out;
    try (NDManager s = outer.newSubManager()) {
      attn.attach(s);
      NDArray pre = linear(attn, p + "intermediate.dense");
      NDArray inter = Activation.gelu(pre);
      pre.close();
      out = linear(inter, p + "output.dense");
      inter.close();
      out.attach(outer);
      attn.attach(outer);
    }
    NDArray result = layerNorm(out.addi(attn), p + "output.LayerNorm");
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
