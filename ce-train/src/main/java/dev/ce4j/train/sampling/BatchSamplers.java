package dev.ce4j.train.sampling;

import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.train.config.SamplerType;
import java.util.Collection;
import java.util.function.IntFunction;

/** Creates the sampler a configuration names. Stateless and thread-safe. */
public final class BatchSamplers {
  private BatchSamplers() {}

  /**
   * A sampler of the given type that keeps the last short batch.
   *
   * @param type the sampler type, never null
   * @param size the dataset size
   * @param texts the texts of example {@code i} (read only by {@link SamplerType#NO_DUPLICATES} and
   *     {@link SamplerType#GROUP_BY_LENGTH}),
   *     never null
   * @param batchSize examples per batch, at least 1
   * @param dataSeeds the seed strategy of the data order (built on the run's data seed), never null
   * @return the sampler, never null
   */
  public static BatchSampler create(
      SamplerType type, int size, IntFunction<? extends Collection<String>> texts, int batchSize, SeedStrategy dataSeeds) {
    return switch (type) {
      case RANDOM -> new RandomBatchSampler(size, batchSize, false, dataSeeds);
      case NO_DUPLICATES -> new NoDuplicatesBatchSampler(size, texts, batchSize, false, dataSeeds);
      case GROUP_BY_LENGTH -> new LengthGroupedBatchSampler(size, texts, batchSize, false, dataSeeds);
    };
  }
}
