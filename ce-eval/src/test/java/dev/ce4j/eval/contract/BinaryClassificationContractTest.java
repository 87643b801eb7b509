package dev.ce4j.eval.contract;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.eval.binary.BinaryClassificationEvaluator;
import dev.ce4j.test.EvaluatorContractTest;
import java.util.Map;

/**
 * {@code binary-classification} passes the contract. Worst input: every positive scored below
 * every negative; the best threshold then predicts everything positive (F1 = 2/3, precision 1/2,
 * recall 1) and accuracy cannot beat 1/2; average precision = (1/2)(1/3) + (1/2)(2/4) = 5/12.
 */
class BinaryClassificationContractTest extends EvaluatorContractTest {
  @Override
  protected Evaluator evaluator() {
    return new BinaryClassificationEvaluator();
  }

  @Override
  protected Case perfect() {
    return Case.of(new PointwisePredictions(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {1, 1, 0, 0}),
        Map.of("fbeta", 1.0, "precision", 1.0, "recall", 1.0, "f1", 1.0, "accuracy", 1.0, "average_precision", 1.0));
  }

  @Override
  protected Case worst() {
    return Case.of(new PointwisePredictions(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {1, 1, 0, 0}),
        Map.of("fbeta", 2.0 / 3, "precision", 0.5, "recall", 1.0, "f1", 2.0 / 3, "accuracy", 0.5,
            "average_precision", 5.0 / 12));
  }
}
