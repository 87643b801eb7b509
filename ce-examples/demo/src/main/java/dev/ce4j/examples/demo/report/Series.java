package dev.ce4j.examples.demo.report;

import java.util.Objects;

/**
 * A named curve: y values at x positions (training steps).
 *
 * @param name the legend, never null
 * @param xs the x values, ascending, never null
 * @param ys the y values, one per x (NaN points are skipped), never null
 * @param faint drawn as a thin, light line without point markers (raw values under a smoothed
 *     curve)
 */
public record Series(String name, double[] xs, double[] ys, boolean faint) {
  /**
   * A normal (not faint) series.
   *
   * @param name the legend, never null
   * @param xs the x values, ascending, never null
   * @param ys the y values, one per x, never null
   */
  public Series(String name, double[] xs, double[] ys) {
    this(name, xs, ys, false);
  }

  /**
   * The trailing moving average over {@code window} points (fewer at the start), as a normal
   * series.
   *
   * @param newName the legend of the result, never null
   * @param window the number of points averaged, at least 1
   * @return the smoothed series, never null
   */
  public Series movingAverage(String newName, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    double[] out = new double[ys.length];
    double sum = 0;
    for (int i = 0; i < ys.length; i++) {
      sum += ys[i];
      if (i >= window) {
        sum -= ys[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return new Series(newName, xs, out, false);
  }

  /**
   * Whether another series has the same points.
   *
   * @param other the other series, never null
   * @return true when x and y values are all equal
   */
  public boolean samePoints(Series other) {
    return java.util.Arrays.equals(xs, other.xs) && java.util.Arrays.equals(ys, other.ys);
  }

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
