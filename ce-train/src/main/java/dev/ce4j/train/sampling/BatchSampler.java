package dev.ce4j.train.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups the indices {@code 0..size()-1} of a dataset into batches, epoch by epoch.
 *
 * <p>Stateless: {@link #batch(long, int)} is a pure function of its arguments and the sampler's
 * construction, so resuming at a {@link DataPosition} yields exactly the batches an uninterrupted
 * run would have seen. Implementations are thread-safe.
 */
public interface BatchSampler {

  /**
   * The number of examples sampled from.
   *
   * @return the dataset size
   */
  int size();

  /**
   * The most examples per batch.
   *
   * @return the batch size, at least 1
   */
  int batchSize();

  /**
   * The number of batches in an epoch.
   *
   * @param epoch the epoch, from 0
   * @return the count, at least 0
   */
  int batchCount(long epoch);

  /**
   * One batch.
   *
   * @param epoch the epoch, from 0
   * @param batchIndex the batch, from 0 to {@code batchCount(epoch) - 1}
   * @return dataset indices, a fresh array, never null or empty
   * @throws IndexOutOfBoundsException if {@code batchIndex} is out of range
   */
  int[] batch(long epoch, int batchIndex);

  /**
   * Every batch of an epoch, in order.
   *
   * @param epoch the epoch
   * @return the batches, never null
   */
  default List<int[]> epoch(long epoch) {
    int n = batchCount(epoch);
    List<int[]> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      out.add(batch(epoch, b));
    }
    return out;
  }

  /**
   * The position after {@code p}: the next batch of the epoch, or batch 0 of the next epoch.
   *
   * @param p a position, never null
   * @return the next position, never null
   */
  default DataPosition next(DataPosition p) {
    return p.batchIndex() + 1 < batchCount(p.epoch())
        ? new DataPosition(p.epoch(), p.batchIndex() + 1)
        : new DataPosition(p.epoch() + 1, 0);
  }
}
