package dev.ce4j.train.sampling;

/**
 * A position in the stream of training batches: the next batch to train is batch {@code
 * batchIndex} of epoch {@code epoch}. Saved in checkpoints; a resumed run starts here.
 *
 * @param epoch the epoch, from 0
 * @param batchIndex the batch within the epoch, from 0
 */
public record DataPosition(long epoch, int batchIndex) {
  /** The start of training. */
  public static final DataPosition START = new DataPosition(0, 0);

  /** Validates. */
  public DataPosition {
    if (epoch < 0 || batchIndex < 0) {
      throw new IllegalArgumentException("epoch and batchIndex must be >= 0, got " + epoch + ", " + batchIndex);
    }
  }
}
