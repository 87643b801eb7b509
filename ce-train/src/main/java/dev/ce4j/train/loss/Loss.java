package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A training loss: the model's logits (and labels) to a scalar to minimise.
 *
 * <p>{@link #compute(NDArray, NDArray, NDArray)} is a differentiable function of {@code logits}
 * built from engine operations, so that a backward pass inside a DJL {@code GradientCollector}
 * reaches the model's parameters. Results and temporaries land in the logits' manager (close it
 * after the backward pass). Implementations are immutable and thread-safe; inputs are never
 * modified.
 */
public interface Loss {
  /**
   * The stable lowercase name, such as {@code bce} or {@code lambda}.
   *
   * @return the name, never null
   */
  String id();

  /**
   * How the batch must be laid out.
   *
   * @return the layout, never null
   */
  LossInput input();

  /**
   * The loss's parameters, for run manifests, with their values as strings.
   *
   * @return an unmodifiable map in a stable order, never null
   */
  Map<String, String> parameters();

  /**
   * The label values this loss accepts; every training label is checked against it before
   * training starts. Losses outside {@code ce} that say nothing accept any finite number.
   *
   * @return the domain, never null
   */
  default LabelDomain labelDomain() {
    return LabelDomain.ANY;
  }

  /**
   * Computes the loss of a batch.
   *
   * @param logits the model's raw outputs, float32, laid out as {@link #input()} says, never null
   * @param labels the targets, laid out as {@link #input()} says; null only where the loss takes
   *     none
   * @param mask for {@link LossInput#LISTWISE}: boolean, true for real documents, or null when
   *     every cell is real; ignored otherwise
   * @return a float32 scalar (shape {@code []}), in the logits' manager, never null
   * @throws IllegalArgumentException if the shapes do not fit, naming them
   */
  NDArray compute(NDArray logits, NDArray labels, NDArray mask);
}
