package dev.ce4j.train.sampling;

import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Batches in which no text appears twice, as sentence-transformers' {@code
 * NoDuplicatesBatchSampler}: for losses with in-batch negatives, where a duplicate would be a
 * false negative.
 *
 * <p>Per epoch, the indices are shuffled as by {@link RandomBatchSampler} (same seed); then, while
 * indices remain, one batch is filled by scanning the remaining indices in order and taking each
 * whose texts are all new to the batch, until it is full. Skipped indices stay in place for later
 * batches. A batch that cannot be filled (the scan reaches the end) is kept, unless {@code
 * dropLast}, and its indices are consumed either way; so several short batches can end an epoch
 * whose remaining examples share texts. The batches of an epoch are computed together and cached.
 *
 * <p>Thread-safe.
 */
public final class NoDuplicatesBatchSampler implements BatchSampler {
  private final int size;
  private final int batchSize;
  private final boolean dropLast;
  private final SeedStrategy dataSeeds;
  private final List<Set<String>> texts;
  private volatile Cached cache;

  private record Cached(long epoch, List<int[]> batches) {}

  /**
   * Creates a sampler.
   *
   * @param size the dataset size, at least 0
   * @param texts the texts of example {@code i}, never null; read once, here
   * @param batchSize examples per batch, at least 1
   * @param dropLast whether batches that could not be filled are dropped
   * @param dataSeeds the seed strategy of the data order, never null
   */
  public NoDuplicatesBatchSampler(
      int size, IntFunction<? extends Collection<String>> texts, int batchSize, boolean dropLast, SeedStrategy dataSeeds) {
    if (size < 0 || batchSize < 1) {
      throw new IllegalArgumentException("size must be >= 0 and batchSize >= 1, got " + size + ", " + batchSize);
    }
    this.size = size;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.dataSeeds = Objects.requireNonNull(dataSeeds, "dataSeeds");
    List<Set<String>> t = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      t.add(Set.copyOf(new HashSet<>(texts.apply(i))));
    }
    this.texts = t;
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
    return plan(epoch).size();
  }

  @Override
  public int[] batch(long epoch, int batchIndex) {
    List<int[]> plan = plan(epoch);
    if (batchIndex < 0 || batchIndex >= plan.size()) {
      throw new IndexOutOfBoundsException(
          "batch " + batchIndex + " of epoch " + epoch + " (the epoch has " + plan.size() + ")");
    }
    return plan.get(batchIndex).clone();
  }

  private List<int[]> plan(long epoch) {
    Cached c = cache;
    if (c == null || c.epoch != epoch) {
      c = new Cached(epoch, computePlan(epoch));
      cache = c;
    }
    return c.batches;
  }

  private List<int[]> computePlan(long epoch) {
    int[] perm = SplitMix64.permutation(size, dataSeeds.seed(SeedPurpose.DATA_ORDER, epoch));
    LinkedHashSet<Integer> remaining = new LinkedHashSet<>();
    for (int i : perm) {
      remaining.add(i);
    }
    List<int[]> out = new ArrayList<>();
    while (!remaining.isEmpty()) {
      Set<String> seen = new HashSet<>();
      List<Integer> batch = new ArrayList<>(batchSize);
      boolean full = false;
      for (int index : remaining) {
        Set<String> t = texts.get(index);
        if (!java.util.Collections.disjoint(t, seen)) {
          continue;
        }
        batch.add(index);
        if (batch.size() == batchSize) {
          full = true;
          break;
        }
        seen.addAll(t);
      }
      if (full || !dropLast) {
        out.add(batch.stream().mapToInt(Integer::intValue).toArray());
      }
      batch.forEach(remaining::remove);
    }
    return List.copyOf(out);
  }
}
