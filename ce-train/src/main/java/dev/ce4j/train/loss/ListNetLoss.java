package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ce4j.core.model.ScoreActivation;

/**
 * sentence-transformers' {@code ListNetLoss}: per query, the cross-entropy between the softmax of
 * the labels and the softmax of the logits over its documents, averaged over queries.
 *
 * <p>As sentence-transformers does, padded cells get logit {@code -1e16} and label {@code -inf}
 * (so zero target probability), which leaves them out exactly. Hand-worked: logits {@code [0,
 * 0]}, labels {@code [1, 1]}: targets {@code [0.5, 0.5]}, loss {@code log 2 = 0.693147}; gradient
 * {@code softmax(x) - softmax(y) = [0, 0]}. Immutable, thread-safe.
 */
public final class ListNetLoss extends ActivatedLoss {
  /** The id. */
  public static final String ID = "listnet";

  private static final float PAD_LOGIT = -1e16f;

  /** The loss with sentence-transformers' default identity activation. */
  public ListNetLoss() {
    this(ScoreActivation.IDENTITY);
  }

  /**
   * The loss with an activation.
   *
   * @param activation applied to the logits first, never null
   */
  public ListNetLoss(ScoreActivation activation) {
    super(ID, LossInput.LISTWISE, activation);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, ID));
    NDManager m = x.getManager();
    NDArray y = LossSupport.floatLabels(labels, x.getShape(), ID);
    NDArray valid = LossSupport.mask(mask, x.getShape(), m, ID);
    LossSupport.hostMask(valid, ID);
    NDArray xs = LossSupport.where(valid, x, m.full(x.getShape(), PAD_LOGIT));
    NDArray ys = LossSupport.where(valid, y, m.full(x.getShape(), Float.NEGATIVE_INFINITY));
    NDArray target = ys.softmax(1);
    return xs.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
  }
}
