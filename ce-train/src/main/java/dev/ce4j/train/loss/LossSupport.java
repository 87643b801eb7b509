package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Arrays;
import java.util.Objects;

/** Shape checks and shared pieces of the losses. Stateless, thread-safe. */
final class LossSupport {
  private LossSupport() {}

  static NDArray activate(ScoreActivation activation, NDArray x) {
    return switch (activation) {
      case IDENTITY -> x;
      case SIGMOID -> Activation.sigmoid(x);
      case TANH -> x.tanh();
    };
  }

  static void requireFloat(NDArray logits, String loss) {
    Objects.requireNonNull(logits, "logits");
    if (logits.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(loss + ": logits must be FLOAT32, got "
          + logits.getDataType());
    }
  }

  /** Logits {@code [B]} or {@code [B, 1]} as {@code [B]}. */
  static NDArray pointwiseLogits(NDArray logits, String loss) {
    requireFloat(logits, loss);
    Shape s = logits.getShape();
    if (s.dimension() == 1) {
      return logits;
    }
    if (s.dimension() == 2 && s.get(1) == 1) {
      return logits.reshape(s.get(0));
    }
    throw new IllegalArgumentException(loss + ": logits must be [B] or [B, 1], got " + s);
  }

  static NDArray matrixLogits(NDArray logits, String loss) {
    requireFloat(logits, loss);
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException(loss + ": logits must be [B, N], got "
          + logits.getShape());
    }
    return logits;
  }

  /** Labels of exactly {@code shape}, as float32 (on the logits' device). */
  static NDArray floatLabels(NDArray labels, Shape shape, String loss) {
    Objects.requireNonNull(labels, () -> loss + ": labels are required");
    if (!labels.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          loss + ": labels must have shape " + shape + ", got " + labels.getShape());
    }
    return labels.toType(DataType.FLOAT32, false);
  }

  /** The mask as a boolean array of {@code shape}, all true when null. */
  static NDArray mask(NDArray mask, Shape shape, NDManager manager, String loss) {
    if (mask == null) {
      return manager.ones(shape, DataType.BOOLEAN);
    }
    if (!mask.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          loss + ": mask must have shape " + shape + ", got " + mask.getShape());
    }
    return mask.toType(DataType.BOOLEAN, false);
  }

  /** The mask on the host, row by row; every row must have a real document. */
  static boolean[][] hostMask(NDArray mask, String loss) {
    Shape s = mask.getShape();
    int b = (int) s.get(0);
    int d = (int) s.get(1);
    boolean[] flat = mask.toBooleanArray();
    boolean[][] rows = new boolean[b][d];
    for (int i = 0; i < b; i++) {
      boolean any = false;
      for (int j = 0; j < d; j++) {
        rows[i][j] = flat[i * d + j];
        any |= rows[i][j];
      }
      if (!any) {
        throw new IllegalArgumentException(loss + ": row " + i + " of the batch has no document");
      }
    }
    return rows;
  }

  /**
   * Per row, the cell indices with the real cells first, ordered by {@code key} descending (ties
   * in input order) when {@code key} is not null, else in input order; then the padded cells.
   */
  static long[] order(boolean[][] mask, float[] key) {
    int b = mask.length;
    int d = mask[0].length;
    long[] out = new long[b * d];
    for (int i = 0; i < b; i++) {
      Integer[] idx = new Integer[d];
      for (int j = 0; j < d; j++) {
        idx[j] = j;
      }
      final int row = i;
      Arrays.sort(
          idx,
          (x, y) -> {
            boolean vx = mask[row][x];
            boolean vy = mask[row][y];
            if (vx != vy) {
              return vx ? -1 : 1;
            }
            if (key != null && vx) {
              int c = Float.compare(key[row * d + y], key[row * d + x]);
              if (c != 0) {
                return c;
              }
            }
            return Integer.compare(x, y);
          });
      for (int j = 0; j < d; j++) {
        out[i * d + j] = idx[j];
      }
    }
    return out;
  }

  /**
   * {@code nn.BCEWithLogitsLoss} with mean reduction: {@code (1 - t) x + w softplus(-x)} with
   * {@code w = (pos_weight - 1) t + 1} (1 without a positive weight).
   */
  static NDArray bceWithLogits(NDArray x, NDArray t, NDArray posWeight) {
    NDArray softplus = Activation.softPlus(x.neg());
    NDArray weighted =
        posWeight == null ? softplus : posWeight.sub(1f).mul(t).add(1f).mul(softplus);
    return t.neg().add(1f).mul(x).add(weighted).mean();
  }

  /** {@code -mean(log_softmax(x)[row, target])} over rows, targets as int64 {@code [B]}. */
  static NDArray crossEntropy(NDArray x, NDArray targets) {
    long b = x.getShape().get(0);
    NDArray picked = x.logSoftmax(1).gather(targets.reshape(b, 1), 1);
    return picked.mean().neg();
  }

  static NDArray where(NDArray condition, NDArray a, NDArray b) {
    return NDArrays.where(condition, a, b);
  }
}
