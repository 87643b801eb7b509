package dev.ce4j.spark.evaluate;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.eval.ranking.RerankingEvaluator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;

/**
 * Ranking evaluators whose metrics are means over the queries they count, computed per query on the
 * executors: {@code reranking} (its {@code queries} count says whether a query was counted; the
 * counts are summed). Each partition sums its queries in id order and the driver adds the partitions
 * in partition order, so two runs give the same bits. Not API.
 */
final class PerQueryMeans {
  static final Set<String> SUPPORTED = Set.of(RerankingEvaluator.ID);
  private static final Set<String> COUNTS = Set.of(RerankingEvaluator.QUERIES, RerankingEvaluator.QUERIES_WITHOUT_RELEVANT);

  private PerQueryMeans() {}

  static Evaluation evaluate(JavaRDD<QueryGroups.Group> groups, Evaluator evaluator, Parameters parameters) {
    String id = evaluator.id();
    Map<String, String> params = SparkEvaluation.toMap(parameters, evaluator);
    // the keys, in the evaluator's order, from a one-query evaluation on the driver
    Evaluation probe = evaluator.evaluate(new RankingPredictions(List.of(
        new RankingPredictions.Query("probe", new double[] {1}, new double[] {1}))), parameters);
    List<String> keys = new ArrayList<>(probe.keys());
    List<double[]> partials = groups.mapPartitions((Iterator<QueryGroups.Group> it) -> {
      Evaluator e = EvaluatorRegistry.load(SparkEvaluation.loader()).get(id);
      Parameters p = Parameters.of(params);
      List<QueryGroups.Group> queries = new ArrayList<>();
      it.forEachRemaining(queries::add);
      queries.sort(Comparator.comparing(QueryGroups.Group::id));
      double[] sums = new double[keys.size()];
      for (QueryGroups.Group g : queries) {
        Evaluation one = e.evaluate(new RankingPredictions(List.of(g.query())), p);
        boolean counted = one.get(RerankingEvaluator.QUERIES) > 0;
        for (int k = 0; k < sums.length; k++) {
          String key = keys.get(k);
          if (COUNTS.contains(key)) {
            sums[k] += one.get(key);
          } else if (counted) {
            sums[k] += one.get(key);
          }
        }
      }
      return List.of(sums).iterator();
    }).collect();
    double[] total = new double[keys.size()];
    for (double[] part : partials) {
      for (int k = 0; k < total.length; k++) {
        total[k] += part[k];
      }
    }
    if (total[keys.indexOf(RerankingEvaluator.QUERIES)] + total[keys.indexOf(RerankingEvaluator.QUERIES_WITHOUT_RELEVANT)] == 0) {
      throw new dev.ce4j.api.InvalidInputException("evaluator '" + id + "' needs at least one query; the dataset is empty");
    }
    double n = total[keys.indexOf(RerankingEvaluator.QUERIES)];
    Evaluation.Builder b = Evaluation.builder(id);
    for (int k = 0; k < keys.size(); k++) {
      String key = keys.get(k);
      b.put(key, COUNTS.contains(key) ? total[k] : total[k] / (n == 0 ? Double.NaN : n));
    }
    return b.build();
  }
}
