package dev.ce4j.test;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.PointwisePredictions;
import java.util.Map;

/** A correct evaluator passes the whole contract, with the three-method subclass of the Javadoc. */
class ThresholdAccuracyEvaluatorContractTest extends EvaluatorContractTest {
  @Override protected Evaluator evaluator() { return new ThresholdAccuracyEvaluator(); }
  @Override protected Case perfect() { return Case.of(new PointwisePredictions(new double[] {0.9, -0.8, 0.7}, new double[] {1, 0, 1}), Map.of("accuracy", 1.0, "error_rate", 0.0)); }
  @Override protected Case worst() { return Case.of(new PointwisePredictions(new double[] {-0.8, 0.9, 0.7}, new double[] {1, 0, 0}), Map.of("accuracy", 0.0, "error_rate", 1.0)); }
}
