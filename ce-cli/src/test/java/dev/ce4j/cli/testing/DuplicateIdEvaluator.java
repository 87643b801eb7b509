package dev.ce4j.cli.testing;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;

/**
 * Not in the test service file: a plugin that claims the id of {@link PointwiseEchoEvaluator},
 * which discovery must reject naming both classes.
 */
public class DuplicateIdEvaluator implements Evaluator {
  @Override
  public String id() {
    return PointwiseEchoEvaluator.ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.POINTWISE;
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    return Evaluation.builder(PointwiseEchoEvaluator.ID).build();
  }
}
