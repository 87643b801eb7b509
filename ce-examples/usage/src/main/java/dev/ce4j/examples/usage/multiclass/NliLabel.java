package dev.ce4j.examples.usage.multiclass;

import java.util.Locale;

/**
 * The three classes of natural language inference, in class-index order: the model's output
 * {@code i} is the score of {@code values()[i]}.
 */
public enum NliLabel {
  /** The hypothesis follows from the premise. */
  ENTAILMENT,
  /** The premise says nothing either way about the hypothesis. */
  NEUTRAL,
  /** The premise and the hypothesis cannot both be true. */
  CONTRADICTION;

  /**
   * The class index, the label written to the data files.
   *
   * @return 0, 1 or 2
   */
  public int index() {
    return ordinal();
  }

  /**
   * The label name, as in the model's {@code id2label}.
   *
   * @return {@code entailment}, {@code neutral} or {@code contradiction}, never null
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
