package dev.ce4j.train.optim;

import dev.ce4j.core.model.FloatTensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * AdamW's state for one parameter, in Java memory: what {@code torch.optim.AdamW} keeps as {@code
 * state[p]}.
 *
 * @param step the number of updates this parameter has had, at least 1
 * @param expAvg the first moment, never null, of the parameter's shape; not copied
 * @param expAvgSq the second moment, never null, of the parameter's shape; not copied
 */
public record ParameterState(long step, FloatTensor expAvg, FloatTensor expAvgSq) {
  /** Validates the step count and that both moments have one shape. */
  public ParameterState {
    Objects.requireNonNull(expAvg, "expAvg");
    Objects.requireNonNull(expAvgSq, "expAvgSq");
    if (step < 1) {
      throw new IllegalArgumentException("step must be at least 1, got " + step);
    }
    if (!Arrays.equals(expAvg.shape(), expAvgSq.shape())) {
      throw new IllegalArgumentException(
          "exp_avg has shape "
              + Arrays.toString(expAvg.shape())
              + " but exp_avg_sq has shape "
              + Arrays.toString(expAvgSq.shape()));
    }
  }

  /**
   * Whether two states hold the same step count and bitwise identical moments.
   *
   * @param other another state, never null
   * @return true if equal bit for bit
   */
  public boolean bitwiseEquals(ParameterState other) {
    return step == other.step
        && expAvg.bitwiseEquals(other.expAvg)
        && expAvgSq.bitwiseEquals(other.expAvgSq);
  }
}
