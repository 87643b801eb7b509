package dev.ce4j.eval.ranking;

import com.google.auto.service.AutoService;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.List;
import java.util.Objects;

/**
 * Reranking quality over queries with graded relevance labels (id {@code reranking}): MRR@k,
 * NDCG@k and MAP.
 *
 * <p>A document is relevant when its label is above 0. Documents are ranked by score,
 * descending; documents with equal scores form a tie group, and no metric depends on the order
 * the documents were given in:
 *
 * <ul>
 *   <li>{@code mrr@k}: the reciprocal rank of the first relevant document, 0 when it is below rank
 *       {@code k}. A tie group counts as if its documents were in uniformly random order: the
 *       value is the expected reciprocal rank over those orders (with one relevant document in a
 *       group, the mean of {@code 1/rank} over the group's ranks; for example a relevant and an
 *       irrelevant document tied at the top give {@code (1/1 + 1/2) / 2 = 0.75}).
 *   <li>{@code ndcg@k}: scikit-learn's {@code ndcg_score(y_true=[labels], y_score=[scores], k=k,
 *       ignore_ties=False)}: linear gains (the label itself, not {@code 2^label - 1}), discount
 *       {@code 1 / log2(rank + 1)}, each tie group contributing its mean label at each of its
 *       ranks, normalized by the DCG@k of the labels sorted descending. This too is the expected
 *       value over random orders of tied documents.
 *   <li>{@code map}: the mean of scikit-learn's {@code average_precision_score(labels > 0,
 *       scores)}, which steps through distinct score thresholds, so tied documents enter the
 *       ranking together. It is not truncated at {@code k}.
 * </ul>
 *
 * <p>A query without a relevant document (every label 0) has no defined value for any of these,
 * so it is left out of every average and counted in {@code queries_without_relevant};
 * {@code queries} counts the queries that were averaged (the two add up to the number of queries
 * given). Averages are plain means over the averaged queries. When no query has a relevant
 * document, the three metrics are {@code NaN}.
 *
 * <p>Parameter {@code k} (default 10) must be an integer {@code >= 1}. Cost: O(n log n) per query
 * of n documents. Stateless and thread-safe; never modifies its input.
 */
@AutoService(Evaluator.class)
public final class RerankingEvaluator implements Evaluator {
  /** The evaluator id. */
  public static final String ID = "reranking";
  /** The cutoff parameter of {@code mrr@k} and {@code ndcg@k}. */
  public static final String PARAM_K = "k";
  /** The default cutoff. */
  public static final int DEFAULT_K = 10;
  /** Prefix of the MRR key; see {@link #mrrKey(int)}. */
  public static final String MRR_PREFIX = "mrr@";
  /** Prefix of the NDCG key; see {@link #ndcgKey(int)}. */
  public static final String NDCG_PREFIX = "ndcg@";
  /** Key of the mean average precision. */
  public static final String MAP = "map";
  /** Key of the number of queries averaged (those with at least one relevant document). */
  public static final String QUERIES = "queries";
  /** Key of the number of queries skipped because no document is relevant. */
  public static final String QUERIES_WITHOUT_RELEVANT = "queries_without_relevant";

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.of(PARAM_K, "cutoff rank for mrr@k and ndcg@k, an integer >= 1",
          Integer.toString(DEFAULT_K)));

  /** Creates the evaluator; cheap, does no I/O. */
  public RerankingEvaluator() {}

  /**
   * The MRR key for a cutoff, such as {@code mrr@10}.
   *
   * @param k the cutoff, {@code >= 1}
   * @return the key, never null
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public static String mrrKey(int k) {
    return MRR_PREFIX + checkedK(k);
  }

  /**
   * The NDCG key for a cutoff, such as {@code ndcg@10}.
   *
   * @param k the cutoff, {@code >= 1}
   * @return the key, never null
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public static String ndcgKey(int k) {
    return NDCG_PREFIX + checkedK(k);
  }

  private static int checkedK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    return k;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@link InputKind#RANKING}
   */
  @Override
  public InputKind inputKind() {
    return InputKind.RANKING;
  }

  @Override
  public String description() {
    return "reranking quality over graded queries: MRR@k, NDCG@k (linear gains) and MAP, "
        + "with tied scores averaged";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /**
   * Computes {@code mrr@k}, {@code ndcg@k}, {@code map}, {@code queries} and
   * {@code queries_without_relevant}, in that order (see the class comment).
   *
   * @param predictions {@link RankingPredictions}, never null, not modified
   * @param parameters optional {@code k}, never null
   * @return the metrics, never null; the three means are NaN if no query has a relevant document
   * @throws InvalidInputException if the predictions are not ranking predictions, hold no query,
   *     or {@code k} is not an integer {@code >= 1}, or another parameter is given
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(parameters, "parameters");
    if (!(predictions instanceof RankingPredictions ranking)) {
      throw new InvalidInputException(
          "evaluator '" + ID + "' reads " + InputKind.RANKING + " predictions (scored documents "
              + "grouped by query) but got " + predictions.kind() + " predictions");
    }
    parameters.requireKnown(ID, PARAMETERS);
    int k = parameters.getInt(PARAM_K, DEFAULT_K);
    if (k < 1) {
      throw new InvalidInputException(
          "parameter '" + PARAM_K + "' must be an integer >= 1, got '" + k + "'; for example k=10");
    }
    if (ranking.queries().isEmpty()) {
      throw new InvalidInputException(
          "no queries: evaluator '" + ID + "' needs at least one query with scored documents");
    }
    double mrrSum = 0;
    double ndcgSum = 0;
    double apSum = 0;
    int evaluated = 0;
    int withoutRelevant = 0;
    for (RankingPredictions.Query query : ranking.queries()) {
      RankedQuery ranked = RankedQuery.of(query.scores(), query.labels());
      if (ranked.relevantCount() == 0) {
        withoutRelevant++;
        continue;
      }
      mrrSum += ranked.reciprocalRank(k);
      ndcgSum += ranked.ndcg(k);
      apSum += ranked.averagePrecision();
      evaluated++;
    }
    double n = evaluated == 0 ? Double.NaN : evaluated;
    return Evaluation.builder(ID)
        .put(mrrKey(k), mrrSum / n)
        .put(ndcgKey(k), ndcgSum / n)
        .put(MAP, apSum / n)
        .put(QUERIES, evaluated)
        .put(QUERIES_WITHOUT_RELEVANT, withoutRelevant)
        .build();
  }
}
