package dev.ce4j.core;

import dev.ce4j.api.CeException;

/**
 * A pair's logit came out NaN or infinite, so the model has no meaningful score for it: {@link
 * CrossEncoder#predict}, {@link CrossEncoder#score} and {@link CrossEncoder#rank} throw this rather
 * than return a non-finite number, or a saturated one that hides it (the sigmoid of an infinite
 * logit is exactly 1).
 *
 * <p>Weights that hold NaN or an infinity are refused when a model is loaded, so this happens when
 * finite weights are so large that the forward pass overflows, or when training has diverged and
 * the live weights are scored. The command line reports it as bad input (exit status 2). Immutable
 * and thread-safe.
 */
public final class NonFiniteScoreException extends CeException {
  private static final long serialVersionUID = 1L;

  private final int pairIndex;
  private final int label;
  private final double logit;

  /**
   * Creates the exception for one pair.
   *
   * @param pairIndex the pair's index in the caller's input order, from 0
   * @param label the index of the label (classifier output) whose logit is not finite, from 0
   * @param logit the non-finite logit (NaN or an infinity)
   */
  public NonFiniteScoreException(int pairIndex, int label, double logit) {
    super(
        "the model's logit for pair "
            + pairIndex
            + " (counting from 0 in input order"
            + (label > 0 ? ", label " + label : "")
            + ") is "
            + logit
            + ", not a finite number, so it has no score: the model's weights may be damaged, or"
            + " the training that made them diverged; retrain it, or score with an earlier"
            + " checkpoint");
    this.pairIndex = pairIndex;
    this.label = label;
    this.logit = logit;
  }

  /**
   * The pair's index in the caller's input order (for {@link CrossEncoder#rank}, the document's
   * index).
   *
   * @return the index, from 0
   */
  public int pairIndex() {
    return pairIndex;
  }

  /**
   * The label (classifier output) whose logit is not finite.
   *
   * @return the label's index, from 0
   */
  public int label() {
    return label;
  }

  /**
   * The non-finite logit.
   *
   * @return NaN, positive or negative infinity
   */
  public double logit() {
    return logit;
  }
}
