package dev.ce4j.cli.testing;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.List;

/**
 * Echoes ranking input: query count, documents per query (in query order), the first query's
 * scores, the sum of all grades, and the query ids' lengths (to check id parsing).
 */
public class RankingEchoEvaluator implements Evaluator {
  /** The id. */
  public static final String ID = "test-ranking";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.RANKING;
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, parameters());
    List<RankingPredictions.Query> queries = ((RankingPredictions) predictions).queries();
    double[] docs = new double[queries.size()];
    double[] idLengths = new double[queries.size()];
    double grades = 0;
    for (int q = 0; q < docs.length; q++) {
      docs[q] = queries.get(q).scores().length;
      idLengths[q] = queries.get(q).id().length();
      for (double g : queries.get(q).labels()) {
        grades += g;
      }
    }
    return Evaluation.builder(ID)
        .put("queries", queries.size())
        .putArray("documents_per_query", docs)
        .putArray("first_query_scores", queries.get(0).scores())
        .put("grade_sum", grades)
        .putArray("id_lengths", idLengths)
        .build();
  }
}
