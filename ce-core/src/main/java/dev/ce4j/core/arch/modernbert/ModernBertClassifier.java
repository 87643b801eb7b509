package dev.ce4j.core.arch.modernbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import java.util.Set;

/**
 * The forward pass of transformers' {@code ModernBertForSequenceClassification}, written with DJL
 * operations on {@link ModelWeights} looked up by their Hugging Face names ({@link
 * ModernBertTensors}).
 *
 * <p>{@code norm(tok_embeddings(ids))}, dropout; per layer {@code h += Wo(attention(attn_norm(h)))}
 * (no {@code attn_norm} in layer 0) and {@code h += mlp(mlp_norm(h))} with {@code mlp(x) =
 * Wo(act(a) * g)}, {@code (a, g) = Wi(x)} split in halves; {@code final_norm}; CLS or masked-mean
 * pooling; {@code classifier(dropout(head.norm(act(head.dense(pooled)))))}. Attention is {@code
 * softmax(rot(q) rot(k)^T / sqrt(head) + mask) v} with the rotary embedding of the layer type's theta
 * ({@link ModernBertRotary}) at positions 0, 1, ... of each row (ce pads on the right, so these are
 * every sequence's own positions and padding changes nothing).
 *
 * <p>Masks: a padded key gets {@code -Float.MAX_VALUE / 2} (one {@code [batch, 1, 1, tokens]}
 * array), and in the sliding-window layers a key more than {@code local_attention / 2} away from the
 * query gets {@code -Float.MAX_VALUE / 2} as well (one {@code [tokens, tokens]} array for the whole
 * batch, every head and every layer). Both are added to the scores; a key masked either way then
 * weighs exactly 0, as with transformers' single {@code finfo.min}, and a padded query whose window
 * holds no real key still gets finite scores (its row is never read). Nothing is added where nothing
 * is masked.
 *
 * <p>Dropout ({@code embedding_dropout}; {@code attention_dropout} on the probabilities and after
 * the attention's {@code Wo}; {@code mlp_dropout} inside the GeGLU block; {@code
 * classifier_dropout}) is applied only when {@code training} and draws from the engine's random
 * generator. At inference each layer runs in a sub-manager closed when it finishes, and the scores
 * and probabilities are freed as soon as they are read, so memory beyond the weights is one layer's
 * attention scores ({@code batch x heads x tokens^2} floats) and a few hidden-state copies.
 *
 * <p>Thread-safe for concurrent inference calls as long as no one updates the weights meanwhile.
 */
public final class ModernBertClassifier implements SequenceClassifier {
  private static final float MASK_VALUE = -Float.MAX_VALUE / 2;

  private final ModernBertConfig config;
  private final ModelWeights weights;
  private final Shape normShape;
  private final float scale;
  private final Set<String> names;

  /**
   * Creates the model over its weights (not copied, not owned).
   *
   * @param weights weights of a ModernBERT configuration, never null
   */
  public ModernBertClassifier(ModelWeights weights) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.config = ModernBertArchitecture.modernbert(weights.config());
    this.normShape = new Shape(config.hiddenSize());
    this.scale = (float) Math.pow(config.headSize(), -0.5);
    this.names = Set.copyOf(ModernBertTensors.shapes(config).keySet());
  }

  @Override
  public ModelWeights weights() {
    return weights;
  }

  /**
   * The configuration.
   *
   * @return the configuration, never null
   */
  public ModernBertConfig config() {
    return config;
  }

  @Override
  public NDArray logits(ModelInputs inputs, boolean training) {
    NDArray hidden = lastHiddenState(inputs, training);
    NDArray pooled;
    if (ModernBertConfig.MEAN.equals(config.classifierPooling())) {
      NDArray mask = inputs.attentionMask().toType(DataType.FLOAT32, false);
      pooled = hidden.mul(mask.expandDims(-1)).sum(new int[] {1}).div(mask.sum(new int[] {1}, true));
    } else {
      pooled = hidden.get(new NDIndex(":, 0, :"));
    }
    return head(pooled, training);
  }

  /**
   * The head on pooled states: {@code head.norm(act(head.dense(x)))}, dropout, {@code classifier}.
   *
   * @param pooled pooled states {@code [batch, hidden]}, never null
   * @param training whether to apply dropout
   * @return logits {@code [batch, numLabels]}, never null
   */
  NDArray head(NDArray pooled, boolean training) {
    NDArray zero = pooled.getManager().zeros(normShape);
    NDArray h = activate(linear(pooled, ModernBertTensors.HEAD_DENSE), config.classifierActivation());
    h = layerNorm(h, ModernBertTensors.HEAD_NORM, zero);
    h = dropout(h, config.classifierDropout(), training);
    return linear(h, ModernBertTensors.CLASSIFIER);
  }

  /**
   * The encoder's output after {@code final_norm}, what transformers calls {@code
   * last_hidden_state}.
   *
   * @param inputs the batch, never null; at most {@code max_position_embeddings} tokens
   * @param training whether to apply dropout (and keep every intermediate for autograd)
   * @return hidden states {@code [batch, tokens, hidden]}, in the inputs' manager, never null
   * @throws IllegalArgumentException if the batch is longer than {@code max_position_embeddings}
   */
  public NDArray lastHiddenState(ModelInputs inputs, boolean training) {
    Objects.requireNonNull(inputs, "inputs");
    NDArray ids = inputs.inputIds();
    NDManager m = ids.getManager();
    long b = inputs.batchSize();
    long t = inputs.sequenceLength();
    if (t > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + t + " tokens is longer than the model's "
          + config.maxPositions() + " positions (max_position_embeddings)");
    }
    NDArray zero = m.zeros(normShape);
    NDArray x = Embedding.embedding(ids, weights.get(ModernBertTensors.TOK_EMBEDDINGS), SparseFormat.DENSE)
        .singletonOrThrow();
    x = layerNorm(x, ModernBertTensors.EMBEDDINGS_NORM, zero);
    x = dropout(x, config.embeddingDropout(), training);

    NDArray keyMask = null;
    if (inputs.padded()) {
      keyMask = inputs.attentionMask().toType(DataType.FLOAT32, false).neg().add(1f).mul(MASK_VALUE)
          .reshape(b, 1, 1, t);
    }
    int half = config.localAttention() / 2;
    NDArray window = null;
    if (t - 1 > half) {
      NDArray pos = m.arange(0, (int) t, 1, DataType.INT32);
      window = pos.reshape(t, 1).sub(pos.reshape(1, t)).abs().gt(half).toType(DataType.FLOAT32, false)
          .mul(MASK_VALUE);
    }
    int hs = config.headSize();
    ModernBertRotary global = new ModernBertRotary(m, config.globalRopeTheta(), hs, t);
    ModernBertRotary local = new ModernBertRotary(m, config.localRopeTheta(), hs, t);

    for (int l = 0; l < config.numHiddenLayers(); l++) {
      boolean isGlobal = config.isGlobalLayer(l);
      ModernBertRotary rope = isGlobal ? global : local;
      NDArray layerWindow = isGlobal ? null : window;
      if (training) {
        x = layer(l, x, keyMask, layerWindow, rope, zero, b, t, true);
      } else {
        try (NDManager scope = m.newSubManager()) {
          x.attach(scope);
          NDArray out = layer(l, x, keyMask, layerWindow, rope, zero, b, t, false);
          out.attach(m);
          x = out;
        }
      }
    }
    return layerNorm(x, ModernBertTensors.FINAL_NORM, zero);
  }

  /** One layer; at inference every temporary is closed once read (the caller's scope frees the rest). */
  private NDArray layer(int l, NDArray x, NDArray keyMask, NDArray window, ModernBertRotary rope, NDArray zero,
      long b, long t, boolean training) {
    int heads = config.numAttentionHeads();
    int hs = config.headSize();
    NDArray normed = l == 0 ? x : layerNorm(x, ModernBertTensors.layer(l, "attn_norm"), zero);
    NDArray qkv = linear(normed, ModernBertTensors.layer(l, "attn.Wqkv"));
    // [b, t, 3 * hidden] -> q, k, v of [b, heads, t, head]: Wqkv's outputs are [q | k | v]
    NDList parts = qkv.reshape(b, t, 3, heads, hs).transpose(2, 0, 3, 1, 4).split(3, 0);
    NDArray q = rope.apply(parts.get(0).squeeze(0));
    NDArray k = rope.apply(parts.get(1).squeeze(0));
    NDArray v = parts.get(2).squeeze(0);
    // the scale is an array of the batch's manager, not mul(float): see DEVELOPERS.md
    NDArray scale = x.getManager().create(this.scale);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    scores = training ? scores.mul(scale) : scores.muli(scale);
    if (!training) {
      if (normed != x) {
        normed.close();
      }
      qkv.close();
      q.close();
      k.close();
    }
    if (window != null) {
      scores = training ? scores.add(window) : scores.addi(window);
    }
    if (keyMask != null) {
      scores = training ? scores.add(keyMask) : scores.addi(keyMask);
    }
    NDArray probs = dropout(scores.softmax(-1), config.attentionDropout(), training);
    if (!training) {
      scores.close();
    }
    NDArray context = probs.matMul(v);
    if (!training) {
      probs.close();
    }
    NDArray attn = linear(context.transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize()),
        ModernBertTensors.layer(l, "attn.Wo"));
    attn = dropout(attn, config.attentionDropout(), training);
    NDArray h = training ? x.add(attn) : attn.addi(x);
    NDArray wi = linear(layerNorm(h, ModernBertTensors.layer(l, "mlp_norm"), zero),
        ModernBertTensors.layer(l, "mlp.Wi"));
    NDList ag = wi.split(2, 2);
    NDArray gated = activate(ag.get(0), config.hiddenActivation()).mul(ag.get(1));
    gated = dropout(gated, config.mlpDropout(), training);
    NDArray mlp = linear(gated, ModernBertTensors.layer(l, "mlp.Wo"));
    if (!training) {
      wi.close();
      gated.close();
      return mlp.addi(h);
    }
    return h.add(mlp);
  }

  private NDArray linear(NDArray x, String module) {
    String bias = module + ".bias";
    return Linear.linear(x, weights.get(module + ".weight"), names.contains(bias) ? weights.get(bias) : null)
        .singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String module, NDArray zero) {
    String bias = module + ".bias";
    NDArray beta = names.contains(bias) ? weights.get(bias) : zero;
    return LayerNorm.layerNorm(x, normShape, weights.get(module + ".weight"), beta, (float) config.normEps())
        .singletonOrThrow();
  }

  private static NDArray activate(NDArray x, String name) {
    return switch (name) {
      case ModernBertConfig.RELU -> Activation.relu(x);
      case ModernBertConfig.SILU -> x.mul(Activation.sigmoid(x));
      default -> Activation.gelu(x);
    };
  }

  private static NDArray dropout(NDArray x, double p, boolean training) {
    if (!training || p == 0) {
      return x;
    }
    return Dropout.dropout(x, (float) p, true).singletonOrThrow();
  }

}
