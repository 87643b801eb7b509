package dev.ce4j.spark.evaluate;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorInputs;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;

/**
 * A plugin evaluator registered by the test class path's META-INF/services: the mean over queries
 * of the highest label among the top-scored documents (order-independent), and the query count.
 */
public final class TopLabelEvaluator implements Evaluator {
  @Override
  public String id() {
    return "top-label";
  }

  @Override
  public InputKind inputKind() {
    return InputKind.RANKING;
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    RankingPredictions r = EvaluatorInputs.requireKind(id(), predictions, RankingPredictions.class);
    double sum = 0;
    for (RankingPredictions.Query q : r.queries()) {
      double[] s = q.scores();
      double[] l = q.labels();
      double best = Double.NEGATIVE_INFINITY;
      double label = 0;
      for (int i = 0; i < s.length; i++) {
        if (s[i] > best || (s[i] == best && l[i] > label)) {
          best = s[i];
          label = l[i];
        }
      }
      sum += label;
    }
    return Evaluation.builder(id()).put("top_label", sum / r.size()).put("queries", r.size()).build();
  }
}
