package dev.ce4j.train.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.PairScorer;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.data.DataFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluators of a run, each with its parameters and data: loaded and checked when the run is
 * built, and run at every evaluation. Metric keys are {@code <name>/<key>}. Immutable; as
 * thread-safe as the evaluators (which must be stateless).
 */
public final class Evaluations {
  /** One configured evaluator with its data. */
  private record Task(EvaluatorSpec spec, Evaluator evaluator, Samples samples) {}

  private final List<Task> tasks;

  private Evaluations(List<Task> tasks) {
    this.tasks = List.copyOf(tasks);
  }

  /**
   * Looks up every evaluator, checks its parameters and reads its data.
   *
   * @param specs the configured evaluators, never null
   * @param registry where to look ids up, never null
   * @return the evaluations, never null
   * @throws InvalidInputException for an unknown id or parameter, or bad data, naming them
   */
  public static Evaluations load(List<EvaluatorSpec> specs, EvaluatorRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    List<Task> tasks = new ArrayList<>();
    for (EvaluatorSpec spec : specs) {
      Evaluator e = registry.get(spec.id());
      spec.params().requireKnown(spec.id(), e.parameters());
      tasks.add(new Task(spec, e, DataFiles.load(spec.data(), e.inputKind())));
    }
    return new Evaluations(tasks);
  }

  /**
   * Whether no evaluator is configured.
   *
   * @return true when there is none
   */
  public boolean isEmpty() {
    return tasks.isEmpty();
  }

  /**
   * The metrics the evaluators report for a model with {@code numLabels} outputs, found before
   * training by evaluating each once on its data with the same score for every pair (the
   * activation of a zero logit; no model runs). This also finds evaluation data that does not fit
   * the model, such as a class index beyond its outputs.
   *
   * @param numLabels the model's number of outputs, at least 1
   * @param activation the model's activation, never null
   * @return every {@code <name>/<key>}, in report order, mapped to whether it is a single number
   *     (false for per-label arrays, which are not logged); never null
   * @throws InvalidInputException if an evaluator refuses its data for this model, naming the
   *     evaluator and its data file
   */
  public Map<String, Boolean> metricKeys(int numLabels, ScoreActivation activation) {
    double[] row = new double[numLabels];
    Arrays.fill(row, activation.apply(0.0));
    PairScorer constant = pairs -> {
      double[][] out = new double[pairs.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = row.clone();
      }
      return out;
    };
    Map<String, Boolean> keys = new LinkedHashMap<>();
    for (Task t : tasks) {
      Evaluation ev;
      try {
        ev = t.evaluator().evaluate(t.samples(), constant, t.spec().params());
      } catch (InvalidInputException e) {
        throw new InvalidInputException(
            "evaluator '" + t.spec().name() + "' (" + t.evaluator().id() + " on " + t.spec().data().path()
                + ", for a model with " + numLabels + (numLabels == 1 ? " output" : " outputs") + "): "
                + e.getMessage(),
            e);
      }
      for (String key : ev.keys()) {
        keys.put(t.spec().name() + "/" + key, !ev.isArray(key));
      }
    }
    return keys;
  }

  /**
   * Checks, before training, that every evaluator can evaluate a model with {@code numLabels}
   * outputs with its data and parameters (see {@link #metricKeys}), and that {@code
   * metricForBestModel}, when set, is one of the run's single-number metrics.
   *
   * @param numLabels the model's number of outputs, at least 1
   * @param activation the model's activation, never null
   * @param metricForBestModel the configured metric key, or null
   * @param trainLoss the key of the training loss, which is a metric when there are evaluators
   * @throws InvalidInputException if an evaluator refuses its data or parameters, or the metric is
   *     not one of the run's, is a per-label array, or names a metric of a run without evaluators
   */
  public void requireFits(int numLabels, ScoreActivation activation, String metricForBestModel, String trainLoss) {
    Map<String, Boolean> keys = new LinkedHashMap<>();
    keys.put(trainLoss, true);
    keys.putAll(metricKeys(numLabels, activation));
    String best = metricForBestModel;
    if (best == null) {
      return;
    }
    if (isEmpty()) {
      throw new InvalidInputException(
          "metricForBestModel '" + best + "' names a metric, but the run has none: no evaluator is"
              + " configured; add one (\"evaluators\") or leave metricForBestModel out");
    }
    List<String> scalars = keys.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    Boolean scalar = keys.get(best);
    if (scalar == null) {
      throw new InvalidInputException(
          "metricForBestModel '" + best + "' is not a metric of this run; its metrics are "
              + String.join(", ", scalars) + " (<evaluator name>/<key>)");
    }
    if (!scalar) {
      throw new InvalidInputException(
          "metricForBestModel '" + best + "' is a per-label array, not one number; name a single"
              + " metric, such as one of "
              + String.join(", ", scalars.stream().filter(k -> !k.equals(trainLoss)).toList()));
    }
  }

  /**
   * Runs every evaluator with a scorer.
   *
   * @param scorer the model, never null
   * @return the single-number metrics as {@code <name>/<key>}, in report order (per-label arrays
   *     are left out), never null
   * @throws InvalidInputException if an evaluator refuses the scores
   */
  public LinkedHashMap<String, Double> evaluate(PairScorer scorer) {
    LinkedHashMap<String, Double> values = new LinkedHashMap<>();
    for (Task t : tasks) {
      Evaluation ev = t.evaluator().evaluate(t.samples(), scorer, t.spec().params());
      for (String key : ev.keys()) {
        if (!ev.isArray(key)) {
          values.put(t.spec().name() + "/" + key, ev.get(key));
        }
      }
    }
    return values;
  }
}
