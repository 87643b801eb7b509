package dev.ce4j.core.arch;

/**
 * The checks every {@link ModelConfig} record makes of its fields, with the messages ce gives for
 * them: each throws {@link IllegalArgumentException} naming the field and the value, which {@link
 * Architecture#parseConfig} turns into an error naming the file. Stateless and thread-safe.
 */
public final class ConfigChecks {
  /**
   * The most values one tensor may hold: each weight tensor lives in one Java {@code float[]}
   * between files and the engine, and a Java array holds at most this many.
   */
  public static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

  private ConfigChecks() {}

  /**
   * Checks that a size is at least 1.
   *
   * @param name the config key, for the message, never null
   * @param value the value
   * @throws IllegalArgumentException if it is below 1
   */
  public static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  /**
   * Checks that a dropout probability is in {@code [0, 1)}.
   *
   * @param name the config key, for the message, never null
   * @param p the value
   * @throws IllegalArgumentException if it is outside {@code [0, 1)} or NaN
   */
  public static void probability(String name, double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
    }
  }

  /**
   * Checks that a {@code rows x columns} tensor fits one Java array ({@link #MAX_TENSOR_ELEMENTS}).
   *
   * @param a the config key of the rows, never null
   * @param rows the number of rows, below 2^31
   * @param b the config key of the columns (the same key for a square tensor), never null
   * @param columns the number of columns, below 2^31
   * @param tensor what the tensor is, for the message, never null
   * @throws IllegalArgumentException if it holds more than {@link #MAX_TENSOR_ELEMENTS} values
   */
  public static void fits(String a, long rows, String b, long columns, String tensor) {
    long n = rows * columns; // both below 2^31: no overflow in a long
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new IllegalArgumentException(
          a + " " + rows + (a.equals(b) ? " squared" : " x " + b + " " + columns) + " = " + n
              + " values in the " + tensor + ", more than ce can hold in one tensor ("
              + MAX_TENSOR_ELEMENTS + ", the size of a Java array); use smaller sizes");
    }
  }
}
