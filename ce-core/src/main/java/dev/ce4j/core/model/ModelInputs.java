package dev.ce4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One batch of model inputs: INT64 arrays of shape {@code [batch, tokens]} on the model's device.
 *
 * <p>The arrays belong to the caller's manager; outputs computed from them land in that manager too
 * (a DJL result lives in its first operand's manager), so running a batch inside a sub-manager and
 * closing it frees everything the forward pass made. Immutable reference holder; thread-safety is
 * that of the arrays.
 *
 * @param inputIds token ids, never null
 * @param tokenTypeIds segment ids (0 for the first text, 1 for the second), never null
 * @param attentionMask 1 for real tokens, 0 for padding, never null
 */
public record ModelInputs(NDArray inputIds, NDArray tokenTypeIds, NDArray attentionMask) {
  /** Validates that the three arrays are 2-D and of one shape. */
  public ModelInputs {
    Objects.requireNonNull(inputIds, "inputIds");
    Objects.requireNonNull(tokenTypeIds, "tokenTypeIds");
    Objects.requireNonNull(attentionMask, "attentionMask");
    Shape s = inputIds.getShape();
    if (s.dimension() != 2) {
      throw new IllegalArgumentException("inputIds must be [batch, tokens], got " + s);
    }
    if (!tokenTypeIds.getShape().equals(s) || !attentionMask.getShape().equals(s)) {
      throw new IllegalArgumentException(
          "inputIds "
              + s
              + ", tokenTypeIds "
              + tokenTypeIds.getShape()
              + " and attentionMask "
              + attentionMask.getShape()
              + " must have one shape");
    }
  }

  /**
   * Creates inputs from Java arrays on a manager's device.
   *
   * @param manager the manager that will own the arrays, never null
   * @param inputIds token ids, rectangular, never null
   * @param tokenTypeIds segment ids, same shape, never null
   * @param attentionMask 1 or 0 per token, same shape, never null
   * @return the inputs, never null
   * @throws IllegalArgumentException if the arrays are empty or not all of one rectangular shape
   */
  public static ModelInputs of(
      NDManager manager, long[][] inputIds, long[][] tokenTypeIds, long[][] attentionMask) {
    int b = inputIds.length;
    if (b == 0 || inputIds[0].length == 0) {
      throw new IllegalArgumentException("inputs must have at least one row and one token");
    }
    int t = inputIds[0].length;
    return new ModelInputs(
        manager.create(flatten(inputIds, b, t, "inputIds"), new Shape(b, t)),
        manager.create(flatten(tokenTypeIds, b, t, "tokenTypeIds"), new Shape(b, t)),
        manager.create(flatten(attentionMask, b, t, "attentionMask"), new Shape(b, t)));
  }

  /**
   * The batch size.
   *
   * @return the number of rows
   */
  public long batchSize() {
    return inputIds.getShape().get(0);
  }

  /**
   * The padded sequence length.
   *
   * @return the number of tokens per row
   */
  public long sequenceLength() {
    return inputIds.getShape().get(1);
  }

  /**
   * Whether any token is padding (attention mask 0); reads one value back from the device.
   *
   * @return true when the batch needs an attention mask
   */
  public boolean padded() {
    return attentionMask.min().getLong() == 0;
  }

  private static long[] flatten(long[][] rows, int b, int t, String what) {
    if (rows.length != b) {
      throw new IllegalArgumentException(what + " has " + rows.length + " rows, expected " + b);
    }
    long[] flat = new long[b * t];
    for (int i = 0; i < b; i++) {
      if (rows[i].length != t) {
        throw new IllegalArgumentException(
            what + " row " + i + " has " + rows[i].length + " tokens, expected " + t);
      }
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    return flat;
  }
}
