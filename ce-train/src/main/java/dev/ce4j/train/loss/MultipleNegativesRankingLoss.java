package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * sentence-transformers' cross-encoder {@code MultipleNegativesRankingLoss}: for each query, the
 * positive document must outscore negatives taken from the other queries of the batch (and any
 * hard negatives): cross-entropy with target 0 over {@code scale * activation(logits)}.
 *
 * <p>Logits {@code [B, 1 + K]}: column 0 the query's positive pair, the other columns its
 * negatives; no labels. Which in-batch documents become negatives is the caller's choice, made with
 * {@link #sampleInBatchNegatives(int, int, Integer, RandomGenerator)} (seeded) as
 * sentence-transformers does with {@code torch.multinomial}. Defaults as sentence-transformers:
 * {@code scale = 10}, sigmoid activation, 4 in-batch negatives. Hand-worked: logits {@code [[0,
 * 0]]}, sigmoid, scale 10: both scores are 5, loss {@code log 2 = 0.693147}; gradient of the
 * positive {@code -0.5 * 10 * sigmoid'(0) = -1.25}, of the negative {@code +1.25}. Immutable,
 * thread-safe.
 */
public final class MultipleNegativesRankingLoss implements Loss {
  /** The id. */
  public static final String ID = "mnrl";

  /** sentence-transformers' default scale. */
  public static final double DEFAULT_SCALE = 10.0;

  /** sentence-transformers' default number of in-batch negatives per query. */
  public static final int DEFAULT_NUM_NEGATIVES = 4;

  private final double scale;
  private final ScoreActivation activation;
  private final Integer numNegatives;

  /** The loss with sentence-transformers' defaults: scale 10, sigmoid, 4 in-batch negatives. */
  public MultipleNegativesRankingLoss() {
    this(DEFAULT_SCALE, ScoreActivation.SIGMOID, DEFAULT_NUM_NEGATIVES);
  }

  /**
   * The loss with parameters.
   *
   * @param scale multiplies the activated logits; 0 means no scaling (as sentence-transformers'
   *     {@code if self.scale:}); finite
   * @param activation applied to the logits first, never null
   * @param numNegatives in-batch negatives per query, at least 1, or null for every other
   *     document of the batch (used by the trainer with {@link #sampleInBatchNegatives})
   */
  public MultipleNegativesRankingLoss(
      double scale, ScoreActivation activation, Integer numNegatives) {
    if (!Double.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be finite, got " + scale);
    }
    if (numNegatives != null && numNegatives < 1) {
      throw new IllegalArgumentException("num_negatives must be at least 1, got " + numNegatives);
    }
    this.scale = scale;
    this.activation = Objects.requireNonNull(activation, "activation");
    this.numNegatives = numNegatives;
  }

  /**
   * The number of in-batch negatives per query.
   *
   * @return the number, or null for all
   */
  public Integer numNegatives() {
    return numNegatives;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LossInput input() {
    return LossInput.POSITIVE_FIRST;
  }

  @Override
  public Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("scale", String.valueOf(scale));
    p.put("num_negatives", String.valueOf(numNegatives));
    p.put("activation_fn", activation.className());
    return Collections.unmodifiableMap(p);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, ID));
    if (x.getShape().get(1) < 2) {
      throw new IllegalArgumentException(
          ID + ": logits need a positive and at least one negative column, got " + x.getShape());
    }
    if (scale != 0) {
      // an array of the logits' manager, not mul(Number): DJL frees that scalar while autograd holds it
      x = x.mul(x.getManager().create((float) scale));
    }
    NDArray targets = x.getManager().zeros(new ai.djl.ndarray.types.Shape(x.getShape().get(0)),
        DataType.INT64);
    return LossSupport.crossEntropy(x, targets);
  }

  /**
   * Chooses in-batch negatives as sentence-transformers does: for query {@code i}, documents of
   * the other queries, drawn uniformly without replacement.
   *
   * <p>The batch's candidate documents are numbered column by column, as sentence-transformers
   * flattens them: candidate {@code c * batchSize + r} is column {@code c} (0: the positives,
   * then any hard-negative columns) of query {@code r}. Candidates of query {@code i} itself are
   * never chosen for it. With {@code numNegatives} null, or at least the number of candidates,
   * every candidate of the other queries is taken, in order; otherwise {@code numNegatives} (at
   * most the number available) are drawn with {@code random}.
   *
   * @param batchSize the number of queries, at least 1
   * @param numColumns the candidate documents per query (1 + hard negatives), at least 1
   * @param numNegatives negatives per query, at least 1, or null for all
   * @param random the seeded generator to draw from, never null (unused when taking all)
   * @return for each query, the candidate numbers of its negatives, never null
   */
  public static int[][] sampleInBatchNegatives(
      int batchSize, int numColumns, Integer numNegatives, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    if (batchSize < 1 || numColumns < 1) {
      throw new IllegalArgumentException(
          "batch size and columns must be at least 1, got " + batchSize + ", " + numColumns);
    }
    int total = batchSize * numColumns;
    int available = total - numColumns;
    int[][] out = new int[batchSize][];
    for (int i = 0; i < batchSize; i++) {
      int[] others = new int[available];
      int n = 0;
      for (int c = 0; c < total; c++) {
        if (c % batchSize != i) {
          others[n++] = c;
        }
      }
      if (numNegatives == null || numNegatives >= total) {
        out[i] = others;
        continue;
      }
      int k = Math.min(numNegatives, available);
      for (int j = 0; j < k; j++) {
        int pick = j + random.nextInt(available - j);
        int tmp = others[j];
        others[j] = others[pick];
        others[pick] = tmp;
      }
      out[i] = java.util.Arrays.copyOf(others, k);
    }
    return out;
  }
}
