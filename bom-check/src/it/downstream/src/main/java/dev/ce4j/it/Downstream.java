package dev.ce4j.it;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.PointwisePredictions;

/** What a downstream user writes: find an evaluator by id and evaluate scores with it. */
public final class Downstream {
  private Downstream() {}

  /**
   * Evaluates two perfectly ranked samples with the discovered binary-classification evaluator.
   *
   * @return its result, never null
   */
  public static Evaluation evaluatePerfectBinary() {
    Evaluator evaluator = EvaluatorRegistry.load().get("binary-classification");
    return evaluator.evaluate(new PointwisePredictions(new double[] {0.9, 0.1}, new double[] {1, 0}));
  }
}
