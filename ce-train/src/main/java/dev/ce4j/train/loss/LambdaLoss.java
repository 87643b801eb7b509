package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * sentence-transformers' {@code LambdaLoss} (the LambdaLoss framework of Wang et al., CIKM 2018,
 * as in allRank), with NDCG-Loss2++ weighting by default.
 *
 * <p>Per query, the documents are sorted by logit (descending; ties keep input order). For every
 * pair {@code (i, j)} of sorted positions with {@code label_i > label_j} (any real pair for {@link
 * WeightingScheme#NDCG_LOSS1}), both within the first {@code k}: {@code l_ij = -log_b(clamp(
 * clamp(sigmoid(sigma (x_i - x_j)), eps) ^ w_ij, eps))} with {@code b} 2 (binary, the default) or
 * e, and {@code w_ij} the scheme's weight built from {@code gain = (2^label - 1) / maxDCG@k} and
 * {@code discount = log2(1 + position)}. The loss is the mean of {@code l_ij} over all such pairs
 * of the batch. Gradients flow through the logits only (the sort order and weights are
 * constants), as in PyTorch. When the batch has no such pair (all labels equal) the loss is 0
 * with gradient 0; sentence-transformers returns NaN there.
 *
 * <p>Hand-worked, RankNet weighting (every {@code w = 1}), logits {@code [0, 0]}, labels {@code
 * [1, 0]}: one pair, {@code -log2(sigmoid(0)) = 1}; gradient {@code -(1 - sigmoid(0)) / ln 2 =
 * -0.721348} for the relevant document and {@code +0.721348} for the other. Immutable,
 * thread-safe.
 */
public class LambdaLoss implements Loss {
  /** The id. */
  public static final String ID = "lambda";

  /** sentence-transformers' default {@code mu} of NDCG-Loss2++. */
  public static final double DEFAULT_MU = 10.0;

  private static final float PAD_LOGIT = -1e16f;

  private final WeightingScheme scheme;
  private final double mu;
  private final Integer k;
  private final double sigma;
  private final double eps;
  private final boolean binaryLog;
  private final ScoreActivation activation;

  /** The loss with sentence-transformers' defaults: NDCG-Loss2++ (mu 10), all documents,
   * sigma 1, eps 1e-10, binary log, identity activation. */
  public LambdaLoss() {
    this(WeightingScheme.NDCG_LOSS2_PP, DEFAULT_MU, null, 1.0, 1e-10, true,
        ScoreActivation.IDENTITY);
  }

  /**
   * The loss with parameters.
   *
   * @param scheme the weighting scheme, never null
   * @param mu the weight of NDCG-Loss2 in NDCG-Loss2++ (ignored by other schemes), finite
   * @param k only pairs within the first {@code k} predicted positions count (NDCG@k), at least
   *     1, or null for all
   * @param sigma the slope of the sigmoid, finite
   * @param eps the lower clamp of probabilities, positive
   * @param binaryLog true for {@code log2} (sentence-transformers' {@code "binary"}), false for
   *     the natural log
   * @param activation applied to the logits first, never null
   */
  public LambdaLoss(
      WeightingScheme scheme,
      double mu,
      Integer k,
      double sigma,
      double eps,
      boolean binaryLog,
      ScoreActivation activation) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.activation = Objects.requireNonNull(activation, "activation");
    if (!Double.isFinite(mu) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("mu and sigma must be finite, got " + mu + ", " + sigma);
    }
    if (!(eps > 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
    }
    if (k != null && k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.mu = mu;
    this.k = k;
    this.sigma = sigma;
    this.eps = eps;
    this.binaryLog = binaryLog;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public LossInput input() {
    return LossInput.LISTWISE;
  }

  /** Relevance grades of at least 0 (the gains are {@code 2^label - 1}); also for ranknet. */
  @Override
  public LabelDomain labelDomain() {
    return LabelDomain.NON_NEGATIVE;
  }

  @Override
  public Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("weighting_scheme", scheme.id());
    if (scheme == WeightingScheme.NDCG_LOSS2_PP) {
      p.put("mu", String.valueOf(mu));
    }
    p.put("k", String.valueOf(k));
    p.put("sigma", String.valueOf(sigma));
    p.put("eps", String.valueOf(eps));
    p.put("reduction_log", binaryLog ? "binary" : "natural");
    p.put("activation_fn", activation.className());
    return Collections.unmodifiableMap(p);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    String id = id();
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, id));
    NDManager m = x.getManager();
    Shape shape = x.getShape();
    int d = (int) shape.get(1);
    NDArray y = LossSupport.floatLabels(labels, shape, id);
    NDArray valid = LossSupport.mask(mask, shape, m, id);
    boolean[][] rows = LossSupport.hostMask(valid, id);

    NDArray xs = LossSupport.where(valid, x, m.full(shape, PAD_LOGIT));
    NDArray ys = LossSupport.where(valid, y, m.full(shape, Float.NEGATIVE_INFINITY));
    NDArray byPrediction = m.create(LossSupport.order(rows, xs.toFloatArray()), shape);
    NDArray logitsSorted = xs.gather(byPrediction, 1);
    NDArray trueSorted = ys.gather(byPrediction, 1);
    NDArray labelsSorted = ys.sort(1).flip(1);

    NDArray trueDiffs = trueSorted.expandDims(2).sub(trueSorted.expandDims(1));
    NDArray pairs = trueDiffs.isInfinite().logicalOr(trueDiffs.isNaN()).logicalNot();
    if (scheme != WeightingScheme.NDCG_LOSS1) {
      pairs = pairs.logicalAnd(trueDiffs.gt(0f));
    }
    int topK = k == null ? d : Math.min(k, d);
    boolean[] atK = new boolean[d * d];
    for (int i = 0; i < topK; i++) {
      for (int j = 0; j < topK; j++) {
        atK[i * d + j] = true;
      }
    }
    pairs = pairs.logicalAnd(m.create(atK, new Shape(d, d)));
    long count = pairs.toType(DataType.INT64, false).sum().getLong();
    if (count == 0) {
      return x.sum().mul(x.getManager().create(0f));
    }

    trueSorted = trueSorted.clip(0f, Float.POSITIVE_INFINITY);
    labelsSorted = labelsSorted.clip(0f, Float.POSITIVE_INFINITY);
    NDArray discount =
        m.arange(1, d + 1, 1, DataType.INT64).toType(DataType.FLOAT32, false).add(1f).log2()
            .reshape(1, d);
    NDArray two = m.create(2f);
    NDArray maxDcg =
        two.pow(labelsSorted).sub(1f).div(discount).get(new NDIndex(":, :" + topK))
            .sum(new int[] {1})
            .clip((float) eps, Float.POSITIVE_INFINITY);
    NDArray gain = two.pow(trueSorted).sub(1f).div(maxDcg.expandDims(1));
    NDArray weights = weights(m, gain, discount, d);

    NDArray diffs = logitsSorted.expandDims(2).sub(logitsSorted.expandDims(1)).clip(-1e8f, 1e8f);
    diffs = LossSupport.where(diffs.isNaN(), m.zeros(diffs.getShape()), diffs);
    NDArray probas = Activation.sigmoid(diffs.mul(diffs.getManager().create((float) sigma)))
        .clip((float) eps, Float.POSITIVE_INFINITY);
    if (weights != null) {
      probas = probas.pow(weights);
    }
    probas = probas.clip((float) eps, Float.POSITIVE_INFINITY);
    NDArray losses = binaryLog ? probas.log2() : probas.log();
    return losses.get(pairs).mean().neg();
  }

  /** The scheme's weights, broadcastable to {@code [B, D, D]}; null for all ones. */
  private NDArray weights(NDManager m, NDArray gain, NDArray discount, int d) {
    return switch (scheme) {
      case NONE -> null;
      case NDCG_LOSS1 -> gain.div(discount).expandDims(2);
      case NDCG_LOSS2 -> ndcgLoss2(m, gain, discount, d);
      case LAMBDA_RANK -> lambdaRank(gain, discount);
      case NDCG_LOSS2_PP -> ndcgLoss2(m, gain, discount, d).mul(m.create((float) mu))
          .add(lambdaRank(gain, discount));
    };
  }

  private static NDArray lambdaRank(NDArray gain, NDArray discount) {
    NDArray inv = discount.pow(-1f);
    return inv.expandDims(2).sub(inv.expandDims(1)).abs()
        .mul(gain.expandDims(2).sub(gain.expandDims(1)).abs());
  }

  private static NDArray ndcgLoss2(NDManager m, NDArray gain, NDArray discount, int d) {
    long[] lower = new long[d * d];
    long[] upper = new long[d * d];
    boolean[] offDiagonal = new boolean[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        int delta = Math.abs(i - j);
        // torch indexes discount[0, delta - 1]; delta 0 wraps to the last entry (then zeroed)
        lower[i * d + j] = delta == 0 ? d - 1 : delta - 1;
        upper[i * d + j] = delta;
        offDiagonal[i * d + j] = i != j;
      }
    }
    NDArray disc = discount.reshape(d);
    Shape square = new Shape(d, d);
    NDArray deltas = disc.take(m.create(lower, square)).abs().pow(-1f)
        .sub(disc.take(m.create(upper, square)).abs().pow(-1f)).abs();
    deltas = LossSupport.where(m.create(offDiagonal, square), deltas, m.zeros(square));
    return deltas.expandDims(0).mul(gain.expandDims(2).sub(gain.expandDims(1)).abs());
  }
}
