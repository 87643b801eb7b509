package dev.ce4j.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * sentence-transformers' {@code ListMLELoss} and, with position-aware weights, {@code
 * PListMLELoss}: the negative log-likelihood of the documents' ranking under the Plackett-Luce
 * model of the logits, averaged over queries.
 *
 * <p>With the documents in rank order (input order by default, as sentence-transformers'
 * {@code respect_input_order=True}; otherwise by label, descending, ties in input order), each
 * position {@code i} contributes {@code x_i - log(sum_{j >= i} exp(x_j) + 1e-10)}. Position-aware
 * (PListMLE with sentence-transformers' default {@code PListMLELambdaWeight}): position {@code i}
 * of {@code n} documents is weighted by {@code 2^(n - i) - 1}, the weights normalised to sum 1
 * (plus 1e-10). Padded cells are left out of the sums; sentence-transformers instead gives them
 * logit {@code 1e-16}, which adds about 1 per padded cell to every denominator when lists have
 * unequal lengths (equal-length lists agree exactly). Hand-worked: logits {@code [0, 0]}: {@code
 * -(0 - log 2) - (0 - log 1) = log 2 = 0.693147}; gradient {@code [-0.5, 0.5]}. Immutable,
 * thread-safe.
 */
public final class ListMleLoss implements Loss {
  /** The id of plain ListMLE. */
  public static final String ID = "listmle";

  /** The id of position-aware ListMLE. */
  public static final String POSITION_AWARE_ID = "plistmle";

  private static final float EPS = 1e-10f;

  private final ScoreActivation activation;
  private final boolean respectInputOrder;
  private final boolean positionAware;

  /** Plain ListMLE with sentence-transformers' defaults: identity, input order. */
  public ListMleLoss() {
    this(ScoreActivation.IDENTITY, true, false);
  }

  /**
   * The loss with parameters.
   *
   * @param activation applied to the logits first, never null
   * @param respectInputOrder true: the documents are already in rank order; false: rank them by
   *     label, descending (ties keep input order)
   * @param positionAware true for PListMLE's default position weights
   */
  public ListMleLoss(ScoreActivation activation, boolean respectInputOrder, boolean positionAware) {
    this.activation = Objects.requireNonNull(activation, "activation");
    this.respectInputOrder = respectInputOrder;
    this.positionAware = positionAware;
  }

  @Override
  public String id() {
    return positionAware ? POSITION_AWARE_ID : ID;
  }

  @Override
  public LossInput input() {
    return LossInput.LISTWISE;
  }

  @Override
  public Map<String, String> parameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("activation_fn", activation.className());
    p.put("respect_input_order", String.valueOf(respectInputOrder));
    p.put("lambda_weight", positionAware ? "PListMLELambdaWeight" : "null");
    return Collections.unmodifiableMap(p);
  }

  @Override
  public NDArray compute(NDArray logits, NDArray labels, NDArray mask) {
    String id = id();
    NDArray x = LossSupport.activate(activation, LossSupport.matrixLogits(logits, id));
    NDManager m = x.getManager();
    Shape shape = x.getShape();
    int b = (int) shape.get(0);
    int d = (int) shape.get(1);
    NDArray y = LossSupport.floatLabels(labels, shape, id);
    NDArray valid = LossSupport.mask(mask, shape, m, id);
    boolean[][] rows = LossSupport.hostMask(valid, id);
    long[] order = LossSupport.order(rows, respectInputOrder ? null : y.toFloatArray());
    NDArray index = m.create(order, shape);
    // after reordering, each row's real documents come first: a prefix mask
    boolean[] prefix = new boolean[b * d];
    float[] weights = new float[b * d];
    for (int i = 0; i < b; i++) {
      int n = 0;
      for (boolean v : rows[i]) {
        n += v ? 1 : 0;
      }
      for (int j = 0; j < n; j++) {
        prefix[i * d + j] = true;
        weights[i * d + j] = (float) (Math.pow(2.0, n - j) - 1.0);
      }
    }
    NDArray real = m.create(prefix, shape);
    NDArray zeros = m.zeros(shape, DataType.FLOAT32);
    NDArray sorted = LossSupport.where(real, x.gather(index, 1), zeros);
    NDArray scores = LossSupport.where(real, sorted.exp(), zeros);
    NDArray cumsum = scores.flip(1).cumSum(1).flip(1);
    NDArray logProbs = sorted.sub(cumsum.add(EPS).log());
    if (positionAware) {
      NDArray w = m.create(weights, shape);
      w = w.div(w.sum(new int[] {1}, true).add(EPS));
      logProbs = logProbs.mul(w);
    }
    logProbs = LossSupport.where(real, logProbs, zeros);
    return logProbs.sum(new int[] {1}).neg().mean();
  }
}
