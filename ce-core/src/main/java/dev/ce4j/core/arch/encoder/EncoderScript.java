package dev.ce4j.core.arch.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.engine.TorchScriptArchive;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The inference forward pass of an {@link EncoderClassifier} as one TorchScript call.
 *
 * <p>At small batches most of a forward pass is not arithmetic but the ~25 separate operations per
 * layer, each a JNI call with DJL's Java-side bookkeeping (about 2 ms of 11 for one 80-token pair
 * with all-MiniLM-L6-v2 on 2 threads). This class generates, for one configuration, TorchScript
 * code for the forward pass at inference (tensors addressed by their Hugging Face names through the
 * {@link EncoderLayout}, resolved to list positions once, when the code is generated), loads it with {@link TorchScriptArchive}, and calls it
 * once per batch with the weights as a list argument, in one of two {@linkplain Mode modes}:
 *
 * <ul>
 *   <li>{@link Mode#EXACT}, any device: exactly the operations of {@link
 *       EncoderClassifier#logits} in the same order and with the same operators (a
 *       linear layer is a matrix product with the transposed weight followed by the bias addition,
 *       as DJL computes it, not PyTorch's fused {@code addmm}; the attention scale multiplies the
 *       query projection; the mask is added only when something is padded). The logits are bit for
 *       bit those of the eager pass (tested).
 *   <li>{@link Mode#ONEDNN}, CPU only: the linear layers run as oneDNN products on weights
 *       reordered once into oneDNN's blocked layout ({@code mkldnn._reorder_linear_weight}, {@code
 *       mkldnn._linear_pointwise}, the kernels PyTorch's own CPU inference compiler uses); the
 *       query, key and value projections are one product on the concatenated weights, and GELU and
 *       the residual additions are computed inside the products that precede them. 15–20% faster
 *       at batch 1 with all-MiniLM-L6-v2; the logits differ from the eager pass's in the last bits
 *       (relative 1e-6), are deterministic for a fixed thread count, and are what {@link
 *       dev.ce4j.core.CrossEncoder} computes by default on the CPU.
 * </ul>
 *
 * <p>libtorch's oneDNN product trusts that a reordered weight is in the layout its kernel expects,
 * and on this machine's CPU that failed for some small shapes (every product wrong); {@link
 * #compile(ModelWeights, Mode)} therefore checks the products for the configuration's shapes and
 * refuses {@link Mode#ONEDNN} where they come out wrong.
 *
 * <p>Weights are read at every call, so updates to {@link ModelWeights} are seen in both modes. In
 * {@link Mode#ONEDNN} the reordered copies are made at the first call and made again when any
 * weight they come from has changed: every call compares the version counters libtorch keeps for
 * each tensor (bumped by every in-place operation, {@link ModelWeights#copyFrom} and optimiser steps
 * included) with the counters recorded when the copies were made.
 *
 * <p>Thread-safe for concurrent calls, each with its own input manager; closing while a call runs,
 * or changing the weights while a call runs, is not.
 */
public final class EncoderScript implements ScoringPass {
  private static final String CLASS_NAME = "CeEncoderInference";

  /**
   * The weight-layout hint for the reordered weights: the row count oneDNN chooses the layout for.
   * The copies serve every row count (where they serve at all: {@link #verifyReorderedProducts}); 1
   * favours single pairs, and batches of 32 pairs of 100 words measured no slower than with a hint
   * of 2048.
   */
  private static final long PACKING_ROWS = 1;

  /** How the forward pass computes its linear layers; see the class comment. */
  public enum Mode {
    /** Matrix product then bias addition, as the eager pass: its logits bit for bit. */
    EXACT,
    /** oneDNN products on reordered weights, fused with what follows them; CPU only. */
    ONEDNN
  }

  private final ModelConfig config;
  private final EncoderLayout layout;
  private final ModelWeights weights;
  private final Mode mode;
  // the live arrays in parameterOrder; ModelWeights updates them in place, never swaps them
  private final PtNDArray[] params;
  private final PtSymbolBlock module;
  private final ReentrantReadWriteLock packLock = new ReentrantReadWriteLock();
  private Packed packed; // ONEDNN only; guarded by packLock

  private EncoderScript(ModelWeights weights, EncoderLayout layout, Mode mode, PtSymbolBlock module) {
    this.config = weights.config();
    this.layout = layout;
    this.weights = weights;
    this.mode = mode;
    this.params =
        parameterOrder(weights.config()).stream()
            .map(n -> (PtNDArray) weights.get(n))
            .toArray(PtNDArray[]::new);
    this.module = module;
  }

  /**
   * Generates, compiles and loads the {@link Mode#EXACT} module for the weights' configuration, on
   * their device.
   *
   * @param weights the weights, never null; read at each call, not copied
   * @param layout the encoder's layout, never null
   * @return the module, to be closed, never null
   * @throws IllegalStateException if libtorch rejects the generated code
   */
  public static EncoderScript compile(ModelWeights weights, EncoderLayout layout) {
    return compile(weights, layout, Mode.EXACT);
  }

  /**
   * The scoring pass of an encoder: with oneDNN products when {@code onednn} and they are right for
   * the model's shapes on this CPU (checked when compiling), else the exact pass, bit for bit the
   * eager pass's operators. What {@link dev.ce4j.core.arch.Architecture#scoringPass} returns for
   * every family written as an {@link EncoderLayout}.
   *
   * @param weights the weights, never null; read at each call, not copied
   * @param layout the encoder's layout, never null
   * @param onednn whether oneDNN products may be used (the weights are on the CPU)
   * @return the module, to be closed, never null
   * @throws IllegalStateException if libtorch rejects the exact pass's generated code
   */
  public static EncoderScript scoringPass(ModelWeights weights, EncoderLayout layout, boolean onednn) {
    if (onednn) {
      try {
        return compile(weights, layout, Mode.ONEDNN);
      } catch (IllegalStateException e) {
        // no oneDNN in this libtorch, or its products for these shapes failed the check: the
        // exact pass serves
      }
    }
    return compile(weights, layout, Mode.EXACT);
  }

  /**
   * Generates, compiles and loads the module for the weights' configuration, on their device.
   *
   * @param weights the weights, never null; read at each call, not copied
   * @param layout the encoder's layout, never null
   * @param mode how linear layers are computed, never null
   * @return the module, to be closed, never null
   * @throws IllegalArgumentException if {@code mode} is {@link Mode#ONEDNN} and the weights are not
   *     on the CPU
   * @throws IllegalStateException if libtorch rejects the generated code (for {@link Mode#ONEDNN}:
   *     also when this libtorch was built without oneDNN, or when its products with reordered
   *     weights of this configuration's shapes come out wrong, which is checked here)
   */
  public static EncoderScript compile(ModelWeights weights, EncoderLayout layout, Mode mode) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.ONEDNN && !"cpu".equals(weights.manager().getDevice().getDeviceType())) {
      throw new IllegalArgumentException(
          "oneDNN inference runs on the CPU; the weights are on " + weights.manager().getDevice());
    }
    byte[] archive = TorchScriptArchive.build(CLASS_NAME, source(weights.config(), layout, mode));
    PtSymbolBlock module = TorchScriptArchive.load(archive, weights.manager());
    if (mode == Mode.ONEDNN) {
      try {
        verifyReorderedProducts(module, weights.config(), layout);
      } catch (RuntimeException e) {
        module.close();
        throw e;
      }
    }
    return new EncoderScript(weights, layout, mode, module);
  }

  /**
   * Checks that oneDNN computes correct products with weights reordered for this configuration's
   * shapes; libtorch does not check it itself ({@code _linear_pointwise} trusts that a reordered
   * weight is in the layout its kernel expects). With all-MiniLM-L6-v2's and BERT-base's shapes
   * every product was right for every row count from 1 to 520 and up to 4096; with some small
   * shapes ([64, 32] reordered for 1 row, [96, 32] for 128) every product was wrong, whatever the
   * row count. The check multiplies deterministic data (no random numbers are drawn) at a few row
   * counts.
   */
  private static void verifyReorderedProducts(PtSymbolBlock module, ModelConfig config, EncoderLayout layout) {
    IValue out = IValueUtils.runMethod(module, "verify");
    try {
      long[] wrong = out.toLongArray();
      if (wrong.length > 0) {
        List<String> shapes = new ArrayList<>();
        List<LinearShape> all = linearShapes(config, layout);
        for (long i : wrong) {
          LinearShape shape = all.get((int) i);
          shapes.add("[" + shape.out() + ", " + shape.in() + "] (" + shape.fusion() + ")");
        }
        throw new IllegalStateException(
            "oneDNN computes wrong products with reordered weights of shape "
                + String.join(", ", shapes)
                + " in this libtorch on this CPU; use Mode.EXACT");
      }
    } finally {
      out.close();
    }
  }

  /**
   * How this module computes linear layers.
   *
   * @return the mode, never null
   */
  public Mode mode() {
    return mode;
  }

  /**
   * The classifier's logits at inference: in {@link Mode#EXACT} equal bit for bit to {@code
   * EncoderClassifier.logits(inputs, false)}; in {@link Mode#ONEDNN} equal to them up
   * to rounding.
   *
   * @param inputs the batch, never null; at most {@code max_position_embeddings} tokens
   * @return logits {@code [batch, numLabels]}, in the inputs' manager, never null
   * @throws IllegalArgumentException if the batch is longer than {@code max_position_embeddings}
   * @throws IllegalStateException if the weights change while this call runs
   */
  @Override
  public NDArray logits(ModelInputs inputs) {
    Objects.requireNonNull(inputs, "inputs");
    EncoderClassifier.checkLength(config, inputs.sequenceLength());
    if (mode == Mode.EXACT) {
      return call(inputs, null);
    }
    // oneDNN's products have no gradient; inference needs none
    PyTorch.GradScope noGrad = PyTorch.noGrad();
    try {
      return onednnLogits(inputs);
    } finally {
      noGrad.close();
    }
  }

  private NDArray onednnLogits(ModelInputs inputs) {
    Packed seen;
    packLock.readLock().lock();
    try {
      seen = packed;
      if (seen != null) {
        NDArray out = call(inputs, seen);
        if (out != null) {
          return out;
        }
      }
    } finally {
      packLock.readLock().unlock();
    }
    // first call, or a weight changed since the copies were made: make them again
    packLock.writeLock().lock();
    try {
      if (packed == seen) {
        Packed fresh = pack();
        if (packed != null) {
          packed.close();
        }
        packed = fresh;
      }
      NDArray out = call(inputs, packed);
      if (out == null) {
        throw new IllegalStateException(
            "the model's weights changed while it was scoring; update weights and score in turn");
      }
      return out;
    } finally {
      packLock.writeLock().unlock();
    }
  }

  /** Runs the forward method; null when the reordered copies are out of date. */
  private NDArray call(ModelInputs inputs, Packed pack) {
    NDManager m = inputs.inputIds().getManager();
    List<IValue> args = new ArrayList<>();
    args.add(IValue.from((PtNDArray) inputs.inputIds()));
    args.add(IValue.from((PtNDArray) inputs.tokenTypeIds()));
    args.add(IValue.from((PtNDArray) inputs.attentionMask()));
    args.add(IValue.from(inputs.padded()));
    args.add(IValue.listFrom(params));
    if (pack != null) {
      args.add(IValue.listFrom(pack.tensors()));
      args.add(IValue.listFrom(pack.versions()));
    }
    IValue out = null;
    try {
      out = IValueUtils.forward(module, args.toArray(new IValue[0]));
      return out.isTensor() ? out.toTensor((PtNDManager) m) : null;
    } finally {
      for (IValue a : args) {
        a.close();
      }
      if (out != null) {
        out.close();
      }
    }
  }

  /** Makes the reordered copies and records the versions of the weights they come from. */
  private Packed pack() {
    NDManager owner = weights.manager().newSubManager();
    IValue list = IValue.listFrom(params);
    IValue tensors = null;
    IValue versions = null;
    try {
      tensors = IValueUtils.runMethod(module, "pack", list);
      versions = IValueUtils.runMethod(module, "versions", list);
      return new Packed(owner, tensors.toTensorArray((PtNDManager) owner), versions.toLongArray());
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    } finally {
      list.close();
      if (tensors != null) {
        tensors.close();
      }
      if (versions != null) {
        versions.close();
      }
    }
  }

  /** Reordered weights, the manager that owns them, and the versions they were made from. */
  private record Packed(NDManager owner, PtNDArray[] tensors, long[] versions)
      implements AutoCloseable {
    @Override
    public void close() {
      owner.close();
    }
  }

  @Override
  public boolean onednn() {
    return mode == Mode.ONEDNN;
  }

  /** Frees the native module. Idempotent. */
  @Override
  public void close() {
    packLock.writeLock().lock();
    try {
      if (packed != null) {
        packed.close();
        packed = null;
      }
    } finally {
      packLock.writeLock().unlock();
    }
    module.close();
  }

  /**
   * The order in which the weights are passed: the architecture's ({@link
   * dev.ce4j.core.arch.Architecture#tensorShapes}, transformers' order). The generated code
   * addresses each tensor by its position in this list, looked up by name once, here.
   */
  static List<String> parameterOrder(ModelConfig config) {
    return new ArrayList<>(config.architecture().tensorShapes(config).keySet());
  }

  /** Positions of the weight list by tensor name, for the code generator. */
  private static final class Names {
    private final Map<String, Integer> index = new HashMap<>();

    Names(ModelConfig config) {
      List<String> order = parameterOrder(config);
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i), i);
      }
    }

    /** {@code p[i]} of a tensor. */
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

    /** DJL's linear: {@code x @ W^T}, then {@code + b}. */
    String linear(String x, String module) {
      return "torch.add_(torch.matmul(" + x + ", torch.t(" + p(module + ".weight") + ")), " + p(module + ".bias") + ")";
    }
  }

  /**
   * The class body: TorchScript, written as PyTorch prints it, performing the inference pass in the
   * given mode. Floating-point constants are the float32 values the eager pass uses, written as
   * doubles.
   *
   * <p>{@link Mode#ONEDNN} adds two methods and two arguments: {@code pack(p)} returns the
   * reordered copies, {@link #packedCount} of them: per layer the concatenated query, key and value
   * weight, their concatenated bias, the attention output, intermediate and output weights; then
   * the head's two weights. {@code versions(p)} returns the version counters of the weights these
   * come from ({@link #packedSources}); {@code forward} takes both lists and returns {@code None}
   * without computing anything when the counters differ.
   */
  static String source(ModelConfig config, EncoderLayout layout, Mode mode) {
    Objects.requireNonNull(mode, "mode");
    boolean onednn = mode == Mode.ONEDNN;
    Names n = new Names(config);
    EncoderLayout.Embeddings e = layout.embeddings();
    EncoderLayout.LayerNames ln = layout.layers();
    EncoderLayout.Head head = layout.head();
    int hidden = layout.hiddenSize();
    int heads = layout.numHeads();
    int headSize = layout.headSize();
    String eps = literal(layout.layerNormEps());
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
    if (onednn) {
      s.append("    p: List[Tensor],\n");
      s.append("    pk: List[Tensor],\n");
      s.append("    versions: List[int]) -> Optional[Tensor]:\n");
      s.append("    if torch.ne(self.versions(p), versions):\n");
      s.append("      return None\n");
      s.append("    else:\n");
      s.append("      pass\n");
    } else {
      s.append("    p: List[Tensor]) -> Tensor:\n");
    }
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
    // (1 - mask) * -FLT_MAX, [B, 1, 1, L]; unused when nothing is padded
    s.append("    additive = attention_mask\n");
    s.append("    if masked:\n");
    s.append("      m = torch.add(torch.neg(torch.to(attention_mask, 6)), 1.)\n");
    s.append("      additive = torch.reshape(torch.mul(m, ")
        .append(mask)
        .append("), [B, 1, 1, L])\n");
    s.append("    else:\n");
    s.append("      pass\n");
    for (int l = 0; l < layout.numLayers(); l++) {
      int k = 5 * l; // this layer's first reordered copy
      String q = EncoderLayout.LayerNames.of(ln.query(), l);
      String kk = EncoderLayout.LayerNames.of(ln.key(), l);
      String v = EncoderLayout.LayerNames.of(ln.value(), l);
      String ao = EncoderLayout.LayerNames.of(ln.attentionOutput(), l);
      String an = EncoderLayout.LayerNames.of(ln.attentionNorm(), l);
      String in = EncoderLayout.LayerNames.of(ln.intermediate(), l);
      String out = EncoderLayout.LayerNames.of(ln.output(), l);
      String on = EncoderLayout.LayerNames.of(ln.outputNorm(), l);
      if (onednn) {
        s.append("    qkv = ").append(onednnLinear("x", "pk[" + k + "]", "pk[" + (k + 1) + "]"));
        s.append("\n    qkv = torch.view(qkv, [B, L, 3, ").append(heads).append(", ");
        s.append(headSize).append("])\n");
        s.append("    q = torch.mul(torch.transpose(torch.select(qkv, 2, 0), 1, 2), ");
        s.append(scale).append(")\n");
        s.append("    k = torch.permute(torch.select(qkv, 2, 1), [0, 2, 3, 1])\n");
        s.append("    v = torch.transpose(torch.select(qkv, 2, 2), 1, 2)\n");
      } else {
        s.append("    q = torch.mul_(").append(n.linear("x", q)).append(", ").append(scale).append(")\n");
        s.append("    q = torch.transpose(torch.view(q, ").append(shape4).append("), 1, 2)\n");
        s.append("    k = torch.view(").append(n.linear("x", kk)).append(", ").append(shape4);
        s.append(")\n    k = torch.permute(k, [0, 2, 3, 1])\n");
        s.append("    v = torch.view(").append(n.linear("x", v)).append(", ").append(shape4);
        s.append(")\n    v = torch.transpose(v, 1, 2)\n");
      }
      s.append("    scores = torch.matmul(q, k)\n");
      s.append("    if masked:\n");
      s.append("      scores = torch.add_(scores, additive)\n");
      s.append("    else:\n");
      s.append("      pass\n");
      s.append("    probs = torch.softmax(scores, -1)\n");
      s.append("    c = torch.reshape(torch.transpose(torch.matmul(probs, v), 1, 2), ");
      s.append(shape3).append(")\n");
      if (onednn) {
        s.append("    a = ").append(onednnLinearAdd("c", "x", k + 2, n.p(ao + ".bias"))).append("\n");
      } else {
        s.append("    a = torch.add_(").append(n.linear("c", ao)).append(", x)\n");
      }
      s.append("    x = torch.layer_norm(a, [").append(hidden).append("], ").append(n.p(an + ".weight"));
      s.append(", ").append(n.p(an + ".bias")).append(", ").append(eps).append(")\n");
      String act = activation(layout.feedForward());
      if (onednn) {
        s.append("    h = ");
        s.append(onednnLinear("x", "pk[" + (k + 3) + "]", n.p(in + ".bias"), act));
        s.append("\n");
        s.append("    o = ").append(onednnLinearAdd("h", "x", k + 4, n.p(out + ".bias"))).append("\n");
      } else {
        s.append("    h = torch.").append(act).append("(").append(n.linear("x", in)).append(")\n");
        s.append("    o = torch.add_(").append(n.linear("h", out)).append(", x)\n");
      }
      s.append("    x = torch.layer_norm(o, [").append(hidden).append("], ").append(n.p(on + ".weight"));
      s.append(", ").append(n.p(on + ".bias")).append(", ").append(eps).append(")\n");
    }
    int k = 5 * layout.numLayers();
    String headAct = activation(head.activation());
    if (onednn) {
      s.append("    cls = torch.contiguous(torch.select(x, 1, 0))\n");
      s.append("    pooled = torch.").append(headAct).append("(");
      s.append(onednnLinear("cls", "pk[" + k + "]", n.p(head.dense() + ".bias"))).append(")\n");
      s.append("    return ");
      s.append(onednnLinear("pooled", "pk[" + (k + 1) + "]", n.p(head.output() + ".bias"))).append("\n");
      appendPackMethods(s, config, layout, n);
      appendVerifyMethod(s, config, layout);
    } else {
      s.append("    cls = torch.select(x, 1, 0)\n");
      s.append("    pooled = torch.").append(headAct).append("(").append(n.linear("cls", head.dense())).append(")\n");
      s.append("    return ").append(n.linear("pooled", head.output())).append("\n");
    }
    return s.toString();
  }

  /** The TorchScript function (and oneDNN fusion) of an activation. */
  private static String activation(EncoderLayout.Activation a) {
    return switch (a) {
      case GELU -> "gelu";
      case RELU -> "relu";
      case TANH -> "tanh";
    };
  }

  /** The number of reordered copies {@code pack} returns. */
  static int packedCount(EncoderLayout layout) {
    return 5 * layout.numLayers() + 2;
  }

  /**
   * The positions (in {@link #parameterOrder}) of the weights the reordered copies are made from:
   * per layer query, key and value weights and biases, attention output, intermediate and output
   * weights; then the head's two weights.
   */
  static List<Integer> packedSources(ModelConfig config, EncoderLayout layout) {
    Names n = new Names(config);
    EncoderLayout.LayerNames ln = layout.layers();
    List<Integer> sources = new ArrayList<>();
    for (int l = 0; l < layout.numLayers(); l++) {
      for (String module : new String[] {ln.query(), ln.key(), ln.value()}) {
        sources.add(n.at(EncoderLayout.LayerNames.of(module, l) + ".weight"));
        sources.add(n.at(EncoderLayout.LayerNames.of(module, l) + ".bias"));
      }
      for (String module : new String[] {ln.attentionOutput(), ln.intermediate(), ln.output()}) {
        sources.add(n.at(EncoderLayout.LayerNames.of(module, l) + ".weight"));
      }
    }
    sources.add(n.at(layout.head().dense() + ".weight"));
    sources.add(n.at(layout.head().output() + ".weight"));
    return sources;
  }

  /** The shape of a linear layer's weight, and what its product is fused with. */
  private record LinearShape(int out, int in, String fusion) {}

  /** The distinct products of {@link Mode#ONEDNN}: each weight shape with its fusion. */
  private static List<LinearShape> linearShapes(ModelConfig config, EncoderLayout layout) {
    int h = layout.hiddenSize();
    int i = layout.intermediateSize();
    return List.of(
        new LinearShape(3 * h, h, "none"), // query, key and value
        new LinearShape(h, h, "add"), // attention output + residual
        new LinearShape(i, h, activation(layout.feedForward())), // intermediate
        new LinearShape(h, i, "add"), // output + residual
        new LinearShape(h, h, "none"), // head's dense layer
        new LinearShape(config.numLabels(), h, "none")); // head's output layer
  }

  /** {@code verify()}: indices into {@link #linearShapes} whose products come out wrong. */
  private static void appendVerifyMethod(StringBuilder s, ModelConfig config, EncoderLayout layout) {
    List<LinearShape> shapes = linearShapes(config, layout);
    List<String> dims = new ArrayList<>();
    List<String> fusions = new ArrayList<>();
    for (LinearShape shape : shapes) {
      dims.add("[" + shape.out() + ", " + shape.in() + "]");
      fusions.add("\"" + shape.fusion() + "\"");
    }
    s.append("  def verify(self: __torch__.").append(CLASS_NAME).append(") -> List[int]:\n");
    s.append("    wrong = annotate(List[int], [])\n");
    s.append("    dims = ").append(dims).append("\n");
    s.append("    fusions = ").append(fusions).append("\n");
    s.append("    for i in range(").append(shapes.size()).append("):\n");
    s.append("      n = dims[i][0]\n");
    s.append("      k = dims[i][1]\n");
    s.append("      w = torch.mul(torch.sin(").append(ramp("n", "k")).append("), 0.05)\n");
    s.append("      b = torch.mul(torch.cos(").append(ramp("1", "n")).append("), 0.05)\n");
    s.append("      b = torch.reshape(b, [n])\n");
    s.append("      pw = ").append(reordered("w")).append("\n");
    s.append("      for m in [1, 2, 5, 17, 64, 129]:\n");
    s.append("        x = torch.cos(").append(ramp("m", "k")).append(")\n");
    s.append("        ref = torch.add(torch.matmul(x, torch.t(w)), b)\n");
    s.append("        if torch.eq(fusions[i], \"add\"):\n");
    s.append("          r = torch.sin(").append(ramp("m", "n")).append(")\n");
    s.append("          got = ops.mkldnn._linear_pointwise(x, r, pw, b, \"add\")\n");
    s.append("          ref = torch.add(ref, r)\n");
    s.append("        else:\n");
    s.append("          got = ops.mkldnn._linear_pointwise(x, pw, b, fusions[i], ");
    s.append("annotate(List[Optional[number]], []), \"none\")\n");
    s.append("          if torch.eq(fusions[i], \"gelu\"):\n");
    s.append("            ref = torch.gelu(ref)\n");
    s.append("          else:\n");
    s.append("            if torch.eq(fusions[i], \"relu\"):\n");
    s.append("              ref = torch.relu(ref)\n");
    s.append("            else:\n");
    s.append("              pass\n");
    s.append("        if bool(torch.gt(torch.max(torch.abs(torch.sub(got, ref))), 0.001)):\n");
    s.append("          _0 = torch.append(wrong, i)\n");
    s.append("          break\n");
    s.append("        else:\n");
    s.append("          pass\n");
    s.append("    return wrong\n");
  }

  /** {@code [rows, cols]} float32 tensor of 0, 1, 2, ...: deterministic test data. */
  private static String ramp(String rows, String cols) {
    return "torch.reshape(torch.arange(torch.mul("
        + rows
        + ", "
        + cols
        + "), dtype=6, layout=None, device=None), ["
        + rows
        + ", "
        + cols
        + "])";
  }

  /** {@code pack(p)} and {@code versions(p)}; see {@link #source}. */
  private static void appendPackMethods(StringBuilder s, ModelConfig config, EncoderLayout layout, Names n) {
    EncoderLayout.LayerNames ln = layout.layers();
    s.append("  def pack(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    p: List[Tensor]) -> List[Tensor]:\n");
    s.append("    out = annotate(List[Tensor], [])\n");
    for (int l = 0; l < layout.numLayers(); l++) {
      String q = EncoderLayout.LayerNames.of(ln.query(), l);
      String k = EncoderLayout.LayerNames.of(ln.key(), l);
      String v = EncoderLayout.LayerNames.of(ln.value(), l);
      s.append("    qkv = torch.cat([torch.detach(").append(n.p(q + ".weight")).append("), torch.detach(");
      s.append(n.p(k + ".weight")).append("), torch.detach(").append(n.p(v + ".weight")).append(")])\n");
      s.append("    _").append(l).append("a = torch.append(out, ").append(reordered("qkv"));
      s.append(")\n    _").append(l).append("b = torch.append(out, torch.cat([torch.detach(");
      s.append(n.p(q + ".bias")).append("), torch.detach(").append(n.p(k + ".bias")).append("), torch.detach(");
      s.append(n.p(v + ".bias")).append(")]))\n");
      String[] single = {ln.attentionOutput(), ln.intermediate(), ln.output()};
      for (int j = 0; j < single.length; j++) {
        s.append("    _").append(l).append("w").append(j).append(" = torch.append(out, ");
        s.append(reordered("torch.detach(" + n.p(EncoderLayout.LayerNames.of(single[j], l) + ".weight") + ")")).append(")\n");
      }
    }
    s.append("    _dense = torch.append(out, ");
    s.append(reordered("torch.detach(" + n.p(layout.head().dense() + ".weight") + ")")).append(")\n");
    s.append("    _output = torch.append(out, ");
    s.append(reordered("torch.detach(" + n.p(layout.head().output() + ".weight") + ")")).append(")\n");
    s.append("    return out\n");
    s.append("  def versions(self: __torch__.").append(CLASS_NAME).append(",\n");
    s.append("    p: List[Tensor]) -> List[int]:\n");
    s.append("    out = annotate(List[int], [])\n");
    s.append("    for j in ").append(packedSources(config, layout)).append(":\n");
    s.append("      _0 = torch.append(out, torch._version(p[j]))\n");
    s.append("    return out\n");
  }

  private static String reordered(String weight) {
    return "ops.mkldnn._reorder_linear_weight(" + weight + ", " + PACKING_ROWS + ")";
  }

  /** A oneDNN product with a reordered weight and a bias. */
  private static String onednnLinear(String x, String weight, String bias) {
    return onednnLinear(x, weight, bias, "none");
  }

  /**
   * A oneDNN product with a reordered weight and a bias, then {@code activation} ({@code "none"} or
   * {@code "gelu"}: exact GELU, the "none" algorithm being erf) in the same kernel.
   */
  private static String onednnLinear(String x, String weight, String bias, String activation) {
    return "ops.mkldnn._linear_pointwise("
        + x
        + ", "
        + weight
        + ", "
        + bias
        + ", \""
        + activation
        + "\", annotate(List[Optional[number]], []), \"none\")";
  }

  /** A oneDNN product whose result is added to {@code residual} in the same kernel. */
  private static String onednnLinearAdd(String x, String residual, int packedIndex, String bias) {
    return "ops.mkldnn._linear_pointwise(" + x + ", " + residual + ", pk[" + packedIndex + "], " + bias + ", \"add\")";
  }

  /** A float32 value as the shortest double literal that reads back as exactly that value. */
  private static String literal(float f) {
    return Double.toString(f).toLowerCase(Locale.ROOT);
  }
}
