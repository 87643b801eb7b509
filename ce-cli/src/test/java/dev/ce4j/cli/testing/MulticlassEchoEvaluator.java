package dev.ce4j.cli.testing;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;

/** Echoes multiclass input: count, class count, samples per true class, sum of all scores. */
public class MulticlassEchoEvaluator implements Evaluator {
  /** The id. */
  public static final String ID = "test-multiclass";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.MULTICLASS;
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, parameters());
    MulticlassPredictions p = (MulticlassPredictions) predictions;
    double[] perClass = new double[p.classCount()];
    for (int label : p.labels()) {
      perClass[label]++;
    }
    double sum = 0;
    for (double[] row : p.scores()) {
      for (double v : row) {
        sum += v;
      }
    }
    return Evaluation.builder(ID)
        .put("count", p.size())
        .put("classes", p.classCount())
        .putArray("per_class", perClass)
        .put("score_sum", sum)
        .build();
  }
}
