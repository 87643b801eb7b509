package dev.ce4j.core.arch;

import ai.djl.ndarray.NDArray;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.model.ModelInputs;

/**
 * A faster forward pass for scoring, compiled once per model by its {@link Architecture} (for
 * example one TorchScript call instead of one engine call per operation). It reads the model's live
 * weights, so in-place updates (training) are seen by the next call. Inference only: no gradient.
 *
 * <p>Thread-safe for concurrent calls; {@link #close()} once no call is running.
 */
public interface ScoringPass extends AutoCloseable {
  /**
   * The classifier's logits for a batch, as {@link SequenceClassifier#logits(ModelInputs, boolean)}
   * computes them at inference (bit for bit, or up to rounding when {@link #onednn()}).
   *
   * @param inputs the batch, on the weights' device, never null
   * @return float32 logits {@code [batch, numLabels]} in the inputs' manager, never null
   */
  NDArray logits(ModelInputs inputs);

  /**
   * Whether the linear layers run as oneDNN products on reordered weights (logits equal the eager
   * pass's up to rounding) rather than with the eager pass's operators (bit for bit).
   *
   * @return true for oneDNN products
   */
  boolean onednn();

  /**
   * The number format of the linear layers: {@link CrossEncoderOptions.Precision#FP32} but for the
   * passes {@link Architecture#reducedPrecisionPass} makes.
   *
   * @return the format, never null
   */
  default CrossEncoderOptions.Precision precision() {
    return CrossEncoderOptions.Precision.FP32;
  }

  /** Releases what the pass holds (compiled code, reordered weights); idempotent. */
  @Override
  void close();
}
