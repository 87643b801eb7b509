package dev.ce4j.core.arch.deberta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import java.util.Objects;

/**
 * The forward pass of transformers' {@code DebertaV2ForSequenceClassification}, written with DJL
 * NDArray operations on {@link ModelWeights} looked up by their Hugging Face names.
 *
 * <p>Embeddings: word (+ absolute position) (+ token type), {@code embed_proj}, LayerNorm, times the
 * attention mask, dropout. The relative positions ({@link DebertaV2Positions}) and the relative
 * embeddings (through {@code encoder.LayerNorm} when {@code norm_rel_ebd} says so) are made once per
 * batch. Each layer: {@code q k^T / s} with {@code s = sqrt(head_size * (1 + |pos_att_type|))} (the
 * scale divides the keys, as transformers does), plus {@code c2p[i, j] = q_i . posk[c2p(i, j)] / s}
 * and {@code p2c[i, j] = k_j . posq[p2c(j, i)] / s}, where the position keys and queries are the
 * (dropped-out) relative embeddings through {@code key_proj} / {@code query_proj} ({@code
 * share_att_key}) or {@code pos_key_proj} / {@code pos_query_proj}, computed once per head rather
 * than per batch row (a broadcast product) and gathered by relative position; padded keys masked
 * (additive {@code -Float.MAX_VALUE}: their probability is exactly 0, as with transformers'
 * masked_fill; a padded query row, which transformers spreads evenly over every key, here attends to
 * the real keys, and no real row or logit reads it); softmax, dropout, context, output projection,
 * dropout, residual, LayerNorm; feed-forward, dropout, residual, LayerNorm; after the first layer,
 * when {@code conv_kernel_size > 0}, DeBERTa-v2-xlarge's convolution ({@link #convolution}). Head: {@code
 * classifier(dropout(act(pooler.dense(dropout(h[:, 0])))))}.
 *
 * <p>Dropout only when {@code training}, drawn from the engine's generator ({@link
 * dev.ce4j.core.seed.EngineSeeds}). At inference each layer runs in a sub-manager closed when the
 * layer finishes; when training every intermediate is kept for autograd until the caller closes the
 * inputs' manager. Thread-safe for concurrent inference calls.
 */
public final class DebertaV2Classifier implements SequenceClassifier {
  private static final float MASK_VALUE = -Float.MAX_VALUE;

  private final ModelWeights weights;
  private final DebertaV2Config config;
  private final Shape normShape;
  private final float eps;
  private final float scale;

  /**
   * Creates the pass over its weights (not copied, not owned).
   *
   * @param weights weights of a DeBERTa-v2 configuration, never null
   */
  public DebertaV2Classifier(ModelWeights weights) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.config = DebertaV2Architecture.deberta(weights.config());
    this.normShape = new Shape(config.hiddenSize());
    this.eps = (float) config.layerNormEps();
    // transformers: torch.sqrt(torch.tensor(head_size, dtype=float) * scale_factor), in float32
    this.scale = (float) Math.sqrt((float) config.headSize() * config.scaleFactor());
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
  public DebertaV2Config config() {
    return config;
  }

  @Override
  public NDArray logits(ModelInputs inputs, boolean training) {
    return head(lastHiddenState(inputs, training), training);
  }

  /**
   * The encoder's output, transformers' {@code last_hidden_state}.
   *
   * @param inputs the batch, never null; at most {@code max_position_embeddings} tokens
   * @param training whether to apply dropout (and keep every intermediate for autograd)
   * @return hidden states {@code [batch, tokens, hidden]} in the inputs' manager, never null
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
    NDArray x = embed(ids, DebertaV2Tensors.WORD_EMBEDDINGS);
    if (config.positionBiasedInput()) {
      x = x.add(embed(m.arange(0, (int) t, 1, DataType.INT64), DebertaV2Tensors.POSITION_EMBEDDINGS));
    }
    if (config.typeVocabSize() > 0) {
      x = x.add(embed(inputs.tokenTypeIds(), DebertaV2Tensors.TOKEN_TYPE_EMBEDDINGS));
    }
    if (config.embeddingSize() != config.hiddenSize()) {
      x = Linear.linear(x, weights.get(DebertaV2Tensors.EMBED_PROJ)).singletonOrThrow();
    }
    x = layerNorm(x, DebertaV2Tensors.EMBEDDINGS_NORM);
    NDArray additiveMask = null;
    NDArray tokenMask = null;
    if (inputs.padded()) {
      NDArray mask = inputs.attentionMask().toType(DataType.FLOAT32, false);
      // transformers multiplies the embeddings by the mask (a no-op where nothing is padded)
      tokenMask = mask.reshape(b, t, 1);
      x = x.mul(tokenMask);
      additiveMask = mask.neg().add(1f).mul(MASK_VALUE).reshape(b, 1, 1, t);
    }
    x = dropout(x, config.hiddenDropoutProb(), training);

    Relative relative = null;
    if (config.relativeAttention()) {
      NDArray rel = DebertaV2Positions.relative(config, t, m);
      NDArray table = weights.get(DebertaV2Tensors.REL_EMBEDDINGS);
      if (config.relEmbeddingLayerNorm()) {
        table = layerNorm(table, DebertaV2Tensors.REL_NORM);
        table.attach(m);
      }
      int span = config.attentionSpan();
      long heads = config.numAttentionHeads();
      // the indices [t, t] seen as [batch, heads, t, t] for the gathers (a broadcast view)
      relative = new Relative(
          table,
          config.c2p() ? DebertaV2Positions.c2pIndex(rel, span).broadcast(b, heads, t, t) : null,
          config.p2c() ? DebertaV2Positions.p2cIndex(rel, span).broadcast(b, heads, t, t) : null);
    }
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      boolean conv = l == 0 && config.convKernelSize() > 0;
      if (training) {
        NDArray out = layer(l, x, additiveMask, relative, true);
        x = conv ? convolution(x, out, tokenMask, true) : out;
      } else {
        try (NDManager scope = m.newSubManager()) {
          x.attach(scope);
          NDArray out = layer(l, x, additiveMask, relative, false);
          if (conv) {
            out = convolution(x, out, tokenMask, false);
          }
          out.attach(m);
          x = out;
        }
      }
    }
    return x;
  }

  /** The relative embeddings (after their LayerNorm) and the gather indices, made once per batch. */
  private record Relative(NDArray table, NDArray c2pIndex, NDArray p2cIndex) {}

  /**
   * The classification head on hidden states.
   *
   * @param hidden hidden states {@code [batch, tokens, hidden]}, never null
   * @param training whether to apply dropout
   * @return logits {@code [batch, numLabels]}, never null
   */
  public NDArray head(NDArray hidden, boolean training) {
    NDArray cls = dropout(hidden.get(new NDIndex(":, 0, :")), config.poolerDropout(), training);
    NDArray pooled = activate(linear(cls, DebertaV2Tensors.POOLER), config.poolerHiddenAct());
    pooled = dropout(pooled, config.classifierDropout(), training);
    return linear(pooled, DebertaV2Tensors.CLASSIFIER);
  }

  private NDArray layer(int l, NDArray x, NDArray additiveMask, Relative relative, boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int heads = config.numAttentionHeads();
    int hs = config.headSize();
    NDManager m = x.getManager();
    // an array of the batch's manager, never mul/div(Number): see DEVELOPERS.md, scalars in autograd
    NDArray s = m.create(scale);
    String self = DebertaV2Tensors.layer(l, "attention.self.");
    NDArray q = split(linear(x, self + "query_proj"), b, t);
    NDArray k = split(linear(x, self + "key_proj"), b, t);
    NDArray v = split(linear(x, self + "value_proj"), b, t);
    NDArray scaledKeys = k.transpose(0, 1, 3, 2).div(s);
    NDArray scores = q.matMul(scaledKeys);
    free(scaledKeys, training);
    if (relative != null) {
      // the table may be the weight itself (no LayerNorm): what is derived from it is moved to this
      // layer's manager, the weight never is
      NDArray rel = relative.table();
      if (training && config.hiddenDropoutProb() > 0) {
        rel = dropout(rel, config.hiddenDropoutProb(), true);
        rel.attach(m);
      }
      long rows = rel.getShape().get(0);
      NDArray bias = null;
      NDArray p2c = null;
      if (relative.c2pIndex() != null) {
        String proj = config.shareAttKey() ? "key_proj" : "pos_key_proj";
        // [heads, head_size, 2k]: one product per head, broadcast over the batch
        NDArray posKey = linear(rel, self + proj);
        posKey.attach(m);
        NDArray all = q.matMul(posKey.reshape(rows, heads, hs).transpose(1, 2, 0));
        NDArray c2p = all.gather(relative.c2pIndex(), 3);
        free(all, training);
        bias = training ? c2p.div(s) : c2p.divi(s);
      }
      if (relative.p2cIndex() != null) {
        String proj = config.shareAttKey() ? "query_proj" : "pos_query_proj";
        NDArray posQuery = linear(rel, self + proj);
        posQuery.attach(m);
        NDArray all = k.matMul(posQuery.reshape(rows, heads, hs).transpose(1, 2, 0));
        p2c = all.gather(relative.p2cIndex(), 3);
        free(all, training);
        NDArray term = training ? p2c.div(s) : p2c.divi(s);
        // [batch, heads, key, query] seen as [batch, heads, query, key]
        term = term.transpose(0, 1, 3, 2);
        if (bias == null) {
          bias = term;
        } else {
          bias = training ? bias.add(term) : bias.addi(term);
          free(term, training);
        }
      }
      if (bias != null) {
        scores = training ? scores.add(bias) : scores.addi(bias);
        free(bias, training);
      }
      if (p2c != null) {
        free(p2c, training);
      }
    }
    if (additiveMask != null) {
      scores = training ? scores.add(additiveMask) : scores.addi(additiveMask);
    }
    NDArray probs = dropout(scores.softmax(-1), config.attentionProbsDropoutProb(), training);
    free(scores, training);
    NDArray heads4 = probs.matMul(v);
    free(probs, training);
    NDArray context = heads4.transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize());
    free(heads4, training);
    String layer = DebertaV2Tensors.layer(l, "");
    NDArray attn = dropout(linear(context, layer + "attention.output.dense"), config.hiddenDropoutProb(), training);
    attn = layerNorm(attn.add(x), layer + "attention.output.LayerNorm");
    NDArray pre = linear(attn, layer + "intermediate.dense");
    NDArray inter = activate(pre, config.hiddenAct());
    free(pre, training);
    NDArray out = dropout(linear(inter, layer + "output.dense"), config.hiddenDropoutProb(), training);
    free(inter, training);
    return layerNorm(out.add(attn), layer + "output.LayerNorm");
  }

  /**
   * DeBERTa-v2-xlarge's {@code ConvLayer} after the first layer: a 1-D convolution of the first
   * layer's input over the tokens (padding {@code (k - 1) / 2}, {@code conv_groups}), zero at padded
   * tokens, dropout, {@code conv_act}, plus the first layer's output, LayerNorm, times the mask.
   */
  private NDArray convolution(NDArray input, NDArray residual, NDArray tokenMask, boolean training) {
    int k = config.convKernelSize();
    NDArray out = Conv1d.conv1d(input.transpose(0, 2, 1), weights.get(DebertaV2Tensors.CONV + ".weight"),
            weights.get(DebertaV2Tensors.CONV + ".bias"), new Shape(1), new Shape((k - 1) / 2), new Shape(1),
            config.convGroups())
        .singletonOrThrow()
        .transpose(0, 2, 1);
    if (tokenMask != null) {
      out = out.mul(tokenMask);
    }
    out = activate(dropout(out, config.hiddenDropoutProb(), training), config.convAct());
    NDArray output = layerNorm(residual.add(out), DebertaV2Tensors.CONV_NORM);
    return tokenMask != null ? output.mul(tokenMask) : output;
  }

  /**
   * Closes a large temporary as soon as the next step has read it, at inference only (training
   * keeps every intermediate for autograd): a smaller working set, as {@code EncoderClassifier}.
   */
  private static void free(NDArray x, boolean training) {
    if (!training) {
      x.close();
    }
  }

  /** {@code [b, t, hidden]} to {@code [b, heads, t, head_size]}. */
  private NDArray split(NDArray x, long b, long t) {
    return x.reshape(b, t, config.numAttentionHeads(), config.headSize()).transpose(0, 2, 1, 3);
  }

  /**
   * Convenience: the encoder's output for Java arrays, at inference.
   *
   * @param inputIds token ids {@code [batch][tokens]}, never null
   * @param tokenTypeIds segment ids, same shape, never null
   * @param attentionMask 1 or 0 per token, same shape, never null
   * @return hidden states {@code [batch][tokens][hidden]}, never null
   */
  public float[][][] lastHiddenState(long[][] inputIds, long[][] tokenTypeIds, long[][] attentionMask) {
    try (NDManager m = weights.manager().newSubManager()) {
      ModelInputs in = ModelInputs.of(m, inputIds, tokenTypeIds, attentionMask);
      float[] flat = lastHiddenState(in, false).toFloatArray();
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
   * Convenience: the logits for Java arrays, at inference.
   *
   * @param inputIds token ids {@code [batch][tokens]}, never null
   * @param tokenTypeIds segment ids, same shape, never null
   * @param attentionMask 1 or 0 per token, same shape, never null
   * @return logits {@code [batch][numLabels]}, never null
   */
  public float[][] logits(long[][] inputIds, long[][] tokenTypeIds, long[][] attentionMask) {
    try (NDManager m = weights.manager().newSubManager()) {
      ModelInputs in = ModelInputs.of(m, inputIds, tokenTypeIds, attentionMask);
      float[] flat = logits(in, false).toFloatArray();
      int n = config.numLabels();
      float[][] out = new float[inputIds.length][n];
      for (int i = 0; i < out.length; i++) {
        System.arraycopy(flat, i * n, out[i], 0, n);
      }
      return out;
    }
  }

  private static NDArray activate(NDArray x, String name) {
    return switch (name) {
      case "gelu" -> Activation.gelu(x);
      case "relu" -> Activation.relu(x);
      case "tanh" -> x.tanh();
      default -> throw new IllegalStateException("activation " + name);
    };
  }

  private NDArray embed(NDArray ids, String weight) {
    return Embedding.embedding(ids, weights.get(weight), SparseFormat.DENSE).singletonOrThrow();
  }

  private NDArray linear(NDArray x, String prefix) {
    return Linear.linear(x, weights.get(prefix + ".weight"), weights.get(prefix + ".bias")).singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String prefix) {
    return LayerNorm.layerNorm(x, normShape, weights.get(prefix + ".weight"), weights.get(prefix + ".bias"), eps)
        .singletonOrThrow();
  }

  private static NDArray dropout(NDArray x, double p, boolean training) {
    if (!training || p == 0) {
      return x;
    }
    return Dropout.dropout(x, (float) p, true).singletonOrThrow();
  }
}
