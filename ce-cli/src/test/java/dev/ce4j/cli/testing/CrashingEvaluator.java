package dev.ce4j.cli.testing;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;

/** A buggy evaluator: always throws an unexpected exception, to test exit status 1. */
public class CrashingEvaluator implements Evaluator {
  /** The id. */
  public static final String ID = "test-crash";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.POINTWISE;
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    throw new IllegalStateException("boom in the test evaluator");
  }
}
