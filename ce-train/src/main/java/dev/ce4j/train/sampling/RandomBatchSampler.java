package dev.ce4j.train.sampling;

import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import java.util.Objects;

/**
 * Shuffles the dataset once per epoch and cuts the permutation into consecutive batches. The
 * permutation of epoch {@code e} is {@link SplitMix64#permutation(int, long)} with seed {@code
 * dataSeeds.seed(SeedPurpose.DATA_ORDER, e)}; pass a strategy built on the run's data seed.
 *
 * <p>Thread-safe.
 */
public final class RandomBatchSampler extends OrderedBatchSampler {
  private final SeedStrategy dataSeeds;

  /**
   * Creates a sampler.
   *
   * @param size the dataset size, at least 0
   * @param batchSize examples per batch, at least 1
   * @param dropLast whether a final batch smaller than {@code batchSize} is dropped
   * @param dataSeeds the seed strategy of the data order, never null
   */
  public RandomBatchSampler(int size, int batchSize, boolean dropLast, SeedStrategy dataSeeds) {
    super(size, batchSize, dropLast);
    this.dataSeeds = Objects.requireNonNull(dataSeeds, "dataSeeds");
  }

  /**
   * The full permutation of an epoch.
   *
   * @param epoch the epoch
   * @return a fresh array, never null
   */
  public int[] order(long epoch) {
    return cachedOrder(epoch).clone();
  }

  @Override
  int[] computeOrder(long epoch) {
    return SplitMix64.permutation(size(), dataSeeds.seed(SeedPurpose.DATA_ORDER, epoch));
  }
}
