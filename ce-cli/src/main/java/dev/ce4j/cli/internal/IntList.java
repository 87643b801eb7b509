package dev.ce4j.cli.internal;

import java.util.Arrays;

/**
 * A growable array of primitive ints, for reading large files without boxing. Not thread-safe.
 */
public final class IntList {
  private int[] values = new int[16];
  private int size;

  /** Creates an empty list. */
  public IntList() {
    // starts with room for 16 values
  }

  /**
   * Appends a value.
   *
   * @param value the value
   */
  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /**
   * The value at an index.
   *
   * @param index an index in {@code 0..size()-1}
   * @return the value
   * @throws IndexOutOfBoundsException if the index is out of range
   */
  public int get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size);
    }
    return values[index];
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
  public int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
