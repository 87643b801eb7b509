package dev.ce4j.train.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.seed.DefaultSeedStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomBatchSamplerTest {

  @Test
  void orderIsTheGoldenPermutationOfTheDerivedSeed() {
    // golden.py: data seed 42, epoch 0 -> [1, 7, 9, 8, 2, 4, 0, 3, 5, 6]; epoch 1 -> [9, 6, 5, 3, 0, 7, 1, 4, 8, 2]
    RandomBatchSampler s = new RandomBatchSampler(10, 4, false, new DefaultSeedStrategy(42));
    assertThat(s.batchCount(0)).isEqualTo(3);
    assertThat(s.epoch(0)).containsExactly(new int[] {1, 7, 9, 8}, new int[] {2, 4, 0, 3}, new int[] {5, 6});
    assertThat(s.order(1)).containsExactly(9, 6, 5, 3, 0, 7, 1, 4, 8, 2);
  }

  @Test
  void dropLastDropsTheShortBatch() {
    RandomBatchSampler s = new RandomBatchSampler(10, 4, true, new DefaultSeedStrategy(42));
    assertThat(s.batchCount(0)).isEqualTo(2);
    assertThatThrownBy(() -> s.batch(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void everyEpochCoversEveryIndexOnce() {
    RandomBatchSampler s = new RandomBatchSampler(101, 8, false, new DefaultSeedStrategy(0));
    for (long e = 0; e < 3; e++) {
      int[] seen = s.epoch(e).stream().flatMapToInt(Arrays::stream).sorted().toArray();
      assertThat(seen).hasSize(101);
      for (int i = 0; i < 101; i++) {
        assertThat(seen[i]).isEqualTo(i);
      }
    }
    assertThat(s.order(0)).isNotEqualTo(s.order(1));
  }

  @Test
  void resumingAtAnyPositionGivesTheSameBatches() {
    DefaultSeedStrategy seeds = new DefaultSeedStrategy(1234);
    RandomBatchSampler run = new RandomBatchSampler(37, 5, false, seeds);
    List<int[]> uninterrupted = new ArrayList<>();
    DataPosition p = DataPosition.START;
    while (p.epoch() < 3) {
      uninterrupted.add(run.batch(p.epoch(), p.batchIndex()));
      p = run.next(p);
    }
    // a "new process" resumes at each position in turn
    int k = 0;
    p = DataPosition.START;
    while (p.epoch() < 3) {
      RandomBatchSampler resumed = new RandomBatchSampler(37, 5, false, new DefaultSeedStrategy(1234));
      assertThat(resumed.batch(p.epoch(), p.batchIndex())).isEqualTo(uninterrupted.get(k++));
      p = run.next(p);
    }
    assertThat(k).isEqualTo(3 * 8);
  }

  @Test
  void anotherDataSeedGivesAnotherOrder() {
    assertThat(new RandomBatchSampler(50, 50, false, new DefaultSeedStrategy(1)).batch(0, 0))
        .isNotEqualTo(new RandomBatchSampler(50, 50, false, new DefaultSeedStrategy(2)).batch(0, 0));
  }

  @Test
  void nextMovesToTheNextEpoch() {
    RandomBatchSampler s = new RandomBatchSampler(10, 4, false, new DefaultSeedStrategy(42));
    assertThat(s.next(new DataPosition(0, 1))).isEqualTo(new DataPosition(0, 2));
    assertThat(s.next(new DataPosition(0, 2))).isEqualTo(new DataPosition(1, 0));
  }
}
