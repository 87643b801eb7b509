package dev.ce4j.train.loss;

/**
 * The label values a {@link Loss} accepts, checked for every training example before training
 * starts (so that a bad label is reported with its file and line, not as a NaN loss, a silent
 * nonsense gradient or an engine error hours later). Every label is also a finite number. Thread-safe.
 */
public enum LabelDomain {
  /** Any finite number: scores, teacher logits, margins. */
  ANY,
  /** From 0 to 1: a probability, or 0/1 relevance ({@code bce}, {@code multilabel_bce}). */
  UNIT_INTERVAL,
  /**
   * At least 0: relevance grades ({@code lambda}, whose gains are {@code 2^label - 1}, and {@code
   * ranknet}; sentence-transformers reserves -1 for padding in these losses).
   */
  NON_NEGATIVE,
  /**
   * A class index: an integer from 0 to the model's number of outputs minus 1 ({@code
   * cross_entropy}).
   */
  CLASS_INDEX;

  /**
   * Checks one label.
   *
   * @param label the label, finite
   * @param numLabels the model's number of outputs, at least 1 (used by {@link #CLASS_INDEX})
   * @return null when the label is accepted, else what the loss needs, to follow "needs"
   */
  public String check(double label, int numLabels) {
    return switch (this) {
      case ANY -> null;
      case UNIT_INTERVAL -> label >= 0 && label <= 1 ? null : "a label from 0 to 1 (a probability or 0/1 relevance)";
      case NON_NEGATIVE -> label >= 0 ? null : "relevance grades of at least 0";
      case CLASS_INDEX -> label >= 0 && label == Math.rint(label) && label < numLabels
          ? null
          : "a class index, an integer from 0 to " + (numLabels - 1) + " (the model has " + numLabels
              + (numLabels == 1 ? " output" : " outputs") + ")";
    };
  }
}
