package dev.ce4j.core.arch.encoder;

import dev.ce4j.core.CrossEncoderOptions.Precision;
import dev.ce4j.core.arch.ModelConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The TorchScript code of {@link ReducedPrecisionScript}: an encoder's inference pass whose linear
 * layers (per layer the query, key and value projections as one product, the attention output and
 * the two feed-forward products) compute in int8 or bfloat16, generated from its {@link
 * EncoderLayout}. Everything else is float32: the embeddings, LayerNorm and the classifier head as
 * {@link EncoderScript}'s exact pass writes them, the attention as one fused call ({@code
 * scaled_dot_product_attention}, libtorch's flash attention on the CPU).
 *
 * <ul>
 *   <li>int8: {@code pack(p)} quantizes each weight symmetrically per output channel (scale =
 *       max |w| of the row / the weight levels, zero point 0, {@code torch.quantize_per_channel})
 *       and packs it with its float32 bias for libtorch's quantized engine ({@code
 *       quantized::linear_prepack}, fbgemm on x86); {@code forward} calls {@code
 *       quantized::linear_dynamic}, which quantizes the activations per call to unsigned 8 bits
 *       (one scale and zero point for the batch's tensor, from its range) and returns float32.
 *   <li>bf16: {@code pack(p)} casts each weight and bias to bfloat16 once; {@code forward} casts the
 *       activations to bfloat16 for the product ({@code torch.linear}, oneDNN's bf16 kernels) and
 *       the result back to float32.
 * </ul>
 *
 * <p>{@code versions(p)} returns the version counters of the weights the packed copies come from;
 * {@code forward} returns {@code None} when they differ from the ones it is given (see {@link
 * EncoderScript}: training updates weights in place).
 */
final class ReducedPrecisionSource {
  static final String CLASS_NAME = "CeReducedPrecisionInference";
  private static final String PACKED_INT8 = "__torch__.torch.classes.quantized.LinearPackedParamsBase";

  private ReducedPrecisionSource() {}

  /** The four reduced products of a layer, in the order {@code pack} returns them. */
  static int productsPerLayer() {
    return 4;
  }

  /**
   * The class body.
   *
   * @param config the model's configuration, never null
   * @param layout its encoder layout, never null
   * @param precision {@link Precision#INT8} or {@link Precision#BF16}
   * @param weightLevels int8 only: the largest quantized weight magnitude, 127 or 63 (see {@link
   *     ReducedPrecisionScript#weightLevels()})
   * @return the TorchScript class body, never null
   */
  static String source(ModelConfig config, EncoderLayout layout, Precision precision, int weightLevels) {
    Objects.requireNonNull(precision, "precision");
    if (precision == Precision.FP32) {
      throw new IllegalArgumentException("float32 has EncoderScript");
    }
    boolean int8 = precision == Precision.INT8;
    String packedType = int8 ? PACKED_INT8 : "Tensor";
    Names n = new Names(config);
    EncoderLayout.LayerNames ln = layout.layers();
    EncoderLayout.Head head = layout.head();
    int hidden = layout.hiddenSize();
    int heads = layout.numHeads();
    String eps = literal(layout.layerNormEps());
    String scale = literal((float) (1.0 / Math.sqrt(layout.headSize())));
    StringBuilder s = new StringBuilder();
    s.append("  __parameters__ = []\n");
    s.append("  __buffers__ = []\n");
    s.append("  training : bool\n");
    s.append("  def forward(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    input_ids: Tensor,\n");
    s.append("    token_type_ids: Tensor,\n");
    s.append("    attention_mask: Tensor,\n");
    s.append("    masked: bool,\n");
    s.append("    p: List[Tensor],\n");
    s.append("    pk: List[").append(packedType).append("],\n");
    s.append("    versions: List[int]) -> Optional[Tensor]:\n");
    s.append("    if torch.ne(self.versions(p), versions):\n");
    s.append("      return None\n");
    s.append("    else:\n");
    s.append("      pass\n");
    appendEmbeddings(s, layout, n);
    for (int l = 0; l < layout.numLayers(); l++) {
      int k = productsPerLayer() * l;
      String an = EncoderLayout.LayerNames.of(ln.attentionNorm(), l);
      String on = EncoderLayout.LayerNames.of(ln.outputNorm(), l);
      s.append("    qkv = torch.view(").append(product("x", k, int8)).append(", [B, L, 3, ");
      s.append(heads).append(", ").append(layout.headSize()).append("])\n");
      // attention as one fused call (libtorch's flash attention on the CPU, which never holds the
      // [B, heads, L, L] scores): 1.3x (32 x 128) to 1.7x (8 x 512) faster than the exact pass's
      // matmul-softmax-matmul here, with logits within 0.011 of it
      s.append("    q = torch.transpose(torch.select(qkv, 2, 0), 1, 2)\n");
      s.append("    k = torch.transpose(torch.select(qkv, 2, 1), 1, 2)\n");
      s.append("    v = torch.transpose(torch.select(qkv, 2, 2), 1, 2)\n");
      s.append("    if masked:\n");
      s.append("      att = torch.scaled_dot_product_attention(q, k, v, additive, 0., False, scale=").append(scale).append(")\n");
      s.append("    else:\n");
      s.append("      att = torch.scaled_dot_product_attention(q, k, v, None, 0., False, scale=").append(scale).append(")\n");
      s.append("    c = torch.reshape(torch.transpose(att, 1, 2), [B, L, ").append(hidden).append("])\n");
      s.append("    a = torch.add_(").append(product("c", k + 1, int8)).append(", x)\n");
      s.append("    x = torch.layer_norm(a, [").append(hidden).append("], ").append(n.p(an + ".weight"));
      s.append(", ").append(n.p(an + ".bias")).append(", ").append(eps).append(")\n");
      s.append("    h = torch.").append(activation(layout.feedForward())).append("(");
      s.append(product("x", k + 2, int8)).append(")\n");
      s.append("    o = torch.add_(").append(product("h", k + 3, int8)).append(", x)\n");
      s.append("    x = torch.layer_norm(o, [").append(hidden).append("], ").append(n.p(on + ".weight"));
      s.append(", ").append(n.p(on + ".bias")).append(", ").append(eps).append(")\n");
    }
    // the head works on one row per pair: float32, as the exact pass
    s.append("    cls = torch.select(x, 1, 0)\n");
    s.append("    pooled = torch.").append(activation(head.activation())).append("(");
    s.append(n.linear("cls", head.dense())).append(")\n");
    s.append("    return ").append(n.linear("pooled", head.output())).append("\n");
    appendPack(s, layout, n, int8, packedType, weightLevels);
    s.append("  def versions(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    p: List[Tensor]) -> List[int]:\n");
    s.append("    out = annotate(List[int], [])\n");
    s.append("    for j in ").append(packedSources(config, layout)).append(":\n");
    s.append("      _0 = torch.append(out, torch._version(p[j]))\n");
    s.append("    return out\n");
    return s.toString();
  }

  /** One reduced product with the {@code index}-th packed weight; float32 in, float32 out. */
  private static String product(String x, int index, boolean int8) {
    if (int8) {
      return "ops.quantized.linear_dynamic(" + x + ", pk[" + index + "], False)";
    }
    return "torch.to(torch.linear(torch.to(" + x + ", 15), pk[" + (2 * index) + "], pk[" + (2 * index + 1)
        + "]), 6)";
  }

  /** Embeddings, their LayerNorm (and projection), the additive mask: as the exact pass. */
  private static void appendEmbeddings(StringBuilder s, EncoderLayout layout, Names n) {
    EncoderLayout.Embeddings e = layout.embeddings();
    s.append("    B = torch.size(input_ids, 0)\n");
    s.append("    L = torch.size(input_ids, 1)\n");
    s.append("    x = torch.embedding(").append(n.p(e.word())).append(", input_ids)\n");
    if (e.tokenType() != null) {
      s.append("    x = torch.add(x, torch.embedding(").append(n.p(e.tokenType())).append(", token_type_ids))\n");
    }
    if (e.positions() == EncoderLayout.Positions.FROM_ZERO) {
      s.append("    pos = torch.arange(L, dtype=4, layout=None, device=ops.prim.device(input_ids))\n");
    } else {
      // transformers' create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
      s.append("    real = torch.to(torch.ne(input_ids, ").append(e.paddingIdx()).append("), 4)\n");
      s.append("    pos = torch.add(torch.mul(torch.cumsum(real, 1), real), ").append(e.paddingIdx()).append(")\n");
    }
    s.append("    x = torch.add(x, torch.embedding(").append(n.p(e.position())).append(", pos))\n");
    s.append("    x = torch.layer_norm(x, [").append(e.size()).append("], ").append(n.p(e.norm() + ".weight"))
        .append(", ").append(n.p(e.norm() + ".bias")).append(", ").append(literal(e.normEps())).append(")\n");
    if (e.projection() != null) {
      s.append("    x = ").append(n.linear("x", e.projection())).append("\n");
    }
    s.append("    additive = attention_mask\n");
    s.append("    if masked:\n");
    s.append("      m = torch.add(torch.neg(torch.to(attention_mask, 6)), 1.)\n");
    s.append("      additive = torch.reshape(torch.mul(m, ").append(literal(-Float.MAX_VALUE));
    s.append("), [B, 1, 1, L])\n");
    s.append("    else:\n");
    s.append("      pass\n");
  }

  /** {@code pack(p)} (and, for int8, {@code q8(w, b)}). */
  private static void appendPack(
      StringBuilder s, EncoderLayout layout, Names n, boolean int8, String packedType, int weightLevels) {
    EncoderLayout.LayerNames ln = layout.layers();
    s.append("  def pack(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    p: List[Tensor]) -> List[").append(packedType).append("]:\n");
    s.append("    out = annotate(List[").append(packedType).append("], [])\n");
    for (int l = 0; l < layout.numLayers(); l++) {
      String[] qkv = {ln.query(), ln.key(), ln.value()};
      StringBuilder w = new StringBuilder("torch.cat([");
      StringBuilder b = new StringBuilder("torch.cat([");
      for (int j = 0; j < 3; j++) {
        String module = EncoderLayout.LayerNames.of(qkv[j], l);
        w.append(j > 0 ? ", " : "").append("torch.detach(").append(n.p(module + ".weight")).append(")");
        b.append(j > 0 ? ", " : "").append("torch.detach(").append(n.p(module + ".bias")).append(")");
      }
      appendPacked(s, w.append("])").toString(), b.append("])").toString(), int8, l + "qkv");
      String[] single = {ln.attentionOutput(), ln.intermediate(), ln.output()};
      for (int j = 0; j < single.length; j++) {
        String module = EncoderLayout.LayerNames.of(single[j], l);
        appendPacked(s, "torch.detach(" + n.p(module + ".weight") + ")",
            "torch.detach(" + n.p(module + ".bias") + ")", int8, l + "p" + j);
      }
    }
    s.append("    return out\n");
    if (int8) {
      s.append("  def q8(self: __torch__.").append(CLASS_NAME).append(",\n");
      s.append("    w: Tensor,\n");
      s.append("    b: Tensor) -> ").append(PACKED_INT8).append(":\n");
      s.append("    s = torch.clamp(torch.div(torch.amax(torch.abs(w), [1]), ").append(weightLevels).append(".), 1.0e-12)\n");
      s.append("    z = torch.zeros([torch.size(w, 0)], dtype=4, layout=None, device=None)\n");
      s.append("    wq = torch.quantize_per_channel(torch.contiguous(w), s, z, 0, 12)\n");
      s.append("    return ops.quantized.linear_prepack(wq, torch.contiguous(b))\n");
    }
  }

  private static void appendPacked(StringBuilder s, String weight, String bias, boolean int8, String tag) {
    if (int8) {
      s.append("    _").append(tag).append(" = torch.append(out, self.q8(").append(weight).append(", ");
      s.append(bias).append("))\n");
    } else {
      s.append("    _").append(tag).append("w = torch.append(out, torch.contiguous(torch.to(").append(weight);
      s.append(", 15)))\n");
      s.append("    _").append(tag).append("b = torch.append(out, torch.to(").append(bias).append(", 15))\n");
    }
  }

  /**
   * Positions (in {@link EncoderScript#parameterOrder}) of the weights the packed copies come from:
   * per layer the query, key, value, attention output, intermediate and output weights and biases.
   */
  static List<Integer> packedSources(ModelConfig config, EncoderLayout layout) {
    Names n = new Names(config);
    EncoderLayout.LayerNames ln = layout.layers();
    List<Integer> sources = new ArrayList<>();
    for (int l = 0; l < layout.numLayers(); l++) {
      for (String module : new String[] {ln.query(), ln.key(), ln.value(), ln.attentionOutput(), ln.intermediate(), ln.output()}) {
        sources.add(n.at(EncoderLayout.LayerNames.of(module, l) + ".weight"));
        sources.add(n.at(EncoderLayout.LayerNames.of(module, l) + ".bias"));
      }
    }
    return sources;
  }

  private static String activation(EncoderLayout.Activation a) {
    return switch (a) {
      case GELU -> "gelu";
      case RELU -> "relu";
      case TANH -> "tanh";
    };
  }

  private static String literal(float f) {
    return Double.toString(f).toLowerCase(Locale.ROOT);
  }

  /** Positions of the weight list by tensor name. */
  private static final class Names {
    private final Map<String, Integer> index = new HashMap<>();

    Names(ModelConfig config) {
      List<String> order = EncoderScript.parameterOrder(config);
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i), i);
      }
    }

    String p(String tensor) {
      return "p[" + at(tensor) + "]";
    }

    int at(String tensor) {
      Integer i = index.get(tensor);
      if (i == null) {
        throw new IllegalArgumentException("the layout names a tensor the model does not have: " + tensor);
      }
      return i;
    }

    /** A float32 linear layer, {@code x @ W^T + b}. */
    String linear(String x, String module) {
      return "torch.add(torch.matmul(" + x + ", torch.t(" + p(module + ".weight") + ")), " + p(module + ".bias") + ")";
    }
  }
}
