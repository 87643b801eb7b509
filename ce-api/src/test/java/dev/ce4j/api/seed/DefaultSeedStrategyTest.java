package dev.ce4j.api.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DefaultSeedStrategyTest {

  /**
   * Expected values computed independently with Python:
   * {@code struct.unpack('>q', hashlib.sha256(b'ce-seed-v1\x00' + purpose.encode() + b'\x00'
   * + struct.pack('>q', master) + struct.pack('>q', index)).digest()[:8])[0]}.
   */
  @ParameterizedTest(name = "master {0}, {1}, index {2} -> {3}")
  @CsvSource({
      "42, weight-init, 0, 2318848683828522353",
      "0, data-order, 3, 7662818630641986989",
      "-1, dropout, 7, 1948041706668156734",
      "0, weight-init, 0, 221355302263897413",
      "1, weight-init, 0, -3865209665244371425",
      "42, weight-init, 1, -3181601479337366399",
      "42, data-order, 0, 988780498242143112",
  })
  void matchesAnIndependentSha256Computation(long master, String purpose, long index, long expected) {
    assertThat(new DefaultSeedStrategy(master).seed(purpose, index)).isEqualTo(expected);
  }

  @Test
  void theJavadocExampleHolds() {
    assertThat(new DefaultSeedStrategy(42).seed(SeedPurpose.WEIGHT_INIT)).isEqualTo(2318848683828522353L);
  }

  @ParameterizedTest
  @EnumSource(SeedPurpose.class)
  void purposeOverloadsUseTheKey(SeedPurpose purpose) {
    DefaultSeedStrategy s = new DefaultSeedStrategy(7);
    assertThat(s.seed(purpose)).isEqualTo(s.seed(purpose.key(), 0));
    assertThat(s.seed(purpose, 5)).isEqualTo(s.seed(purpose.key(), 5));
  }

  @ParameterizedTest
  @EnumSource(SeedPurpose.class)
  void randomIsSeededWithTheDerivedSeed(SeedPurpose purpose) {
    DefaultSeedStrategy s = new DefaultSeedStrategy(99);
    SplittableRandom expected = new SplittableRandom(s.seed(purpose, 3));
    SplittableRandom actual = s.random(purpose, 3);
    for (int i = 0; i < 5; i++) {
      assertThat(actual.nextLong()).isEqualTo(expected.nextLong());
    }
  }

  @Test
  void seedsDifferAcrossPurposesIndicesAndMasters() {
    long[] masters = {0, 1, -1, 42, Long.MIN_VALUE, Long.MAX_VALUE};
    Set<Long> seen = new HashSet<>();
    int count = 0;
    for (long master : masters) {
      DefaultSeedStrategy s = new DefaultSeedStrategy(master);
      for (SeedPurpose purpose : SeedPurpose.values()) {
        for (long index = 0; index < 20; index++) {
          seen.add(s.seed(purpose, index));
          count++;
        }
      }
    }
    assertThat(seen).hasSize(count);
  }

  @Test
  void theSameInputsGiveTheSameSeed() {
    assertThat(new DefaultSeedStrategy(5).seed("x", 1)).isEqualTo(new DefaultSeedStrategy(5).seed("x", 1));
  }

  @Test
  void purposeIsHashedAsUtf8WithASeparator() {
    // "a" + index vs "a\0..." must not collide: the 0x00 separator and fixed-width longs keep
    // (purpose, master, index) unambiguous.
    DefaultSeedStrategy s = new DefaultSeedStrategy(0);
    assertThat(s.seed("é", 0)).isNotEqualTo(s.seed("e", 0));
    assertThat(s.seed("", 0)).isNotEqualTo(s.seed("\0", 0));
  }

  @Test
  void masterSeedIsKept() {
    assertThat(new DefaultSeedStrategy(-17).masterSeed()).isEqualTo(-17);
  }

  @Test
  void nullPurposeIsRejected() {
    assertThatThrownBy(() -> new DefaultSeedStrategy(0).seed((String) null, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("purpose");
  }

  @ParameterizedTest
  @CsvSource({
      "WEIGHT_INIT, weight-init",
      "DATA_ORDER, data-order",
      "DROPOUT, dropout",
      "NEGATIVE_SAMPLING, negative-sampling",
      "EVALUATOR_SAMPLING, evaluator-sampling",
  })
  void purposeKeysAreStable(SeedPurpose purpose, String key) {
    assertThat(purpose.key()).isEqualTo(key);
  }
}
