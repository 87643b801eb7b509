package dev.ce4j.cli.testing;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;

/**
 * Not in the test service file: it is found only through a plugin jar whose service file names
 * it. Reports the mean score.
 */
public class PluginOnlyEvaluator implements Evaluator {
  /** The id. */
  public static final String ID = "test-plugin-only";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.POINTWISE;
  }

  @Override
  public String description() {
    return "Only visible through --plugins.";
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, parameters());
    double[] scores = ((PointwisePredictions) predictions).scores();
    double sum = 0;
    for (double s : scores) {
      sum += s;
    }
    return Evaluation.builder(ID).put("mean_score", sum / scores.length).build();
  }
}
