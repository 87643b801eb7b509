package dev.ce4j.cli.testing;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import java.util.List;

/**
 * Echoes pointwise input: count, sum of scale * score, sum of labels, the labels, and an
 * undefined (NaN) metric. Rejects {@code scale <= 0} and the label 7 (to test messages that
 * name a sample).
 */
public class PointwiseEchoEvaluator implements Evaluator {
  /** The id. */
  public static final String ID = "test-pointwise";

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
    return "Echoes pointwise input for tests.";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.of("scale", "Multiplies every score; must be > 0.", "1"),
        ParameterSpec.optional("note", "Ignored."));
  }

  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, parameters());
    double scale = parameters.getDouble("scale", 1);
    if (scale <= 0) {
      throw new InvalidInputException("parameter 'scale' must be > 0, got " + scale);
    }
    PointwisePredictions p = (PointwisePredictions) predictions;
    double[] scores = p.scores();
    double[] labels = p.labels();
    double scoreSum = 0;
    double labelSum = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == 7) {
        throw new InvalidInputException("labels[" + i + "] is 7.0; this test evaluator rejects 7");
      }
      scoreSum += scale * scores[i];
      labelSum += labels[i];
    }
    return Evaluation.builder(ID)
        .put("count", scores.length)
        .put("score_sum", scoreSum)
        .put("label_sum", labelSum)
        .putArray("labels", labels)
        .put("undefined", Double.NaN)
        .build();
  }
}
