package dev.ce4j.eval.contract;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.eval.multilabel.MultilabelClassificationEvaluator;
import dev.ce4j.test.EvaluatorContractTest;
import java.util.Map;

/**
 * {@code multilabel-classification} passes the contract. At the default threshold 0.5 the scores
 * predict {1,0}, {0,1}, {1,0}; the worst labels are their complement, with no zero division.
 */
class MultilabelClassificationContractTest extends EvaluatorContractTest {
  private static final double[][] SCORES = {{0.9, 0.1}, {0.2, 0.8}, {0.7, 0.3}};

  @Override
  protected Evaluator evaluator() {
    return new MultilabelClassificationEvaluator();
  }

  @Override
  protected Case perfect() {
    return Case.of(new MultilabelPredictions(SCORES, new int[][] {{1, 0}, {0, 1}, {1, 0}}),
        Map.of("subset_accuracy", 1.0, "hamming_loss", 0.0, "f1_micro", 1.0, "f1_macro", 1.0, "f1_samples", 1.0,
            "f1_weighted", 1.0));
  }

  @Override
  protected Case worst() {
    return Case.of(new MultilabelPredictions(SCORES, new int[][] {{0, 1}, {1, 0}, {0, 1}}),
        Map.of("subset_accuracy", 0.0, "hamming_loss", 1.0, "f1_micro", 0.0, "f1_macro", 0.0, "f1_samples", 0.0,
            "f1_weighted", 0.0));
  }
}
