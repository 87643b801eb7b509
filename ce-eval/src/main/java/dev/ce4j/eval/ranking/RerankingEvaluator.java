package dev.ce4j.eval.ranking;

import com.google.auto.service.AutoService;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorInputs;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.List;
import java.util.Locale;
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
 * <p>A query without a relevant document (every label 0) has no defined value for any of these.
 * Parameter {@code queries_without_relevant} says what to do with it:
 *
 * <ul>
 *   <li>{@code skip} (the default): it is left out of every average. {@code queries} counts the
 *       queries that were averaged, {@code queries_without_relevant} the ones left out (the two add
 *       up to the number of queries given). When no query has a relevant document, the three
 *       metrics are {@code NaN}.
 *   <li>{@code zero}: it counts with MRR, NDCG and AP 0, as sentence-transformers'
 *       {@code CrossEncoderRerankingEvaluator} does, so the means are comparable with Python's.
 *       {@code queries} then counts every query given (all were averaged), and
 *       {@code queries_without_relevant} how many of them counted as 0.
 * </ul>
 *
 * <p>Averages are plain means over the averaged queries. Parameter {@code k} (default 10) must be
 * an integer {@code >= 1}. Cost: O(n log n) per query of n documents. Stateless and thread-safe;
 * never modifies its input.
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
  /** The parameter saying what a query without a relevant document counts for: {@code skip} or {@code zero}. */
  public static final String PARAM_WITHOUT_RELEVANT = "queries_without_relevant";

  /** What a query without a relevant document counts for. */
  public enum WithoutRelevant {
    /** Left out of every average (the default). */
    SKIP,
    /** Averaged with MRR, NDCG and AP 0, as sentence-transformers does. */
    ZERO;

    /**
     * The parameter value: {@code skip} or {@code zero}.
     *
     * @return the lowercase name, never null
     */
    public String parameterValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.of(PARAM_K, "cutoff rank for mrr@k and ndcg@k, an integer >= 1",
          Integer.toString(DEFAULT_K)),
      ParameterSpec.of(PARAM_WITHOUT_RELEVANT, "a query with no relevant document: 'skip' leaves it out of"
          + " the averages, 'zero' counts it with MRR, NDCG and AP 0 (as sentence-transformers)",
          WithoutRelevant.SKIP.parameterValue()));

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
   * {@inheritDoc}
   *
   * @return {@code mrr@k}, {@code ndcg@k} and {@code map} (higher-is-better) for the {@code k}
   *     given, and the counts {@code queries} and {@code queries_without_relevant}
   * @throws InvalidInputException if a parameter is unknown or out of range
   */
  @Override
  public List<MetricSpec> metrics(Parameters parameters) {
    parameters.requireKnown(ID, PARAMETERS);
    int k = k(parameters);
    withoutRelevant(parameters);
    return List.of(
        MetricSpec.higherIsBetter(mrrKey(k), "mean reciprocal rank of the first relevant document within the top " + k),
        MetricSpec.higherIsBetter(ndcgKey(k), "mean NDCG of the top " + k + ", linear gains"),
        MetricSpec.higherIsBetter(MAP, "mean average precision, not truncated"),
        MetricSpec.count(QUERIES, "queries averaged"),
        MetricSpec.count(QUERIES_WITHOUT_RELEVANT, "queries with no relevant document (left out, or counted as 0)"));
  }

  private static int k(Parameters parameters) {
    int k = parameters.getInt(PARAM_K, DEFAULT_K);
    if (k < 1) {
      throw new InvalidInputException(
          "parameter '" + PARAM_K + "' must be an integer >= 1, got '" + k + "'; for example k=10");
    }
    return k;
  }

  private static WithoutRelevant withoutRelevant(Parameters parameters) {
    String raw = parameters.get(PARAM_WITHOUT_RELEVANT).orElse(WithoutRelevant.SKIP.parameterValue());
    for (WithoutRelevant w : WithoutRelevant.values()) {
      if (w.parameterValue().equals(raw)) {
        return w;
      }
    }
    throw new InvalidInputException(
        "parameter '" + PARAM_WITHOUT_RELEVANT + "' must be 'skip' or 'zero', got '" + raw + "'");
  }

  /**
   * Computes {@code mrr@k}, {@code ndcg@k}, {@code map}, {@code queries} and
   * {@code queries_without_relevant}, in that order (see the class comment).
   *
   * @param predictions {@link RankingPredictions}, never null, not modified
   * @param parameters optional {@code k} and {@code queries_without_relevant}, never null
   * @return the metrics, never null; with {@code skip}, the three means are NaN if no query has a
   *     relevant document
   * @throws InvalidInputException if the predictions are not ranking predictions, hold no query,
   *     or {@code k} is not an integer {@code >= 1}, {@code queries_without_relevant} is neither
   *     {@code skip} nor {@code zero}, or another parameter is given
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    RankingPredictions ranking = EvaluatorInputs.requireKind(ID, predictions, RankingPredictions.class);
    parameters.requireKnown(ID, PARAMETERS);
    int k = k(parameters);
    WithoutRelevant policy = withoutRelevant(parameters);
    EvaluatorInputs.requireNonEmpty(ID, ranking, RankingPredictions.class);
    double mrrSum = 0;
    double ndcgSum = 0;
    double apSum = 0;
    int evaluated = 0;
    int withoutRelevant = 0;
    for (RankingPredictions.Query query : ranking.queries()) {
      RankedQuery ranked = RankedQuery.of(query.scores(), query.labels());
      if (ranked.relevantCount() == 0) {
        withoutRelevant++;
        if (policy == WithoutRelevant.ZERO) {
          evaluated++; // MRR, NDCG and AP 0: the sums are unchanged
        }
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
