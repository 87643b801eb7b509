package dev.ce4j.train.sampling;

import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import java.util.Arrays;
import java.util.Objects;

/**
 * Shuffles the dataset once per epoch and cuts the permutation into consecutive batches. The
 * permutation of epoch {@code e} is {@link SplitMix64#permutation(int, long)} with seed {@code
 * dataSeeds.seed(SeedPurpose.DATA_ORDER, e)}; pass a strategy built on the run's data seed.
 *
 * <p>Thread-safe.
 */
public final class RandomBatchSampler implements BatchSampler {
  private final int size;
  private final int batchSize;
  private final boolean dropLast;
  private final SeedStrategy dataSeeds;
  private volatile Cached cache;

  private record Cached(long epoch, int[] permutation) {}

  /**
   * Creates a sampler.
   *
   * @param size the dataset size, at least 0
   * @param batchSize examples per batch, at least 1
   * @param dropLast whether a final batch smaller than {@code batchSize} is dropped
   * @param dataSeeds the seed strategy of the data order, never null
   */
  public RandomBatchSampler(int size, int batchSize, boolean dropLast, SeedStrategy dataSeeds) {
    if (size < 0 || batchSize < 1) {
      throw new IllegalArgumentException("size must be >= 0 and batchSize >= 1, got " + size + ", " + batchSize);
    }
    this.size = size;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.dataSeeds = Objects.requireNonNull(dataSeeds, "dataSeeds");
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int batchCount(long epoch) {
    return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
  }

  @Override
  public int[] batch(long epoch, int batchIndex) {
    if (batchIndex < 0 || batchIndex >= batchCount(epoch)) {
      throw new IndexOutOfBoundsException(
          "batch " + batchIndex + " of epoch " + epoch + " (the epoch has " + batchCount(epoch) + ")");
    }
    int[] perm = permutation(epoch);
    int from = batchIndex * batchSize;
    return Arrays.copyOfRange(perm, from, Math.min(from + batchSize, size));
  }

  /**
   * The full permutation of an epoch.
   *
   * @param epoch the epoch
   * @return a fresh array, never null
   */
  public int[] order(long epoch) {
    return permutation(epoch).clone();
  }

  private int[] permutation(long epoch) {
    Cached c = cache;
    if (c == null || c.epoch != epoch) {
      c = new Cached(epoch, SplitMix64.permutation(size, dataSeeds.seed(SeedPurpose.DATA_ORDER, epoch)));
      cache = c;
    }
    return c.permutation;
  }
}
