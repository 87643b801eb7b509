package dev.ce4j.eval.correlation;

import java.util.Arrays;

/**
 * Pearson's and Spearman's correlation coefficients, computed as scipy computes them.
 *
 * <p>Stateless; never modifies its arguments. Arguments are finite, equally long and have at
 * least two values (the caller checks).
 */
final class Correlations {
  private Correlations() {}

  /**
   * Pearson's r, as {@code scipy.stats.pearsonr}: NaN if either input is constant, the product of
   * the signs of the two differences for two samples, else the sum of products of deviations
   * from the mean over the product of their norms, clipped to [-1, 1].
   *
   * <p>Numerically careful: each input is first scaled by a power of two (exact) so its largest
   * magnitude is near 1, which rules out overflow and underflow for any finite input; then
   * the mean is taken in two passes (the second adds the mean residual), and only deviations
   * from it are multiplied, so a large common offset (1e6 + noise) costs no accuracy.
   *
   * @param x values, never null
   * @param y values as many as {@code x}, never null
   * @return r in [-1, 1], or NaN if either input is constant
   */
  static double pearson(double[] x, double[] y) {
    if (isConstant(x) || isConstant(y)) {
      return Double.NaN;
    }
    int n = x.length;
    if (n == 2) {
      return Math.signum(x[1] - x[0]) * Math.signum(y[1] - y[0]);
    }
    double[] dx = deviations(x);
    double[] dy = deviations(y);
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += dx[i] * dx[i];
      syy += dy[i] * dy[i];
      sxy += dx[i] * dy[i];
    }
    double r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
    return Math.max(-1.0, Math.min(1.0, r));
  }

  /**
   * Spearman's rho, as {@code scipy.stats.spearmanr}: Pearson's r of the average ranks; NaN if
   * either input is constant.
   *
   * @param x values, never null
   * @param y values as many as {@code x}, never null
   * @return rho in [-1, 1], or NaN if either input is constant
   */
  static double spearman(double[] x, double[] y) {
    if (isConstant(x) || isConstant(y)) {
      return Double.NaN;
    }
    return pearson(averageRanks(x), averageRanks(y));
  }

  /**
   * Ranks from 1, tied values sharing the mean of the ranks they cover, as
   * {@code scipy.stats.rankdata(method='average')}: {@code [10, 20, 10, 30]} gives
   * {@code [1.5, 3, 1.5, 4]}. {@code -0.0} and {@code 0.0} tie. O(n log n).
   *
   * @param values finite values, never null, not modified
   * @return a new array of ranks, never null
   */
  static double[] averageRanks(double[] values) {
    int n = values.length;
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = values[i] + 0.0; // -0.0 + 0.0 == +0.0, so both zeros tie
    }
    Arrays.sort(sorted);
    double[] ranks = new double[n];
    for (int i = 0; i < n; i++) {
      double v = values[i] + 0.0;
      int below = firstIndexNotBelow(sorted, v);
      int upTo = firstIndexAbove(sorted, v);
      // ranks below+1 .. upTo (1-based), their mean:
      ranks[i] = (below + 1 + upTo) / 2.0;
    }
    return ranks;
  }

  private static int firstIndexNotBelow(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int firstIndexAbove(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static boolean isConstant(double[] values) {
    for (double v : values) {
      if (v != values[0]) {
        return false;
      }
    }
    return true;
  }

  /** Deviations from the mean after exact power-of-two scaling of the values. */
  private static double[] deviations(double[] values) {
    int n = values.length;
    double maxAbs = 0;
    for (double v : values) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    // maxAbs > 0: the values are not all equal. Scaling by a power of two changes no digit.
    double scale = Math.scalb(1.0, -Math.getExponent(maxAbs));
    double[] d = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      d[i] = values[i] * scale;
      sum += d[i];
    }
    double mean = sum / n;
    double residual = 0;
    for (int i = 0; i < n; i++) {
      residual += d[i] - mean;
    }
    mean += residual / n;
    for (int i = 0; i < n; i++) {
      d[i] -= mean;
    }
    return d;
  }
}
