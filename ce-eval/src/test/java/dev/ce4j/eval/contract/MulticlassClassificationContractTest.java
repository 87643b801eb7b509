package dev.ce4j.eval.contract;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.eval.multiclass.MulticlassClassificationEvaluator;
import dev.ce4j.test.EvaluatorContractTest;
import java.util.Map;

/** {@code multiclass-classification} passes the contract; worst input: every argmax is wrong. */
class MulticlassClassificationContractTest extends EvaluatorContractTest {
  private static final double[][] SCORES = {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}};

  @Override
  protected Evaluator evaluator() {
    return new MulticlassClassificationEvaluator();
  }

  @Override
  protected Case perfect() {
    return Case.of(new MulticlassPredictions(SCORES, new int[] {0, 1, 2}),
        Map.of("accuracy", 1.0, "f1_micro", 1.0, "f1_macro", 1.0, "f1_weighted", 1.0, "precision_macro", 1.0,
            "recall_macro", 1.0));
  }

  @Override
  protected Case worst() {
    return Case.of(new MulticlassPredictions(SCORES, new int[] {1, 2, 0}),
        Map.of("accuracy", 0.0, "f1_micro", 0.0, "f1_macro", 0.0, "f1_weighted", 0.0, "precision_macro", 0.0,
            "recall_macro", 0.0));
  }
}
