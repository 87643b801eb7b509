package dev.ce4j.eval.internal;

import dev.ce4j.api.InvalidInputException;
import java.util.Locale;

/**
 * What a classification metric is when its denominator is zero: scikit-learn's
 * {@code zero_division} parameter. Precision is undefined when nothing is predicted positive,
 * recall when nothing is truly positive, F-beta when neither.
 *
 * <p>{@link #NAN} marks such values as undefined: they are {@code NaN} per label and are left
 * out of macro, weighted and samples averages. Immutable and thread-safe.
 */
public enum ClassificationZeroDivision {
  /** Undefined values are 0. */
  ZERO(0.0, "0"),
  /** Undefined values are 1. */
  ONE(1.0, "1"),
  /** Undefined values are {@code NaN} and ignored by averages. */
  NAN(Double.NaN, "nan");

  /** The parameter name, {@code zero_division}. */
  public static final String PARAMETER = "zero_division";

  private final double value;
  private final String text;

  ClassificationZeroDivision(double value, String text) {
    this.value = value;
    this.text = text;
  }

  /**
   * The value an undefined metric takes.
   *
   * @return 0, 1 or {@code NaN}
   */
  public double value() {
    return value;
  }

  /**
   * The canonical parameter text: {@code 0}, {@code 1} or {@code nan}.
   *
   * @return the text, never null
   */
  public String text() {
    return text;
  }

  /**
   * Parses a {@code zero_division} value. Accepts {@code 0}, {@code 1}, {@code 0.0},
   * {@code 1.0} and {@code nan} (any case), surrounding blanks ignored.
   *
   * @param raw the text, never null
   * @return the setting, never null
   * @throws InvalidInputException naming {@code zero_division} and quoting the value otherwise
   */
  public static ClassificationZeroDivision parse(String raw) {
    String v = raw.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "0", "0.0":
        return ZERO;
      case "1", "1.0":
        return ONE;
      case "nan":
        return NAN;
      default:
        throw new InvalidInputException(
            "parameter '" + PARAMETER + "' must be 0, 1 or nan, got '" + raw + "'");
    }
  }
}
