package dev.ce4j.train.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.seed.DefaultSeedStrategy;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class LengthGroupedBatchSamplerTest {

  /** Example {@code i} is one text of {@code lengths[i]} characters. */
  private static IntFunction<List<String>> texts(int[] lengths) {
    return i -> List.of("x".repeat(lengths[i]));
  }

  @Test
  void groupsAsTransformersLengthGroupedSamplerDoes() {
    // worked by hand after transformers' get_length_grouped_indices: 10 examples of lengths 0..9,
    // batch 2, so megabatches of min(10 / (4 * 2), 50) = 1 batch; the shuffled order of data seed
    // 42, epoch 0 is [1, 7, 9, 8, 2, 4, 0, 3, 5, 6] (RandomBatchSamplerTest); megabatches sorted
    // longest first: [7, 1] [9, 8] [4, 2] [3, 0] [6, 5]; the longest head (9) swaps with the first
    int[] lengths = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    LengthGroupedBatchSampler s = new LengthGroupedBatchSampler(10, texts(lengths), 2, false, new DefaultSeedStrategy(42));
    assertThat(s.epoch(0)).containsExactly(
        new int[] {9, 1}, new int[] {7, 8}, new int[] {4, 2}, new int[] {3, 0}, new int[] {6, 5});
  }

  @Test
  void aBatchIsPaddedFarLessThanARandomOne() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 4000;
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = 20 + r.nextInt(200);
    }
    DefaultSeedStrategy seeds = new DefaultSeedStrategy(3);
    double grouped = paddedShare(new LengthGroupedBatchSampler(n, texts(lengths), 8, false, seeds), lengths);
    double random = paddedShare(new RandomBatchSampler(n, 8, false, seeds), lengths);
    // uniform lengths in [20, 220): a random batch of 8 is about 40% padding, a grouped one under 3%
    assertThat(random).isGreaterThan(0.3);
    assertThat(grouped).isLessThan(0.03);
  }

  /** The share of a padded epoch that is padding: 1 - sum of lengths / sum over batches of (longest * size). */
  private static double paddedShare(BatchSampler s, int[] lengths) {
    long real = 0;
    long padded = 0;
    for (int[] b : s.epoch(0)) {
      int max = 0;
      for (int i : b) {
        real += lengths[i];
        max = Math.max(max, lengths[i]);
      }
      padded += (long) max * b.length;
    }
    return 1 - (double) real / padded;
  }

  @Test
  void everyEpochCoversEveryIndexOnceAndEpochsDiffer() {
    int[] lengths = new SplittableRandom(1).ints(101, 0, 50).toArray();
    LengthGroupedBatchSampler s = new LengthGroupedBatchSampler(101, texts(lengths), 8, false, new DefaultSeedStrategy(0));
    assertThat(s.batchCount(0)).isEqualTo(13);
    for (long e = 0; e < 3; e++) {
      int[] seen = s.epoch(e).stream().flatMapToInt(Arrays::stream).sorted().toArray();
      assertThat(seen).hasSize(101);
      for (int i = 0; i < 101; i++) {
        assertThat(seen[i]).isEqualTo(i);
      }
    }
    assertThat(s.epoch(0).get(0)).isNotEqualTo(s.epoch(1).get(0));
    // the longest example is in the first batch
    int longest = 0;
    for (int i = 0; i < 101; i++) {
      longest = lengths[i] > lengths[longest] ? i : longest;
    }
    int max = lengths[longest];
    assertThat(Arrays.stream(s.batch(0, 0)).map(i -> lengths[i]).max().getAsInt()).isEqualTo(max);
  }

  @Test
  void resumingAtAnyPositionGivesTheSameBatches() {
    int[] lengths = new SplittableRandom(2).ints(37, 0, 90).toArray();
    LengthGroupedBatchSampler run = new LengthGroupedBatchSampler(37, texts(lengths), 5, false, new DefaultSeedStrategy(1234));
    DataPosition p = DataPosition.START;
    while (p.epoch() < 3) {
      // a "new process" resumes here
      LengthGroupedBatchSampler resumed =
          new LengthGroupedBatchSampler(37, texts(lengths), 5, false, new DefaultSeedStrategy(1234));
      assertThat(resumed.batch(p.epoch(), p.batchIndex())).isEqualTo(run.batch(p.epoch(), p.batchIndex()));
      p = run.next(p);
    }
  }

  @Test
  void theLengthOfAnExampleIsItsLongestPair() {
    // a query and its longest document; a pair's two texts
    assertThat(LengthGroupedBatchSampler.length(List.of("abc", "de", "fghij"))).isEqualTo(8);
    assertThat(LengthGroupedBatchSampler.length(List.of("query", "document"))).isEqualTo(13);
    assertThat(LengthGroupedBatchSampler.length(List.of("alone"))).isEqualTo(5);
  }
}
