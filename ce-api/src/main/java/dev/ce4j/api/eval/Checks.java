package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import java.util.Objects;

/** Validation shared by the value types of this package. */
final class Checks {
  private Checks() {}

  static double[] finiteCopy(double[] values, String what) {
    Objects.requireNonNull(values, what);
    double[] copy = values.clone();
    for (int i = 0; i < copy.length; i++) {
      if (!Double.isFinite(copy[i])) {
        throw new InvalidInputException(
            what + "[" + i + "] is " + copy[i] + "; every " + what + " value must be finite");
      }
    }
    return copy;
  }

  static void sameLength(int expected, int actual, String a, String b) {
    if (expected != actual) {
      throw new InvalidInputException(
          a + " has " + expected + " entries but " + b + " has " + actual + "; they must match");
    }
  }

  static double[][] finiteMatrixCopy(double[][] rows, String what) {
    Objects.requireNonNull(rows, what);
    double[][] copy = new double[rows.length][];
    int width = -1;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null) {
        throw new InvalidInputException(what + "[" + i + "] is null");
      }
      if (width < 0) {
        width = rows[i].length;
        if (width == 0) {
          throw new InvalidInputException(what + "[0] is empty; each row needs at least one value");
        }
      } else if (rows[i].length != width) {
        throw new InvalidInputException(
            what + "[" + i + "] has " + rows[i].length + " values but " + what + "[0] has " + width
                + "; rows must all have the same length");
      }
      copy[i] = finiteCopy(rows[i], what + "[" + i + "]");
    }
    return copy;
  }

  static double[][] deepCopy(double[][] rows) {
    double[][] copy = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      copy[i] = rows[i].clone();
    }
    return copy;
  }

  static int[][] deepCopy(int[][] rows) {
    int[][] copy = new int[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      copy[i] = rows[i].clone();
    }
    return copy;
  }
}
