package dev.ce4j.train.loss;

/**
 * The weighting schemes of {@link LambdaLoss}, as sentence-transformers names them (after the
 * LambdaLoss paper, Wang et al., CIKM 2018). Thread-safe.
 */
public enum WeightingScheme {
  /** {@code NoWeightingScheme}: every pair weighs 1 (RankNet). */
  NONE("none"),
  /** {@code NDCGLoss1Scheme}: {@code gain_i / discount_i}. */
  NDCG_LOSS1("ndcg_loss1"),
  /** {@code NDCGLoss2Scheme}: {@code |1/D(|i-j|) - 1/D(|i-j|+1)| * |gain_i - gain_j|}. */
  NDCG_LOSS2("ndcg_loss2"),
  /** {@code LambdaRankScheme}: {@code |1/D(i) - 1/D(j)| * |gain_i - gain_j|}. */
  LAMBDA_RANK("lambda_rank"),
  /** {@code NDCGLoss2PPScheme}: {@code mu * NDCG_LOSS2 + LAMBDA_RANK} (sentence-transformers' default). */
  NDCG_LOSS2_PP("ndcg_loss2pp");

  private final String id;

  WeightingScheme(String id) {
    this.id = id;
  }

  /**
   * The stable lowercase name.
   *
   * @return the name, never null
   */
  public String id() {
    return id;
  }
}
