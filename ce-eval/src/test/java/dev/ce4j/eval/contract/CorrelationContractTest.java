package dev.ce4j.eval.contract;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.eval.correlation.CorrelationEvaluator;
import dev.ce4j.test.EvaluatorContractTest;
import java.util.Map;

/** {@code correlation} passes the contract: labels a linear function of the scores, then reversed. */
class CorrelationContractTest extends EvaluatorContractTest {
  private static final double[] SCORES = {0.1, 0.4, 0.5, 0.9};

  @Override
  protected Evaluator evaluator() {
    return new CorrelationEvaluator();
  }

  @Override
  protected Case perfect() {
    return Case.of(new PointwisePredictions(SCORES, new double[] {1, 4, 5, 9}), Map.of("pearson", 1.0, "spearman", 1.0));
  }

  @Override
  protected Case worst() {
    return Case.of(new PointwisePredictions(SCORES, new double[] {9, 6, 5, 1}), Map.of("pearson", -1.0, "spearman", -1.0));
  }
}
