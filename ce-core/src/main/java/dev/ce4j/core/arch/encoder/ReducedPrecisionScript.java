package dev.ce4j.core.arch.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.ce4j.core.CrossEncoderOptions.Precision;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.engine.CpuFeatures;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.engine.TorchScriptArchive;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An encoder's scoring pass with its linear layers in int8 or bfloat16: one generated TorchScript
 * call ({@link ReducedPrecisionSource}) on libtorch's own kernels, {@code quantized::linear_dynamic}
 * (fbgemm) for int8 and oneDNN's bfloat16 products for bf16. CPU only.
 *
 * <p>The float32 weights stay the model's and the source of truth: the int8 or bfloat16 copies
 * (int8: per-output-channel scales computed from the float32 rows) are made when the pass is
 * compiled, and made again at the next call after any weight they come from has changed (libtorch's
 * version counters, as {@link EncoderScript} does for its reordered copies). They take a quarter
 * (int8) or half (bf16) of the float32 size of those weights, on top of the float32 weights.
 *
 * <p>Logits differ from the float32 pass's by the rounding of the format; how much, and what that
 * does to rankings, is measured in {@code docs/performance.md} and bounded on a small model by
 * {@code ReducedPrecisionScriptTest}.
 *
 * <p>Thread-safe for concurrent calls, each with its own input manager; closing while a call runs,
 * or changing the weights while a call runs, is not.
 */
public final class ReducedPrecisionScript implements ScoringPass {
  private final ModelConfig config;
  private final Precision precision;
  private final PtNDArray[] params;
  private final PtSymbolBlock module;
  private final ReentrantReadWriteLock packLock = new ReentrantReadWriteLock();
  private Packed packed; // guarded by packLock

  private ReducedPrecisionScript(ModelWeights weights, Precision precision, PtSymbolBlock module) {
    this.config = weights.config();
    this.precision = precision;
    this.params =
        EncoderScript.parameterOrder(config).stream()
            .map(n -> (PtNDArray) weights.get(n))
            .toArray(PtNDArray[]::new);
    this.module = module;
  }

  /**
   * Generates, loads and packs the pass; the packing runs here, so a libtorch without a quantized
   * engine (or without bfloat16 kernels) fails here, not at the first batch.
   *
   * @param weights float32 weights on the CPU, never null; read at each call, not copied
   * @param layout the encoder's layout, never null
   * @param precision {@link Precision#INT8} or {@link Precision#BF16}, never null
   * @return the pass, to be closed, never null
   * @throws IllegalArgumentException if the weights are not on the CPU or the precision is FP32
   * @throws IllegalStateException if libtorch rejects the code or cannot pack the weights (for
   *     example a build without fbgemm), with libtorch's message
   */
  public static ReducedPrecisionScript compile(ModelWeights weights, EncoderLayout layout, Precision precision) {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(precision, "precision");
    if (!"cpu".equals(weights.manager().getDevice().getDeviceType())) {
      throw new IllegalArgumentException(
          precision + " scoring runs on the CPU; the weights are on " + weights.manager().getDevice());
    }
    String source = ReducedPrecisionSource.source(weights.config(), layout, precision, weightLevels());
    PtSymbolBlock module =
        TorchScriptArchive.load(TorchScriptArchive.build(ReducedPrecisionSource.CLASS_NAME, source), weights.manager());
    ReducedPrecisionScript pass = new ReducedPrecisionScript(weights, precision, module);
    try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
      pass.packed = pass.pack();
    } catch (RuntimeException e) {
      pass.close();
      throw new IllegalStateException(
          "libtorch cannot make the " + precision + " weights: " + e.getMessage(), e);
    }
    return pass;
  }

  /**
   * The largest magnitude of a quantized int8 weight here: 127 on a CPU with {@code avx512_vnni}
   * (fbgemm's kernels there use {@code vpdpbusd}, which accumulates in 32 bits), else 63.
   * Without VNNI fbgemm multiplies with {@code vpmaddubsw}, which adds two products of an unsigned
   * 8-bit activation and a signed weight into a saturating 16-bit sum: 2 × 255 × 127 overflows it,
   * 2 × 255 × 63 does not. The other way out, 7-bit activations ({@code reduce_range}), measured
   * worse on all-MiniLM-L6-v2 with a seeded head (Spearman with float32 0.933 against 0.977 on the
   * same 160 pairs of random vocabulary words), since
   * one scale serves a whole activation tensor while weights have a scale per row.
   *
   * @return 127 or 63
   */
  public static int weightLevels() {
    return CpuFeatures.has("avx512_vnni") ? 127 : 63;
  }

  /**
   * The number format of the linear layers.
   *
   * @return {@link Precision#INT8} or {@link Precision#BF16}, never null
   */
  @Override
  public Precision precision() {
    return precision;
  }

  /**
   * The logits, float32, with the linear layers in {@link #precision()}.
   *
   * @param inputs the batch, never null
   * @return logits {@code [batch, numLabels]} in the inputs' manager, never null
   * @throws IllegalArgumentException if the batch is longer than the model's positions
   * @throws IllegalStateException if the weights change while this call runs
   */
  @Override
  public NDArray logits(ModelInputs inputs) {
    Objects.requireNonNull(inputs, "inputs");
    EncoderClassifier.checkLength(config, inputs.sequenceLength());
    try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
      Packed seen;
      packLock.readLock().lock();
      try {
        seen = packed;
        NDArray out = call(inputs, seen);
        if (out != null) {
          return out;
        }
      } finally {
        packLock.readLock().unlock();
      }
      // a weight changed since the copies were made: make them again
      packLock.writeLock().lock();
      try {
        if (packed == seen) {
          Packed fresh = pack();
          packed.close();
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
  }

  /** Runs the forward method; null when the packed copies are out of date. */
  private NDArray call(ModelInputs inputs, Packed pack) {
    NDManager m = inputs.inputIds().getManager();
    // the packed weights are passed as they are; only the arguments made here are closed here
    List<IValue> made = new ArrayList<>();
    made.add(IValue.from((PtNDArray) inputs.inputIds()));
    made.add(IValue.from((PtNDArray) inputs.tokenTypeIds()));
    made.add(IValue.from((PtNDArray) inputs.attentionMask()));
    made.add(IValue.from(inputs.padded()));
    made.add(IValue.listFrom(params));
    made.add(IValue.listFrom(pack.versions()));
    IValue out = null;
    try {
      IValue[] args = {made.get(0), made.get(1), made.get(2), made.get(3), made.get(4), pack.weights(), made.get(5)};
      out = IValueUtils.forward(module, args);
      return out.isTensor() ? out.toTensor((PtNDManager) m) : null;
    } finally {
      for (IValue a : made) {
        a.close();
      }
      if (out != null) {
        out.close();
      }
    }
  }

  /** Makes the int8 or bfloat16 copies and records the versions of the weights they come from. */
  private Packed pack() {
    IValue list = IValue.listFrom(params);
    IValue weights = null;
    IValue versions = null;
    try {
      weights = IValueUtils.runMethod(module, "pack", list);
      versions = IValueUtils.runMethod(module, "versions", list);
      Packed p = new Packed(weights, versions.toLongArray());
      weights = null;
      return p;
    } finally {
      list.close();
      if (weights != null) {
        weights.close();
      }
      if (versions != null) {
        versions.close();
      }
    }
  }

  /**
   * The packed copies (a libtorch list of packed int8 weights or of bfloat16 tensors, held as one
   * native value) and the versions they were made from.
   */
  private record Packed(IValue weights, long[] versions) implements AutoCloseable {
    @Override
    public void close() {
      weights.close();
    }
  }

  @Override
  public boolean onednn() {
    return false;
  }

  /** Frees the native module and the packed copies. Idempotent. */
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
}
