package dev.ce4j.core.arch;

import ai.djl.ndarray.NDArray;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;

/**
 * A model's forward pass, operation by operation on its {@link ModelWeights}: what training
 * differentiates (with dropout) and what scoring runs when an architecture has no faster pass.
 *
 * <p>Results land in the inputs' manager (a DJL result lives in its first operand's manager), so a
 * batch run in a sub-manager frees everything when it closes. Thread-safe for concurrent inference
 * calls; training calls are made by one thread.
 */
public interface SequenceClassifier {
  /**
   * The classifier's logits for a batch.
   *
   * @param inputs the batch, on the weights' device, never null
   * @param training true for training (dropout on, every intermediate kept for the backward
   *     pass), false for inference
   * @return float32 logits {@code [batch, numLabels]}, never null
   * @throws IllegalArgumentException if the batch is longer than the model's positions allow
   */
  NDArray logits(ModelInputs inputs, boolean training);

  /**
   * The weights this pass reads.
   *
   * @return the weights, never null
   */
  ModelWeights weights();
}
