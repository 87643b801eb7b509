package dev.ce4j.core.arch.deberta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The relative positions of DeBERTa's disentangled attention for a sequence of {@code t} tokens,
 * built once per batch (not per layer or head) as the gather indices of the c2p and p2c terms.
 *
 * <p>The relative position of query {@code i} and key {@code j} is {@code i - j}; with {@code
 * position_buckets} it is log-bucketed as transformers' {@code make_log_bucket_position} does, in
 * float32 with the engine's own {@code log} and {@code ceil} (distances below half the buckets stay
 * exact, longer ones are bucketed logarithmically up to {@code max_relative_positions}). The c2p
 * index is {@code clamp(rel + k, 0, 2k - 1)} and the p2c index {@code clamp(-rel + k, 0, 2k - 1)},
 * {@code k} the attention span. Stateless and thread-safe.
 */
final class DebertaV2Positions {
  private DebertaV2Positions() {}

  /**
   * The relative positions {@code [t, t]} (int64), bucketed when the configuration has buckets.
   *
   * @param config the configuration, never null
   * @param t the sequence length, at least 1
   * @param m where the result lands, never null
   * @return the positions, never null
   */
  static NDArray relative(DebertaV2Config config, long t, NDManager m) {
    NDArray ids = m.arange(0, (int) t, 1, DataType.INT64);
    NDArray rel = ids.reshape(t, 1).sub(ids.reshape(1, t));
    int buckets = config.positionBuckets();
    if (buckets <= 0) {
      return rel;
    }
    int mid = buckets / 2;
    int maxPosition = config.effectiveMaxRelativePositions();
    NDArray sign = rel.sign().toType(DataType.FLOAT32, false);
    NDArray inner = rel.lt(mid).logicalAnd(rel.gt(-mid));
    NDArray abs = NDArrays.where(inner, m.full(rel.getShape(), (long) (mid - 1)), rel.abs());
    // transformers: ceil(log(abs / mid) / log(tensor((max_position - 1) / mid)) * (mid - 1)) + mid,
    // every step in float32 (the Python quotient is rounded to float32 by torch.tensor)
    NDArray denominator = m.create((float) ((maxPosition - 1) / (double) mid)).log();
    NDArray logPos = abs.toType(DataType.FLOAT32, false)
        .div(m.create((float) mid))
        .log()
        .div(denominator)
        .mul(m.create((float) (mid - 1)))
        .ceil()
        .add(m.create((float) mid));
    NDArray bucketed = NDArrays.where(abs.lte(mid), rel.toType(DataType.FLOAT32, false), logPos.mul(sign));
    return bucketed.toType(DataType.INT64, false);
  }

  /**
   * The c2p gather index {@code clamp(rel + k, 0, 2k - 1)}.
   *
   * @param rel the relative positions, never null
   * @param span the attention span {@code k}
   * @return the index {@code [t, t]}, never null
   */
  static NDArray c2pIndex(NDArray rel, int span) {
    return rel.add(span).clip(0, 2L * span - 1);
  }

  /**
   * The p2c gather index {@code clamp(-rel + k, 0, 2k - 1)}.
   *
   * @param rel the relative positions, never null
   * @param span the attention span {@code k}
   * @return the index {@code [t, t]}, never null
   */
  static NDArray p2cIndex(NDArray rel, int span) {
    return rel.neg().add(span).clip(0, 2L * span - 1);
  }
}
