package dev.ce4j.eval.binary;

import java.math.BigDecimal;

/**
 * One descending sweep over the distinct score values of a binary problem: the best threshold
 * for F-beta, F1 and accuracy, and average precision.
 *
 * <p>Candidate thresholds are every distinct score value {@code s} (predicting positive the
 * samples with {@code score >= s}) plus {@code Math.nextUp(max score)}, which predicts every
 * sample negative. Samples with equal scores are therefore always on the same side. The sweep
 * visits candidates from the highest down and replaces the best one only when a candidate is
 * strictly better, so among equally good thresholds the highest wins. Comparisons are exact:
 * accuracy compares integer counts, F-beta compares cross-multiplied counts (a double test
 * when the gap is clear, else {@link Math#fma}, or {@link BigDecimal} beyond 2^53), and a
 * {@code NaN} score (possible only with {@code zero_division=nan} and no positive label) never
 * wins.
 *
 * <p>Stateless; the input arrays are not modified.
 */
final class ThresholdSweep {
  /** Beyond this, a long is not exactly representable as a double. */
  private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

  private ThresholdSweep() {}

  /** Confusion counts at one threshold. */
  record Point(double threshold, long tp, long fp) {}

  /** What one sweep found. */
  record Result(Point bestFbeta, Point bestF1, Point bestAccuracy, double averagePrecision) {}

  /**
   * Sweeps the distinct scores from the highest down.
   *
   * @param positives the scores of the positive samples, sorted ascending
   * @param negatives the scores of the negative samples, sorted ascending; not both empty
   * @param beta2 beta squared, positive and finite
   * @param zeroDivision the F-beta value when tp + fp + fn = 0 (0, 1 or NaN)
   * @return the best thresholds and average precision, never null
   */
  static Result sweep(double[] positives, double[] negatives, double beta2, double zeroDivision) {
    final long p = positives.length;
    int i = positives.length - 1;
    int j = negatives.length - 1;
    double max = Math.max(i >= 0 ? positives[i] : Double.NEGATIVE_INFINITY,
        j >= 0 ? negatives[j] : Double.NEGATIVE_INFINITY);

    // The first candidate predicts everything negative: tp = fp = 0.
    final double allNegative = Math.nextUp(max);
    double fbetaThreshold = allNegative;
    long fbetaTp = 0;
    long fbetaFp = 0;
    double f1Threshold = allNegative;
    long f1Tp = 0;
    long f1Fp = 0;
    double accuracyThreshold = allNegative;
    long accuracyTp = 0;
    long accuracyFp = 0;

    long tp = 0;
    long fp = 0;
    double previousRecall = 0;
    double apSum = 0;
    double apCompensation = 0;
    while (i >= 0 || j >= 0) {
      double s = Math.max(i >= 0 ? positives[i] : Double.NEGATIVE_INFINITY,
          j >= 0 ? negatives[j] : Double.NEGATIVE_INFINITY);
      long tpBefore = tp;
      while (i >= 0 && positives[i] == s) {
        tp++;
        i--;
      }
      while (j >= 0 && negatives[j] == s) {
        fp++;
        j--;
      }
      if (tp != tpBefore) {
        // average precision: sum over thresholds of (R_k - R_{k-1}) * P_k, Neumaier-compensated
        double recall = (double) tp / p;
        double precision = (double) tp / (tp + fp);
        double term = (recall - previousRecall) * precision;
        double t = apSum + term;
        apCompensation += Math.abs(apSum) >= Math.abs(term)
            ? (apSum - t) + term
            : (term - t) + apSum;
        apSum = t;
        previousRecall = recall;
      }
      // s + 0.0 turns -0.0 into 0.0, so a zero threshold always reads the same
      double threshold = s + 0.0;
      if (fbetaBetter(tp, tp + fp, fbetaTp, fbetaTp + fbetaFp, p, beta2, zeroDivision)) {
        fbetaThreshold = threshold;
        fbetaTp = tp;
        fbetaFp = fp;
      }
      if (fbetaBetter(tp, tp + fp, f1Tp, f1Tp + f1Fp, p, 1.0, zeroDivision)) {
        f1Threshold = threshold;
        f1Tp = tp;
        f1Fp = fp;
      }
      if (tp - fp > accuracyTp - accuracyFp) {
        accuracyThreshold = threshold;
        accuracyTp = tp;
        accuracyFp = fp;
      }
    }
    double averagePrecision = p == 0 ? 0.0 : Math.max(0.0, apSum + apCompensation);
    return new Result(new Point(fbetaThreshold, fbetaTp, fbetaFp),
        new Point(f1Threshold, f1Tp, f1Fp),
        new Point(accuracyThreshold, accuracyTp, accuracyFp),
        averagePrecision);
  }

  /**
   * Whether the candidate's F-beta is strictly greater than the best's, compared exactly.
   * F-beta is (1 + b2) tp / (predicted + b2 P) with P actual positives; with P = 0 it is 0, or
   * the zero-division value when nothing is predicted either.
   */
  private static boolean fbetaBetter(long tp, long predicted, long bestTp, long bestPredicted,
      long p, double beta2, double zeroDivision) {
    if (p == 0) {
      double candidate = predicted == 0 ? zeroDivision : 0.0;
      double best = bestPredicted == 0 ? zeroDivision : 0.0;
      if (Double.isNaN(candidate)) {
        return false;
      }
      return Double.isNaN(best) || candidate > best;
    }
    // tp / (predicted + b2 P) > bestTp / (bestPredicted + b2 P)
    //   <=>  tp * bestPredicted - bestTp * predicted > b2 * P * (bestTp - tp)
    long l = tp * bestPredicted - bestTp * predicted;
    long k = p * (bestTp - tp);
    return exceeds(l, beta2, k);
  }

  /** Whether {@code l > b * k} exactly, for a finite {@code b}. */
  static boolean exceeds(long l, double b, long k) {
    if (Math.abs(l) < EXACT_DOUBLE_LIMIT && Math.abs(k) < EXACT_DOUBLE_LIMIT) {
      double product = b * k;
      double difference = product - l;
      // the rounding error of the product is at most half an ulp: a larger gap has the exact sign
      if (Math.abs(difference) > Math.ulp(product)) {
        return difference < 0;
      }
      // one rounding of the exact b*k - l keeps its sign
      return Math.fma(b, (double) k, -(double) l) < 0;
    }
    return BigDecimal.valueOf(l).compareTo(new BigDecimal(b).multiply(BigDecimal.valueOf(k))) > 0;
  }
}
