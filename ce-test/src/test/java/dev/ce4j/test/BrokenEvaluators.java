package dev.ce4j.test;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluators that each break one rule of the contract, for {@link EvaluatorContractKitTest}.
 * Every one is {@link ThresholdAccuracyEvaluator} with one defect. Those with a valid, unique id
 * and a public no-argument constructor are registered in the test resources' services file.
 */
public final class BrokenEvaluators {
  private BrokenEvaluators() {}

  /** Writes into the predictions' internal score array (through reflection) after evaluating. */
  public static class MutatesInput extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "mutates-input";
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      Evaluation result = super.evaluate(predictions, parameters);
      try {
        Field field = PointwisePredictions.class.getDeclaredField("scores");
        field.setAccessible(true);
        double[] scores = (double[]) field.get(predictions);
        for (int i = 0; i < scores.length; i++) {
          // moves each score away from the default threshold: the metrics do not change
          scores[i] += scores[i] >= 0.5 ? 1 : -1;
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      return result;
    }
  }

  /** Adds a call counter shared by all instances to its results. */
  public static class NonDeterministic extends ThresholdAccuracyEvaluator {
    private static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public String id() {
      return "non-deterministic";
    }

    @Override
    Evaluation compute(double[] scores, double[] labels, double threshold) {
      Evaluation base = super.compute(scores, labels, threshold);
      return Evaluation.builder(id())
          .put(ACCURACY, base.get(ACCURACY))
          .put(ERROR_RATE, base.get(ERROR_RATE))
          .put("calls", CALLS.incrementAndGet())
          .build();
    }

    @Override
    public List<MetricSpec> metrics(Parameters parameters) {
      List<MetricSpec> metrics = new java.util.ArrayList<>(super.metrics(parameters));
      metrics.add(MetricSpec.count("calls", "evaluations so far, by every instance"));
      return metrics;
    }
  }

  /** An id with capitals and an underscore. */
  public static class BadId extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "Threshold_Accuracy";
    }
  }

  /** A different id on every call. */
  public static class UnstableId extends ThresholdAccuracyEvaluator {
    private int calls;

    @Override
    public String id() {
      return "unstable-" + calls++;
    }
  }

  /** A different id for every instance. */
  public static class InstanceId extends ThresholdAccuracyEvaluator {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private final String id = "instance-" + INSTANCES.incrementAndGet();

    @Override
    public String id() {
      return id;
    }
  }

  /** Correct, but missing from META-INF/services: what a silent annotation processor leaves. */
  public static class Unregistered extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "unregistered";
    }
  }

  /** Only a constructor with an argument, so ServiceLoader cannot make one. */
  public static class NoPublicConstructor extends ThresholdAccuracyEvaluator {
    private final String id;

    /**
     * Creates the evaluator.
     *
     * @param id its id
     */
    public NoPublicConstructor(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** Answers null predictions with NaN and null parameters with the defaults. */
  public static class AcceptsNull extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "accepts-null";
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      if (predictions == null) {
        return Evaluation.builder(id()).put(ACCURACY, Double.NaN).put(ERROR_RATE, Double.NaN).build();
      }
      return super.evaluate(predictions, parameters == null ? Parameters.empty() : parameters);
    }
  }

  /** Answers empty input with NaN, without documenting it. */
  public static class LenientEmpty extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "lenient-empty";
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      if (predictions != null && predictions.size() == 0) {
        return Evaluation.builder(id()).put(ACCURACY, Double.NaN).put(ERROR_RATE, Double.NaN).build();
      }
      return super.evaluate(predictions, parameters);
    }
  }

  /** Reports the error rate as the accuracy and vice versa. */
  public static class Inverted extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "inverted";
    }

    @Override
    Evaluation compute(double[] scores, double[] labels, double threshold) {
      Evaluation base = super.compute(scores, labels, threshold);
      return Evaluation.builder(id())
          .put(ACCURACY, base.get(ERROR_RATE))
          .put(ERROR_RATE, base.get(ACCURACY))
          .build();
    }
  }

  /** Silently ignores parameters it does not know. */
  public static class IgnoresUnknownParameters extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "ignores-unknown-parameters";
    }

    @Override
    void checkParameters(Parameters parameters) {
      // the defect: no requireKnown
    }
  }

  /** Answers predictions of another kind with NaN instead of an error. */
  public static class IgnoresKind extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "ignores-kind";
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      if (predictions != null && !(predictions instanceof PointwisePredictions)) {
        return Evaluation.builder(id()).put(ACCURACY, Double.NaN).put(ERROR_RATE, Double.NaN).build();
      }
      return super.evaluate(predictions, parameters);
    }
  }

  /** Declares threshold=0.5 as the default but uses 0 when it is absent. */
  public static class MisdeclaredDefault extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "misdeclared-default";
    }

    @Override
    double threshold(Parameters parameters) {
      return parameters.getDouble(THRESHOLD, 0.0);
    }
  }

  /** Adds a metric whose key has a space. */
  public static class BadKey extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "bad-key";
    }

    @Override
    Evaluation compute(double[] scores, double[] labels, double threshold) {
      Evaluation base = super.compute(scores, labels, threshold);
      return Evaluation.builder(id())
          .put(ACCURACY, base.get(ACCURACY))
          .put(ERROR_RATE, base.get(ERROR_RATE))
          .put("hit rate", base.get(ACCURACY))
          .build();
    }

    /** Declares nothing: a key with a space cannot be declared, and this fixture breaks one rule. */
    @Override
    public List<MetricSpec> metrics(Parameters parameters) {
      return List.of();
    }
  }

  /** Labels its results with another evaluator's id. */
  public static class WrongEvaluationId extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "wrong-evaluation-id";
    }

    @Override
    Evaluation compute(double[] scores, double[] labels, double threshold) {
      Evaluation base = super.compute(scores, labels, threshold);
      return Evaluation.builder("threshold-accuracy")
          .put(ACCURACY, base.get(ACCURACY))
          .put(ERROR_RATE, base.get(ERROR_RATE))
          .build();
    }
  }

  /** Declares multiclass input but reads pointwise predictions. */
  public static class WrongKindDeclared extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "wrong-kind-declared";
    }

    @Override
    public InputKind inputKind() {
      return InputKind.MULTICLASS;
    }
  }

  /** Declares the same parameter twice. */
  public static class DuplicateParameter extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "duplicate-parameter";
    }

    @Override
    public List<ParameterSpec> parameters() {
      ParameterSpec threshold = super.parameters().get(0);
      return List.of(threshold, threshold);
    }
  }

  /**
   * Declares a metric it never returns, declares a fraction as a count, and returns a metric it
   * does not declare.
   */
  public static class MisdeclaredMetrics extends ThresholdAccuracyEvaluator {
    @Override
    public String id() {
      return "misdeclared-metrics";
    }

    @Override
    public List<MetricSpec> metrics(Parameters parameters) {
      return List.of(
          MetricSpec.count(ACCURACY, "declared a count, but a fraction"),
          MetricSpec.higherIsBetter("precision", "declared, never returned"));
    }
  }
}
