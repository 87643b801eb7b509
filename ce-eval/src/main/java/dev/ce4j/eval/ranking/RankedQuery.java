package dev.ce4j.eval.ranking;

import java.util.Arrays;

/**
 * One query's documents sorted by score, descending, with documents of equal score grouped:
 * the tie groups every metric here averages over.
 *
 * <p>Sorting costs O(n log n); each metric is then O(n). Scores {@code -0.0} and {@code 0.0} are
 * one tie group, as in scikit-learn. Instances are immutable and thread-safe; nothing here
 * modifies the arrays it was built from.
 */
final class RankedQuery {
  private static final double LN2 = Math.log(2);

  /** Labels in ranked order. */
  private final double[] labels;
  /** {@code groupStart[g]} is the first rank (0-based) of tie group {@code g}; one extra entry n. */
  private final int[] groupStart;
  private final int relevantCount;

  private RankedQuery(double[] labels, int[] groupStart, int relevantCount) {
    this.labels = labels;
    this.groupStart = groupStart;
    this.relevantCount = relevantCount;
  }

  /**
   * Ranks documents by score, descending.
   *
   * @param scores finite scores, never null, not modified
   * @param labels grades {@code >= 0}, as many as scores, never null, not modified
   * @return the ranking, never null
   */
  static RankedQuery of(double[] scores, double[] labels) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    double[] ranked = new double[n];
    int[] starts = new int[n + 1];
    int groups = 0;
    int relevant = 0;
    for (int i = 0; i < n; i++) {
      ranked[i] = labels[order[i]];
      if (ranked[i] > 0) {
        relevant++;
      }
      // groups split on !=, so -0.0 and 0.0 (adjacent in Double.compare's order) are one group
      if (i == 0 || scores[order[i]] != scores[order[i - 1]]) {
        starts[groups++] = i;
      }
    }
    starts[groups] = n;
    return new RankedQuery(ranked, Arrays.copyOf(starts, groups + 1), relevant);
  }

  /** The number of documents with a label above 0. */
  int relevantCount() {
    return relevantCount;
  }

  /**
   * The expected reciprocal rank of the first relevant document when tied documents are put in a
   * uniformly random order, counting 0 when that document lands below rank {@code k}.
   *
   * <p>If the first tie group holding a relevant document starts at 0-based rank {@code s}, has
   * {@code m} documents and {@code r} relevant ones, the first relevant one sits at offset
   * {@code j} of the group with probability {@code C(m-j-1, r-1) / C(m, r)}; successive
   * probabilities differ by the factor {@code (m-j-r) / (m-j-1)}, which keeps the computation in
   * [0, 1] without binomials. With {@code r = 1} this is the mean of {@code 1/rank} over the
   * group's ranks.
   *
   * @param k the cutoff, {@code >= 1}
   * @return the expected reciprocal rank in [0, 1]; 0 when there is no relevant document
   */
  double reciprocalRank(int k) {
    for (int g = 0; g + 1 < groupStart.length; g++) {
      int start = groupStart[g];
      if (start >= k) {
        return 0;
      }
      int m = groupStart[g + 1] - start;
      int r = 0;
      for (int i = start; i < start + m; i++) {
        if (labels[i] > 0) {
          r++;
        }
      }
      if (r > 0) {
        double expected = 0;
        double p = (double) r / m;
        for (int j = 0; j <= m - r && start + j < k; j++) {
          expected += p / (start + j + 1);
          if (j < m - r) {
            p *= (double) (m - j - r) / (m - j - 1);
          }
        }
        return expected;
      }
    }
    return 0;
  }

  /**
   * NDCG@k with linear gains and tie-averaged DCG, as scikit-learn's {@code ndcg_score(...,
   * ignore_ties=False)}: each tie group contributes its mean label times the sum of the
   * discounts {@code 1 / log2(rank + 1)} of the ranks it covers within the top {@code k}.
   *
   * @param k the cutoff, {@code >= 1}
   * @return NDCG in [0, 1]; NaN when no label is above 0
   */
  double ndcg(int k) {
    double dcg = 0;
    for (int g = 0; g + 1 < groupStart.length && groupStart[g] < k; g++) {
      int start = groupStart[g];
      int end = groupStart[g + 1];
      double gainSum = 0;
      for (int i = start; i < end; i++) {
        gainSum += labels[i];
      }
      double discountSum = 0;
      for (int i = start; i < Math.min(end, k); i++) {
        discountSum += discount(i);
      }
      dcg += gainSum / (end - start) * discountSum;
    }
    double[] ideal = labels.clone();
    Arrays.sort(ideal);
    double idcg = 0;
    int n = ideal.length;
    for (int i = 0; i < Math.min(n, k); i++) {
      idcg += ideal[n - 1 - i] * discount(i);
    }
    return idcg > 0 ? dcg / idcg : Double.NaN;
  }

  /**
   * Average precision of "label above 0" as scikit-learn's {@code average_precision_score}: the
   * precision at each distinct score threshold, weighted by the recall it adds. Documents tied
   * in score enter together.
   *
   * @return AP in [0, 1]; NaN when no label is above 0
   */
  double averagePrecision() {
    if (relevantCount == 0) {
      return Double.NaN;
    }
    double ap = 0;
    int truePositives = 0;
    for (int g = 0; g + 1 < groupStart.length; g++) {
      int start = groupStart[g];
      int end = groupStart[g + 1];
      int added = 0;
      for (int i = start; i < end; i++) {
        if (labels[i] > 0) {
          added++;
        }
      }
      if (added > 0) {
        truePositives += added;
        ap += (double) added / relevantCount * ((double) truePositives / end);
      }
    }
    return ap;
  }

  /** scikit-learn's discount for 0-based rank {@code i}: {@code 1 / (ln(i + 2) / ln 2)}. */
  private static double discount(int i) {
    return 1 / (Math.log(i + 2) / LN2);
  }
}
