package dev.ce4j.train.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.train.config.SamplerType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class NoDuplicatesBatchSamplerTest {
  /** Example i: query "q(i mod 3)" and its own document "d<i>". */
  private static final IntFunction<List<String>> TEXTS = i -> List.of("q" + (i % 3), "d" + i);

  @Test
  void handWorkedEpoch() {
    // the shuffled order of epoch 0 with data seed 42 is [1, 7, 9, 8, 2, 4, 0, 3, 5, 6] (golden.py);
    // queries: 1->q1 7->q1 9->q0 8->q2 2->q2 4->q1 0->q0 3->q0 5->q2 6->q0
    // batch 1: take 1 (q1), skip 7 (q1), take 9 (q0), take 8 (q2)    -> [1, 9, 8]
    // batch 2: take 7 (q1), take 2 (q2), skip 4 (q1), take 0 (q0)    -> [7, 2, 0]
    // batch 3: take 4, 3, 5                                           -> [4, 3, 5]
    // batch 4: only 6 is left                                         -> [6]
    NoDuplicatesBatchSampler s = new NoDuplicatesBatchSampler(10, TEXTS, 3, false, new DefaultSeedStrategy(42));
    assertThat(s.epoch(0)).containsExactly(new int[] {1, 9, 8}, new int[] {7, 2, 0}, new int[] {4, 3, 5}, new int[] {6});
    NoDuplicatesBatchSampler dropLast = new NoDuplicatesBatchSampler(10, TEXTS, 3, true, new DefaultSeedStrategy(42));
    assertThat(dropLast.batchCount(0)).isEqualTo(3);
  }

  @Test
  void noTextTwiceInABatchAndEveryIndexOnce() {
    IntFunction<List<String>> texts = i -> List.of("q" + (i % 7), "doc" + (i % 11));
    NoDuplicatesBatchSampler s = new NoDuplicatesBatchSampler(200, texts, 6, false, new DefaultSeedStrategy(3));
    for (long e = 0; e < 2; e++) {
      for (int[] batch : s.epoch(e)) {
        Set<String> seen = new HashSet<>();
        for (int i : batch) {
          for (String t : texts.apply(i)) {
            assertThat(seen.add(t)).as("text %s twice in a batch", t).isTrue();
          }
        }
      }
      int[] all = s.epoch(e).stream().flatMapToInt(Arrays::stream).sorted().toArray();
      assertThat(all).hasSize(200);
      assertThat(all[0]).isZero();
      assertThat(all[199]).isEqualTo(199);
    }
  }

  @Test
  void resumingAtAnyPositionGivesTheSameBatches() {
    IntFunction<List<String>> texts = i -> List.of("q" + (i % 5), "d" + i);
    BatchSampler run = BatchSamplers.create(SamplerType.NO_DUPLICATES, 43, texts, 4, new DefaultSeedStrategy(-1));
    DataPosition p = DataPosition.START;
    int checked = 0;
    while (p.epoch() < 3) {
      BatchSampler fresh = BatchSamplers.create(SamplerType.NO_DUPLICATES, 43, texts, 4, new DefaultSeedStrategy(-1));
      assertThat(fresh.batch(p.epoch(), p.batchIndex())).isEqualTo(run.batch(p.epoch(), p.batchIndex()));
      p = run.next(p);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(3 * 11);
  }

  @Test
  void withoutDuplicatesItBatchesLikeTheRandomSampler() {
    DefaultSeedStrategy seeds = new DefaultSeedStrategy(8);
    NoDuplicatesBatchSampler nd = new NoDuplicatesBatchSampler(30, i -> List.of("t" + i), 4, false, seeds);
    RandomBatchSampler rnd = new RandomBatchSampler(30, 4, false, seeds);
    assertThat(nd.epoch(0)).containsExactlyElementsOf(rnd.epoch(0));
  }
}
