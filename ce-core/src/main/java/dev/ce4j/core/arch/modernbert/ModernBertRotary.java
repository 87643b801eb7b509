package dev.ce4j.core.arch.modernbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ModernBERT's rotary position embedding for one theta and one batch: the cosine and sine tables
 * {@code [tokens, head]} of positions 0 to {@code tokens - 1}, and their application to queries and
 * keys, {@code x cos + rotate_half(x) sin} with {@code rotate_half(x) = cat(-x2, x1)}.
 *
 * <p>The tables are computed as transformers computes them, in float32: {@code inv_freq[i] = 1 /
 * theta^(2i / head)} (the exponent and the power rounded to float), the angle {@code inv_freq[i] *
 * position} rounded to float, repeated for the two halves of the head, its cosine and sine rounded to
 * float. They are computed in Java (so the same on every platform) and cached per theta and width
 * for the longest sequence seen, so a batch only copies a prefix.
 */
final class ModernBertRotary {
  private static final Map<String, float[][]> CACHE = new ConcurrentHashMap<>();

  private final NDArray cos;
  private final NDArray sin;

  /**
   * The tables for one batch, in the batch's manager.
   *
   * @param manager the batch's manager
   * @param theta the rotary theta
   * @param head the head width, even
   * @param tokens the sequence length
   */
  ModernBertRotary(NDManager manager, double theta, int head, long tokens) {
    int t = Math.toIntExact(tokens);
    float[][] tables = tables(theta, head, t);
    Shape shape = new Shape(t, head);
    this.cos = manager.create(java.nio.FloatBuffer.wrap(tables[0], 0, t * head), shape);
    this.sin = manager.create(java.nio.FloatBuffer.wrap(tables[1], 0, t * head), shape);
  }

  /** The cosine table {@code [tokens, head]}. */
  NDArray cos() {
    return cos;
  }

  /** The sine table {@code [tokens, head]}. */
  NDArray sin() {
    return sin;
  }

  /**
   * Rotates queries or keys.
   *
   * @param x {@code [batch, heads, tokens, head]}
   * @return the rotated array, same shape, in {@code x}'s manager
   */
  NDArray apply(NDArray x) {
    NDList halves = x.split(2, 3);
    NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
    return x.mul(cos).add(rotated.mul(sin));
  }

  /**
   * The cosine and sine tables of positions 0 to at least {@code tokens - 1}, row-major {@code
   * [positions, head]}.
   *
   * @param theta the rotary theta, positive
   * @param head the head width, even
   * @param tokens the positions needed
   * @return {cos, sin}, each of at least {@code tokens * head} values
   */
  static float[][] tables(double theta, int head, int tokens) {
    String key = theta + "/" + head;
    float[][] cached = CACHE.get(key);
    if (cached != null && cached[0].length >= tokens * head) {
      return cached;
    }
    int half = head / 2;
    float[] inv = new float[half];
    for (int i = 0; i < half; i++) {
      float exponent = (float) (2 * i) / (float) head;
      inv[i] = 1f / (float) StrictMath.pow((float) theta, exponent);
    }
    float[] c = new float[tokens * head];
    float[] s = new float[tokens * head];
    for (int p = 0; p < tokens; p++) {
      for (int i = 0; i < half; i++) {
        float angle = inv[i] * (float) p;
        float cv = (float) StrictMath.cos(angle);
        float sv = (float) StrictMath.sin(angle);
        int row = p * head;
        c[row + i] = cv;
        c[row + half + i] = cv;
        s[row + i] = sv;
        s[row + half + i] = sv;
      }
    }
    float[][] fresh = {c, s};
    CACHE.merge(key, fresh, (a, b) -> a[0].length >= b[0].length ? a : b);
    return fresh;
  }
}
