package dev.ce4j.cli.internal;

import java.util.Arrays;

/**
 * A growable array of primitive doubles, for reading large files without boxing. Not
 * thread-safe.
 */
public final class DoubleList {
  private double[] values = new double[16];
  private int size;

  /** Creates an empty list. */
  public DoubleList() {
    // starts with room for 16 values
  }

  /**
   * Appends a value.
   *
   * @param value the value
   */
  public void add(double value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /**
   * The number of values.
   *
   * @return the size
   */
  public int size() {
    return size;
  }

  /**
   * The values as a new array.
   *
   * @return a copy, never null
   */
  public double[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
