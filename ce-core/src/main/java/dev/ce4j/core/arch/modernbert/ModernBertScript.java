package dev.ce4j.core.arch.modernbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.engine.TorchScriptArchive;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * ModernBERT's scoring pass as one TorchScript call: the operators of {@link ModernBertClassifier}'s
 * inference path, in the same order and on the same layouts, so its logits equal the eager pass's
 * bit for bit (a test checks it), without one engine call per operation. The code is generated for
 * the model's configuration ({@link #source}) and reads the live weights at each call; the rotary
 * tables are computed in Java as for the eager pass ({@link ModernBertRotary}) and passed in.
 * Inference only. Thread-safe for concurrent calls; {@link #close()} once no call is running.
 */
public final class ModernBertScript implements ScoringPass {
  private static final String CLASS_NAME = "CeModernBertInference";

  private final ModernBertConfig config;
  private final PtNDArray[] params;
  private final PtSymbolBlock module;

  private ModernBertScript(ModelWeights weights, PtSymbolBlock module) {
    this.config = ModernBertArchitecture.modernbert(weights.config());
    this.params = ModernBertTensors.shapes(config).keySet().stream()
        .map(n -> (PtNDArray) weights.get(n))
        .toArray(PtNDArray[]::new);
    this.module = module;
  }

  /**
   * Generates, compiles and loads the pass for the weights' configuration, on their device.
   *
   * @param weights weights of a ModernBERT configuration, never null; read at each call, not copied
   * @return the pass, to be closed, never null
   * @throws IllegalStateException if libtorch rejects the generated code
   */
  public static ModernBertScript compile(ModelWeights weights) {
    Objects.requireNonNull(weights, "weights");
    ModernBertConfig config = ModernBertArchitecture.modernbert(weights.config());
    byte[] archive = TorchScriptArchive.build(CLASS_NAME, source(config));
    return new ModernBertScript(weights, TorchScriptArchive.load(archive, weights.manager()));
  }

  @Override
  public NDArray logits(ModelInputs inputs) {
    Objects.requireNonNull(inputs, "inputs");
    long t = inputs.sequenceLength();
    if (t > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + t + " tokens is longer than the model's "
          + config.maxPositions() + " positions (max_position_embeddings)");
    }
    NDManager outer = inputs.inputIds().getManager();
    try (PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = outer.newSubManager()) {
      int hs = config.headSize();
      ModernBertRotary global = new ModernBertRotary(m, config.globalRopeTheta(), hs, t);
      ModernBertRotary local = new ModernBertRotary(m, config.localRopeTheta(), hs, t);
      NDArray zero = m.zeros(new Shape(config.hiddenSize()));
      List<IValue> args = new ArrayList<>();
      args.add(IValue.from((PtNDArray) inputs.inputIds()));
      args.add(IValue.from((PtNDArray) inputs.attentionMask()));
      args.add(IValue.from(inputs.padded()));
      args.add(IValue.listFrom(params));
      args.add(IValue.from((PtNDArray) zero));
      args.add(IValue.from((PtNDArray) global.cos()));
      args.add(IValue.from((PtNDArray) global.sin()));
      args.add(IValue.from((PtNDArray) local.cos()));
      args.add(IValue.from((PtNDArray) local.sin()));
      IValue out = null;
      try {
        out = IValueUtils.forward(module, args.toArray(new IValue[0]));
        return out.toTensor((PtNDManager) outer);
      } finally {
        for (IValue a : args) {
          a.close();
        }
        if (out != null) {
          out.close();
        }
      }
    }
  }

  /**
   * Always false: the products are the eager pass's.
   *
   * @return false
   */
  @Override
  public boolean onednn() {
    return false;
  }

  @Override
  public void close() {
    module.close();
  }

  /** Positions of the weight list by tensor name, for the code generator. */
  private static final class Names {
    private final List<String> order;
    private final Set<String> present;

    Names(ModernBertConfig config) {
      order = new ArrayList<>(ModernBertTensors.shapes(config).keySet());
      present = Set.copyOf(order);
    }

    String p(String tensor) {
      int i = order.indexOf(tensor);
      if (i < 0) {
        throw new IllegalArgumentException("no tensor " + tensor);
      }
      return "p[" + i + "]";
    }

    /** DJL's linear: {@code x @ W^T}, then {@code + b} where the module has a bias. */
    String linear(String x, String module) {
      String product = "torch.matmul(" + x + ", torch.t(" + p(module + ".weight") + "))";
      String bias = module + ".bias";
      return present.contains(bias) ? "torch.add_(" + product + ", " + p(bias) + ")" : product;
    }

    String norm(String x, String module, int d, String eps) {
      String bias = module + ".bias";
      return "torch.layer_norm(" + x + ", [" + d + "], " + p(module + ".weight") + ", "
          + (present.contains(bias) ? p(bias) : "zero") + ", " + eps + ")";
    }
  }

  /**
   * The class body: TorchScript, written as PyTorch prints it, performing {@link
   * ModernBertClassifier}'s inference path for the configuration.
   *
   * @param config the configuration, never null
   * @return the code, never null
   */
  static String source(ModernBertConfig config) {
    Names n = new Names(config);
    int d = config.hiddenSize();
    int heads = config.numAttentionHeads();
    int hs = config.headSize();
    String eps = literal((float) config.normEps());
    String scale = literal((float) Math.pow(hs, -0.5));
    String mask = literal(-Float.MAX_VALUE / 2);
    int half = config.localAttention() / 2;
    StringBuilder s = new StringBuilder();
    s.append("  __parameters__ = []\n");
    s.append("  __buffers__ = []\n");
    s.append("  training : bool\n");
    s.append("  def forward(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    input_ids: Tensor,\n");
    s.append("    attention_mask: Tensor,\n");
    s.append("    masked: bool,\n");
    s.append("    p: List[Tensor],\n");
    s.append("    zero: Tensor,\n");
    s.append("    gcos: Tensor,\n");
    s.append("    gsin: Tensor,\n");
    s.append("    lcos: Tensor,\n");
    s.append("    lsin: Tensor) -> Tensor:\n");
    s.append("    B = torch.size(input_ids, 0)\n");
    s.append("    L = torch.size(input_ids, 1)\n");
    s.append("    x = torch.embedding(").append(n.p(ModernBertTensors.TOK_EMBEDDINGS)).append(", input_ids)\n");
    s.append("    x = ").append(n.norm("x", ModernBertTensors.EMBEDDINGS_NORM, d, eps)).append("\n");
    s.append("    keymask = attention_mask\n");
    s.append("    if masked:\n");
    s.append("      km = torch.add(torch.neg(torch.to(attention_mask, 6)), 1.)\n");
    s.append("      keymask = torch.reshape(torch.mul(km, ").append(mask).append("), [B, 1, 1, L])\n");
    s.append("    else:\n");
    s.append("      pass\n");
    s.append("    windowed = torch.gt(torch.sub(L, 1), ").append(half).append(")\n");
    s.append("    window = attention_mask\n");
    s.append("    if windowed:\n");
    s.append("      pos = torch.arange(L, dtype=3, layout=None, device=ops.prim.device(input_ids))\n");
    s.append("      dist = torch.abs(torch.sub(torch.reshape(pos, [L, 1]), torch.reshape(pos, [1, L])))\n");
    s.append("      window = torch.mul(torch.to(torch.gt(dist, ").append(half).append("), 6), ")
        .append(mask).append(")\n");
    s.append("    else:\n");
    s.append("      pass\n");
    for (int l = 0; l < config.numHiddenLayers(); l++) {
      boolean global = config.isGlobalLayer(l);
      String cos = global ? "gcos" : "lcos";
      String sin = global ? "gsin" : "lsin";
      if (l == 0) {
        s.append("    h = x\n");
      } else {
        s.append("    h = ").append(n.norm("x", ModernBertTensors.layer(l, "attn_norm"), d, eps)).append("\n");
      }
      s.append("    qkv = ").append(n.linear("h", ModernBertTensors.layer(l, "attn.Wqkv"))).append("\n");
      s.append("    qkv = torch.permute(torch.reshape(qkv, [B, L, 3, ").append(heads).append(", ").append(hs)
          .append("]), [2, 0, 3, 1, 4])\n");
      s.append("    parts = torch.split(qkv, 1, 0)\n");
      s.append("    q = ").append(rotate("torch.squeeze(parts[0], 0)", cos, sin, hs)).append("\n");
      s.append("    k = ").append(rotate("torch.squeeze(parts[1], 0)", cos, sin, hs)).append("\n");
      s.append("    v = torch.squeeze(parts[2], 0)\n");
      s.append("    scores = torch.mul_(torch.matmul(q, torch.permute(k, [0, 1, 3, 2])), ").append(scale).append(")\n");
      if (!global) {
        s.append("    if windowed:\n");
        s.append("      scores = torch.add_(scores, window)\n");
        s.append("    else:\n");
        s.append("      pass\n");
      }
      s.append("    if masked:\n");
      s.append("      scores = torch.add_(scores, keymask)\n");
      s.append("    else:\n");
      s.append("      pass\n");
      s.append("    probs = torch.softmax(scores, -1)\n");
      s.append("    c = torch.reshape(torch.permute(torch.matmul(probs, v), [0, 2, 1, 3]), [B, L, ").append(d)
          .append("])\n");
      s.append("    a = torch.add_(").append(n.linear("c", ModernBertTensors.layer(l, "attn.Wo"))).append(", x)\n");
      s.append("    wi = ").append(n.linear(n.norm("a", ModernBertTensors.layer(l, "mlp_norm"), d, eps),
          ModernBertTensors.layer(l, "mlp.Wi"))).append("\n");
      s.append("    ag = torch.split(wi, ").append(config.intermediateSize()).append(", 2)\n");
      s.append("    g = torch.mul(").append(activation("ag[0]", config.hiddenActivation())).append(", ag[1])\n");
      s.append("    x = torch.add_(").append(n.linear("g", ModernBertTensors.layer(l, "mlp.Wo"))).append(", a)\n");
    }
    s.append("    x = ").append(n.norm("x", ModernBertTensors.FINAL_NORM, d, eps)).append("\n");
    if (ModernBertConfig.MEAN.equals(config.classifierPooling())) {
      s.append("    fm = torch.to(attention_mask, 6)\n");
      s.append("    pooled = torch.div(torch.sum(torch.mul(x, torch.unsqueeze(fm, -1)), [1]), "
          + "torch.sum(fm, [1], True))\n");
    } else {
      s.append("    pooled = torch.select(x, 1, 0)\n");
    }
    s.append("    y = ").append(n.linear("pooled", ModernBertTensors.HEAD_DENSE)).append("\n");
    s.append("    y = ").append(activation("y", config.classifierActivation())).append("\n");
    s.append("    y = ").append(n.norm("y", ModernBertTensors.HEAD_NORM, d, eps)).append("\n");
    s.append("    return ").append(n.linear("y", ModernBertTensors.CLASSIFIER)).append("\n");
    return s.toString();
  }

  /** {@code x cos + cat(-x2, x1) sin}, as {@link ModernBertRotary#apply}. */
  private static String rotate(String x, String cos, String sin, int hs) {
    return "torch.add(torch.mul(" + x + ", " + cos + "), torch.mul(torch.cat([torch.neg(torch.split(" + x + ", "
        + hs / 2 + ", 3)[1]), torch.split(" + x + ", " + hs / 2 + ", 3)[0]], 3), " + sin + "))";
  }

  private static String activation(String x, String name) {
    return switch (name) {
      case ModernBertConfig.RELU -> "torch.relu(" + x + ")";
      case ModernBertConfig.SILU -> "torch.mul(" + x + ", torch.sigmoid(" + x + "))";
      default -> "torch.gelu(" + x + ")";
    };
  }

  /** A float32 value as the shortest double literal that reads back as exactly that value. */
  private static String literal(float f) {
    return Double.toString(f).toLowerCase(Locale.ROOT);
  }
}
