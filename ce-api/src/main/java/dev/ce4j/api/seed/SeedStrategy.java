package dev.ce4j.api.seed;

import java.util.SplittableRandom;

/**
 * Derives an independent seed for each named purpose (and index, such as an epoch) from one
 * master seed.
 *
 * <p>Implementations must be pure functions of (master seed, purpose, index): the same inputs
 * give the same seed in every JVM, on every platform, in every release that keeps the
 * implementation's name. Thread-safe.
 */
public interface SeedStrategy {

  /**
   * The master seed everything is derived from; any long, 0 included.
   *
   * @return the master seed
   */
  long masterSeed();

  /**
   * The seed for a purpose and an index.
   *
   * @param purpose a stable purpose name, such as {@link SeedPurpose#key()}, never null
   * @param index a sub-stream index, such as an epoch or a step; 0 when there is one stream
   * @return the derived seed
   */
  long seed(String purpose, long index);

  /**
   * The seed for a purpose and an index.
   *
   * @param purpose the purpose, never null
   * @param index a sub-stream index
   * @return the derived seed
   */
  default long seed(SeedPurpose purpose, long index) {
    return seed(purpose.key(), index);
  }

  /**
   * The seed for a purpose, index 0.
   *
   * @param purpose the purpose, never null
   * @return the derived seed
   */
  default long seed(SeedPurpose purpose) {
    return seed(purpose.key(), 0);
  }

  /**
   * A fresh random stream for a purpose and an index.
   *
   * @param purpose the purpose, never null
   * @param index a sub-stream index
   * @return a new generator seeded with {@link #seed(SeedPurpose, long)}, never null
   */
  default SplittableRandom random(SeedPurpose purpose, long index) {
    return new SplittableRandom(seed(purpose, index));
  }
}
