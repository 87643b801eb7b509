package dev.ce4j.train.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Golden values from src/test/resources/dev/ce4j/train/sampling/golden.py. */
class SplitMix64Test {

  @Test
  void matchesTheReferenceSplitMix64() {
    SplitMix64 r = new SplitMix64(0);
    // Vigna's splitmix64.c from state 0: 0xE220A8397B1DCDAF, ...
    assertThat(r.nextLong()).isEqualTo(0xE220A8397B1DCDAFL).isEqualTo(-2152535657050944081L);
    assertThat(r.nextLong()).isEqualTo(7960286522194355700L);
    assertThat(r.nextLong()).isEqualTo(487617019471545679L);
  }

  @Test
  void permutationsMatchTheIndependentReference() {
    assertThat(SplitMix64.permutation(10, 42)).containsExactly(3, 8, 4, 2, 9, 5, 7, 1, 0, 6);
    assertThat(SplitMix64.permutation(10, -7)).containsExactly(1, 3, 9, 5, 7, 4, 2, 8, 0, 6);
    assertThat(SplitMix64.permutation(0, 1)).isEmpty();
    assertThat(SplitMix64.permutation(1, 1)).containsExactly(0);
  }

  @Test
  void permutationIsAPermutation() {
    int[] p = SplitMix64.permutation(1000, 123);
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    assertThat(p).isNotEqualTo(sorted);
  }

  @Test
  void boundedIntsStayInRange() {
    SplitMix64 r = new SplitMix64(5);
    int[] counts = new int[3];
    for (int i = 0; i < 3000; i++) {
      counts[r.nextInt(3)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(850, 1150);
    }
    assertThat(new SplitMix64(9).nextInt(1)).isZero();
    assertThat(new SplitMix64(9).nextInt(Integer.MAX_VALUE)).isBetween(0, Integer.MAX_VALUE - 1);
    assertThatThrownBy(() -> r.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    double d = r.nextDouble();
    assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
  }

  @Test
  void stateRestoresTheStream() {
    SplitMix64 a = new SplitMix64(77);
    a.nextLong();
    SplitMix64 b = new SplitMix64(a.state());
    assertThat(b.nextLong()).isEqualTo(a.nextLong());
  }
}
