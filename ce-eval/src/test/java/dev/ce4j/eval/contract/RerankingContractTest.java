package dev.ce4j.eval.contract;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.api.eval.RankingPredictions.Query;
import dev.ce4j.eval.ranking.RerankingEvaluator;
import dev.ce4j.test.EvaluatorContractTest;
import java.util.List;
import java.util.Map;

/**
 * {@code reranking} passes the contract. Worst input: the one relevant document of three ranked
 * last: reciprocal rank 1/3, NDCG = (1/log2(4)) / 1 = 1/2, average precision 1/3.
 */
class RerankingContractTest extends EvaluatorContractTest {
  @Override
  protected Evaluator evaluator() {
    return new RerankingEvaluator();
  }

  @Override
  protected Case perfect() {
    return Case.of(new RankingPredictions(List.of(
            new Query("q1", new double[] {0.9, 0.5, 0.1}, new double[] {2, 1, 0}),
            new Query("q2", new double[] {0.3, 0.8}, new double[] {0, 1}))),
        Map.of("mrr@10", 1.0, "ndcg@10", 1.0, "map", 1.0, "queries", 2.0, "queries_without_relevant", 0.0));
  }

  @Override
  protected Case worst() {
    return Case.of(new RankingPredictions(List.of(new Query("q1", new double[] {0.1, 0.9, 0.5}, new double[] {1, 0, 0}))),
        Map.of("mrr@10", 1.0 / 3, "ndcg@10", 0.5, "map", 1.0 / 3, "queries", 1.0, "queries_without_relevant", 0.0));
  }
}
