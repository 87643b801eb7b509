package dev.ce4j.examples.demo.report;

import java.util.Objects;

/**
 * A named curve: y values at x positions (training steps).
 *
 * @param name the legend, never null
 * @param xs the x values, ascending, never null
 * @param ys the y values, one per x (NaN points are skipped), never null
 */
public record Series(String name, double[] xs, double[] ys) {
  /** Validates and copies. */
  public Series {
    Objects.requireNonNull(name, "name");
    xs = xs.clone();
    ys = ys.clone();
    if (xs.length != ys.length) {
      throw new IllegalArgumentException("xs and ys differ in length: " + xs.length + " vs " + ys.length);
    }
  }

  @Override
  public double[] xs() {
    return xs.clone();
  }

  @Override
  public double[] ys() {
    return ys.clone();
  }
}
