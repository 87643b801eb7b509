package dev.ce4j.train.sampling;

import java.util.Arrays;

/**
 * A sampler that puts the dataset in an order once per epoch and cuts the order into consecutive
 * batches; the subclass says what the order is. The last epoch's order is cached.
 *
 * <p>Thread-safe when {@link #order(long)} is a pure function of the epoch.
 */
abstract class OrderedBatchSampler implements BatchSampler {
  private final int size;
  private final int batchSize;
  private final boolean dropLast;
  private volatile Cached cache;

  private record Cached(long epoch, int[] order) {}

  /**
   * Creates a sampler.
   *
   * @param size the dataset size, at least 0
   * @param batchSize examples per batch, at least 1
   * @param dropLast whether a final batch smaller than {@code batchSize} is dropped
   */
  OrderedBatchSampler(int size, int batchSize, boolean dropLast) {
    if (size < 0 || batchSize < 1) {
      throw new IllegalArgumentException("size must be >= 0 and batchSize >= 1, got " + size + ", " + batchSize);
    }
    this.size = size;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  /**
   * The order of an epoch, computed at most once per epoch in a row.
   *
   * @param epoch the epoch
   * @return a permutation of {@code 0..size()-1}, never null; not to be modified
   */
  abstract int[] computeOrder(long epoch);

  @Override
  public final int size() {
    return size;
  }

  @Override
  public final int batchSize() {
    return batchSize;
  }

  @Override
  public final int batchCount(long epoch) {
    return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
  }

  @Override
  public final int[] batch(long epoch, int batchIndex) {
    if (batchIndex < 0 || batchIndex >= batchCount(epoch)) {
      throw new IndexOutOfBoundsException(
          "batch " + batchIndex + " of epoch " + epoch + " (the epoch has " + batchCount(epoch) + ")");
    }
    int[] order = cachedOrder(epoch);
    int from = batchIndex * batchSize;
    return Arrays.copyOfRange(order, from, Math.min(from + batchSize, size));
  }

  /**
   * The order of an epoch, from the cache when it is the last epoch asked for.
   *
   * @param epoch the epoch
   * @return the order, never null; not to be modified
   */
  final int[] cachedOrder(long epoch) {
    Cached c = cache;
    if (c == null || c.epoch != epoch) {
      c = new Cached(epoch, computeOrder(epoch));
      cache = c;
    }
    return c.order;
  }
}
