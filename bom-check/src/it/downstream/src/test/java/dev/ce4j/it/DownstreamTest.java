package dev.ce4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ce4j.api.eval.Evaluation;
import org.junit.jupiter.api.Test;

class DownstreamTest {
  @Test
  void theBinaryClassificationEvaluatorIsFoundThroughTheBom() {
    Evaluation evaluation = Downstream.evaluatePerfectBinary();
    assertEquals("binary-classification", evaluation.evaluatorId());
    assertEquals(1.0, evaluation.get("f1"), 1e-12);
  }
}
