package dev.ce4j.benchmarks.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** What the benchmarks that take turns round after round share: their inputs and their summaries. */
public final class Rounds {
  private Rounds() {}

  /**
   * A batch of random token ids that every family's vocabulary has: 101 first (BERT's [CLS]), then
   * ids from 1,000 to 29,999; type ids 0 (every family has type 0) and a full mask.
   *
   * @param random the source of ids, never null
   * @param rows the batch size, at least 1
   * @param tokens the tokens per row, at least 1
   * @return {@code {ids, typeIds, mask}}, each {@code [rows][tokens]}, never null
   */
  public static long[][][] batch(SplittableRandom random, int rows, int tokens) {
    long[][] ids = new long[rows][tokens];
    long[][] types = new long[rows][tokens];
    long[][] mask = new long[rows][tokens];
    for (int i = 0; i < rows; i++) {
      ids[i][0] = 101;
      for (int j = 1; j < tokens; j++) {
        ids[i][j] = 1000 + random.nextInt(29_000);
      }
      Arrays.fill(mask[i], 1);
    }
    return new long[][][] {ids, types, mask};
  }

  /**
   * The median.
   *
   * @param v the values, at least one, never null
   * @return the median
   */
  public static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /**
   * Each round's ratio, to two decimals, comma-separated.
   *
   * @param v the rates per round, never null
   * @param base the base's rates in the same rounds, at least as many, never null
   * @return the ratios, such as {@code 0.98, 1.02}, never null
   */
  public static String ratios(double[] v, double[] base) {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      r.add(String.format(Locale.ROOT, "%.2f", v[i] / base[i]));
    }
    return String.join(", ", r);
  }
}
