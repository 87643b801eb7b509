package dev.ce4j.cli.testing;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;

/** Echoes multi-label input: count, label count, positives per label, sum of all scores. */
public class MultilabelEchoEvaluator implements Evaluator {
  /** The id. */
  public static final String ID = "test-multilabel";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.MULTILABEL;
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, parameters());
    MultilabelPredictions p = (MultilabelPredictions) predictions;
    double[] positives = new double[p.labelCount()];
    for (int[] row : p.labels()) {
      for (int j = 0; j < row.length; j++) {
        positives[j] += row[j];
      }
    }
    double sum = 0;
    for (double[] row : p.scores()) {
      for (double v : row) {
        sum += v;
      }
    }
    return Evaluation.builder(ID)
        .put("count", p.size())
        .put("labels", p.labelCount())
        .putArray("positives", positives)
        .put("score_sum", sum)
        .build();
  }
}
