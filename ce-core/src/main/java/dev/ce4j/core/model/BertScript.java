package dev.ce4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.ce4j.core.engine.TorchScriptArchive;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The inference forward pass of {@link BertForSequenceClassification} as one TorchScript call.
 *
 * <p>At small batches most of a forward pass is not arithmetic but the ~25 separate operations per
 * layer, each a JNI call with DJL's Java-side bookkeeping (about 2 ms of 11 for one 80-token pair
 * with all-MiniLM-L6-v2 on 2 threads). This class generates, for one configuration, TorchScript
 * code that performs exactly the operations of {@link BertForSequenceClassification#logits} at
 * inference, in the same order and with the same operators (a linear layer is a matrix product with
 * the transposed weight followed by the bias addition, as DJL computes it, not PyTorch's fused
 * {@code addmm}; the attention scale multiplies the query projection; the mask is added only when
 * something is padded), loads it with {@link TorchScriptArchive}, and calls it once per batch with
 * the weights as a list argument. The logits are bit for bit those of the eager pass (tested), and
 * the weights are read at every call, so updates to {@link BertWeights} are seen.
 *
 * <p>Thread-safe for concurrent calls, each with its own input manager; closing while a call runs
 * is not.
 */
public final class BertScript implements AutoCloseable {
  private static final String CLASS_NAME = "CeBertInference";

  private final BertConfig config;
  private final BertWeights weights;
  private final List<String> parameterOrder;
  private final PtSymbolBlock module;

  private BertScript(BertWeights weights, PtSymbolBlock module) {
    this.config = weights.config();
    this.weights = weights;
    this.parameterOrder = parameterOrder(config);
    this.module = module;
  }

  /**
   * Generates, compiles and loads the module for the weights' configuration, on their device.
   *
   * @param weights the weights, never null; read at each call, not copied
   * @return the module, to be closed, never null
   * @throws IllegalStateException if libtorch rejects the generated code
   */
  public static BertScript compile(BertWeights weights) {
    Objects.requireNonNull(weights, "weights");
    byte[] archive = TorchScriptArchive.build(CLASS_NAME, source(weights.config()));
    return new BertScript(weights, TorchScriptArchive.load(archive, weights.manager()));
  }

  /**
   * The classifier's logits at inference, equal bit for bit to {@code
   * BertForSequenceClassification.logits(inputs, false)}.
   *
   * @param inputs the batch, never null; at most {@code max_position_embeddings} tokens
   * @return logits {@code [batch, numLabels]}, in the inputs' manager, never null
   * @throws IllegalArgumentException if the batch is longer than {@code max_position_embeddings}
   */
  public NDArray logits(BertInputs inputs) {
    Objects.requireNonNull(inputs, "inputs");
    BertForSequenceClassification.checkLength(config, inputs.sequenceLength());
    NDManager m = inputs.inputIds().getManager();
    boolean masked = inputs.padded();
    PtNDArray[] params = new PtNDArray[parameterOrder.size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = (PtNDArray) weights.get(parameterOrder.get(i));
    }
    IValue[] args = {
      IValue.from((PtNDArray) inputs.inputIds()),
      IValue.from((PtNDArray) inputs.tokenTypeIds()),
      IValue.from((PtNDArray) inputs.attentionMask()),
      IValue.from(masked),
      IValue.listFrom(params)
    };
    IValue out = null;
    try {
      out = IValueUtils.forward(module, args);
      return out.toTensor((PtNDManager) m);
    } finally {
      for (IValue a : args) {
        a.close();
      }
      if (out != null) {
        out.close();
      }
    }
  }

  /** Frees the native module. Idempotent. */
  @Override
  public void close() {
    module.close();
  }

  /**
   * The order in which the weights are passed: transformers' order ({@link
   * BertWeights#expectedShapes}): embeddings (word, position, token type, LayerNorm), then per
   * layer query, key, value, attention output, its LayerNorm, intermediate, output, its LayerNorm
   * (each weight before its bias), then pooler and classifier. {@link #source} indexes this list.
   */
  static List<String> parameterOrder(BertConfig config) {
    return new ArrayList<>(BertWeights.expectedShapes(config).keySet());
  }

  /**
   * The class body: TorchScript, written as PyTorch prints it, performing the eager inference pass.
   * Floating-point constants are the float32 values the eager pass uses, written as doubles.
   */
  static String source(BertConfig config) {
    int hidden = config.hiddenSize();
    int heads = config.numAttentionHeads();
    int headSize = config.headSize();
    String eps = literal((float) config.layerNormEps());
    String scale = literal((float) (1.0 / Math.sqrt(headSize)));
    String mask = literal(-Float.MAX_VALUE);
    String shape4 = "[B, L, " + heads + ", " + headSize + "]";
    String shape3 = "[B, L, " + hidden + "]";
    StringBuilder s = new StringBuilder();
    s.append("  __parameters__ = []\n");
    s.append("  __buffers__ = []\n");
    s.append("  training : bool\n");
    s.append("  def forward(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    input_ids: Tensor,\n");
    s.append("    token_type_ids: Tensor,\n");
    s.append("    attention_mask: Tensor,\n");
    s.append("    masked: bool,\n");
    s.append("    p: List[Tensor]) -> Tensor:\n");
    s.append("    B = torch.size(input_ids, 0)\n");
    s.append("    L = torch.size(input_ids, 1)\n");
    s.append("    x = torch.embedding(p[0], input_ids)\n");
    s.append("    x = torch.add(x, torch.embedding(p[2], token_type_ids))\n");
    s.append(
        "    pos = torch.arange(L, dtype=4, layout=None, device=ops.prim.device(input_ids))\n");
    s.append("    x = torch.add(x, torch.embedding(p[1], pos))\n");
    s.append("    x = torch.layer_norm(x, [")
        .append(hidden)
        .append("], p[3], p[4], ")
        .append(eps)
        .append(")\n");
    // (1 - mask) * -FLT_MAX, [B, 1, 1, L]; unused when nothing is padded
    s.append("    additive = attention_mask\n");
    s.append("    if masked:\n");
    s.append("      m = torch.add(torch.neg(torch.to(attention_mask, 6)), 1.)\n");
    s.append("      additive = torch.reshape(torch.mul(m, ")
        .append(mask)
        .append("), [B, 1, 1, L])\n");
    s.append("    else:\n");
    s.append("      pass\n");
    int i = 5;
    for (int l = 0; l < config.numHiddenLayers(); l++, i += 16) {
      s.append("    q = torch.mul_(")
          .append(linear("x", i))
          .append(", ")
          .append(scale)
          .append(")\n");
      s.append("    q = torch.transpose(torch.view(q, ").append(shape4).append("), 1, 2)\n");
      s.append("    k = torch.view(").append(linear("x", i + 2)).append(", ").append(shape4);
      s.append(")\n    k = torch.permute(k, [0, 2, 3, 1])\n");
      s.append("    v = torch.view(").append(linear("x", i + 4)).append(", ").append(shape4);
      s.append(")\n    v = torch.transpose(v, 1, 2)\n");
      s.append("    scores = torch.matmul(q, k)\n");
      s.append("    if masked:\n");
      s.append("      scores = torch.add_(scores, additive)\n");
      s.append("    else:\n");
      s.append("      pass\n");
      s.append("    probs = torch.softmax(scores, -1)\n");
      s.append("    c = torch.reshape(torch.transpose(torch.matmul(probs, v), 1, 2), ");
      s.append(shape3).append(")\n");
      s.append("    a = torch.add_(").append(linear("c", i + 6)).append(", x)\n");
      s.append("    x = torch.layer_norm(a, [").append(hidden).append("], p[").append(i + 8);
      s.append("], p[").append(i + 9).append("], ").append(eps).append(")\n");
      s.append("    h = torch.gelu(").append(linear("x", i + 10)).append(")\n");
      s.append("    o = torch.add_(").append(linear("h", i + 12)).append(", x)\n");
      s.append("    x = torch.layer_norm(o, [").append(hidden).append("], p[").append(i + 14);
      s.append("], p[").append(i + 15).append("], ").append(eps).append(")\n");
    }
    s.append("    cls = torch.select(x, 1, 0)\n");
    s.append("    pooled = torch.tanh(").append(linear("cls", i)).append(")\n");
    s.append("    return ").append(linear("pooled", i + 2)).append("\n");
    return s.toString();
  }

  /** DJL's linear: {@code x @ W^T}, then {@code + b}. */
  private static String linear(String x, int weightIndex) {
    return "torch.add_(torch.matmul("
        + x
        + ", torch.t(p["
        + weightIndex
        + "])), p["
        + (weightIndex + 1)
        + "])";
  }

  /** A float32 value as the shortest double literal that reads back as exactly that value. */
  private static String literal(float f) {
    return Double.toString(f).toLowerCase(Locale.ROOT);
  }
}
