package dev.ce4j.train.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.MetricSpec;
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
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The evaluators of a run, each with its parameters, data and declared metrics: loaded and checked
 * when the run is built, and run at every evaluation. Metric keys are {@code <name>/<key>}; the
 * training loss ({@code train/loss}) is a lower-is-better number. Immutable; as thread-safe as the
 * evaluators (which must be stateless).
 */
public final class Evaluations {
  /** One configured evaluator with its data and declared metrics (empty: undeclared). */
  private record Task(EvaluatorSpec spec, Evaluator evaluator, Samples samples, List<MetricSpec> declared) {
    String prefix() {
      return spec.name() + "/";
    }

    String describe() {
      return "evaluator '" + spec.name() + "' (" + evaluator.id() + ", " + evaluator.getClass().getName() + ")";
    }
  }

  /**
   * The metrics of one evaluation, keyed {@code <name>/<key>}.
   *
   * @param values the single numbers (counts included), in report order, never null
   * @param perLabel the per-label arrays, in report order, never null
   */
  public record Result(LinkedHashMap<String, Double> values, LinkedHashMap<String, double[]> perLabel) {}

  private final List<Task> tasks;

  private Evaluations(List<Task> tasks) {
    this.tasks = List.copyOf(tasks);
  }

  /**
   * Looks up every evaluator, checks its parameters, reads its data and its declared metrics.
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
      List<MetricSpec> declared;
      try {
        declared = e.metrics(spec.params());
      } catch (InvalidInputException ex) {
        throw new InvalidInputException(
            "evaluator '" + spec.name() + "' (" + spec.id() + " on " + spec.data().path() + "): " + ex.getMessage(),
            ex);
      }
      tasks.add(new Task(spec, e, DataFiles.load(spec.data(), e.inputKind()),
          declared == null ? List.of() : List.copyOf(declared)));
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
   * The declaration of a metric of this run, known before anything is evaluated: the training loss,
   * or a metric its evaluator declares.
   *
   * @param key a metric key, {@code <name>/<key>}, never null
   * @param trainLoss the key of the training loss
   * @return the spec (its key without the prefix), or empty for a metric of an evaluator that
   *     declares none, or no metric at all
   */
  public Optional<MetricSpec> declared(String key, String trainLoss) {
    if (key.equals(trainLoss)) {
      return Optional.of(MetricSpec.lowerIsBetter(trainLoss, "mean training loss since the previous evaluation"));
    }
    for (Task t : tasks) {
      if (key.startsWith(t.prefix())) {
        String raw = key.substring(t.prefix().length());
        return t.declared().stream().filter(m -> m.key().equals(raw)).findFirst();
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a larger {@code metricForBestModel} is better: the configured value when there is one,
   * else the direction its evaluator declares, else (an evaluator that declares none) false when
   * the key ends with {@code loss}. A configured value that contradicts the declared direction is
   * honoured and reported to {@code warnings}.
   *
   * @param metric the configured {@code metricForBestModel}, or null (then true, as when it is unset)
   * @param configured the configured {@code greaterIsBetter}, or null
   * @param trainLoss the key of the training loss
   * @param warnings receives one sentence per contradiction, never null
   * @return the direction to rank by
   * @throws InvalidInputException if the declared metric is a per-label array or a count, or has no
   *     direction (a threshold) and none is configured; naming it
   */
  public boolean greaterIsBetter(String metric, Boolean configured, String trainLoss, Consumer<String> warnings) {
    if (metric == null) {
      return configured == null || configured;
    }
    Optional<MetricSpec> spec = declared(metric, trainLoss);
    if (spec.isEmpty()) {
      return configured != null
          ? configured
          : MetricSpec.inferredDirection(metric) == MetricSpec.Direction.HIGHER_IS_BETTER;
    }
    MetricSpec m = spec.get();
    requireRankable(metric, m, trainLoss);
    if (m.direction() == MetricSpec.Direction.NONE) {
      if (configured == null) {
        throw new InvalidInputException(
            "metricForBestModel '" + metric + "' has no better direction (its evaluator declares it neither"
                + " higher- nor lower-is-better, as for a threshold); name a metric that measures the model, such"
                + " as one of " + String.join(", ", rankable(trainLoss)) + ", or set greaterIsBetter to rank by it"
                + " anyway");
      }
      return configured;
    }
    boolean declaredHigher = m.direction() == MetricSpec.Direction.HIGHER_IS_BETTER;
    if (configured != null && configured != declaredHigher) {
      warnings.accept("greaterIsBetter " + configured + " contradicts metricForBestModel '" + metric + "', which its"
          + " evaluator declares " + m.direction().jsonName() + "-is-better; the run ranks by greaterIsBetter "
          + configured + " as configured (leave greaterIsBetter out to follow the declaration)");
    }
    return configured != null ? configured : declaredHigher;
  }

  /**
   * The metrics the evaluators report for a model with {@code numLabels} outputs, found before
   * training by evaluating each once on its data with the same score for every pair (the
   * activation of a zero logit; no model runs): as declared, checked against that result, or
   * inferred from it for an evaluator that declares none. This also finds evaluation data that
   * does not fit the model, such as a class index beyond its outputs.
   *
   * @param numLabels the model's number of outputs, at least 1
   * @param activation the model's activation, never null
   * @return every {@code <name>/<key>}, in report order, mapped to its spec; never null
   * @throws InvalidInputException if an evaluator refuses its data for this model, or returns
   *     other metrics than it declares, naming the evaluator and its data file
   */
  public LinkedHashMap<String, MetricSpec> metrics(int numLabels, ScoreActivation activation) {
    double[] row = new double[numLabels];
    Arrays.fill(row, activation.apply(0.0));
    PairScorer constant = pairs -> {
      double[][] out = new double[pairs.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = row.clone();
      }
      return out;
    };
    LinkedHashMap<String, MetricSpec> keys = new LinkedHashMap<>();
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
      List<MetricSpec> specs = t.declared();
      if (!specs.isEmpty()) {
        List<String> wrong = MetricSpec.mismatches(specs, ev);
        if (!wrong.isEmpty()) {
          throw new InvalidInputException(
              t.describe() + " returns other metrics than it declares: " + String.join("; ", wrong)
                  + ". This is a bug in the evaluator (its EvaluatorContractTest from ce-test reports it)");
        }
      } else {
        specs = MetricSpec.of(t.evaluator(), t.spec().params(), ev);
      }
      for (MetricSpec m : specs) {
        keys.put(t.prefix() + m.key(), m);
      }
    }
    return keys;
  }

  /**
   * Checks, before training, that every evaluator can evaluate a model with {@code numLabels}
   * outputs with its data and parameters and returns the metrics it declares (see {@link
   * #metrics}), and that {@code metricForBestModel}, when set, is one of the run's single-number
   * metrics and not a count.
   *
   * @param numLabels the model's number of outputs, at least 1
   * @param activation the model's activation, never null
   * @param metricForBestModel the configured metric key, or null
   * @param trainLoss the key of the training loss, which is a metric when there are evaluators
   * @return every metric of the run, the training loss first, mapped to its spec; never null
   * @throws InvalidInputException if an evaluator refuses its data or parameters, or the metric is
   *     not one of the run's, is a per-label array or a count, or names a metric of a run without
   *     evaluators
   */
  public LinkedHashMap<String, MetricSpec> requireFits(
      int numLabels, ScoreActivation activation, String metricForBestModel, String trainLoss) {
    LinkedHashMap<String, MetricSpec> keys = new LinkedHashMap<>();
    keys.put(trainLoss, declared(trainLoss, trainLoss).orElseThrow());
    keys.putAll(metrics(numLabels, activation));
    String best = metricForBestModel;
    if (best == null) {
      return keys;
    }
    if (isEmpty()) {
      throw new InvalidInputException(
          "metricForBestModel '" + best + "' names a metric, but the run has none: no evaluator is"
              + " configured; add one (\"evaluators\") or leave metricForBestModel out");
    }
    MetricSpec spec = keys.get(best);
    if (spec == null) {
      List<String> scalars = keys.entrySet().stream().filter(e -> !e.getValue().kind().isArray())
          .map(Map.Entry::getKey).toList();
      throw new InvalidInputException(
          "metricForBestModel '" + best + "' is not a metric of this run; its metrics are "
              + String.join(", ", scalars) + " (<evaluator name>/<key>)");
    }
    requireRankable(best, spec, trainLoss, keys);
    return keys;
  }

  private void requireRankable(String key, MetricSpec spec, String trainLoss) {
    requireRankable(key, spec, trainLoss, null);
  }

  private void requireRankable(String key, MetricSpec spec, String trainLoss, Map<String, MetricSpec> known) {
    if (!spec.kind().isArray() && !spec.kind().isCount()) {
      return;
    }
    String examples = String.join(", ", known == null ? rankable(trainLoss) : rankable(known, trainLoss));
    if (spec.kind().isArray()) {
      throw new InvalidInputException(
          "metricForBestModel '" + key + "' is a per-label array, not one number; name a single metric, such as"
              + " one of " + examples);
    }
    throw new InvalidInputException(
        "metricForBestModel '" + key + "' is a count: it describes the evaluation data, not the model; name a"
            + " metric that measures the model, such as one of " + examples);
  }

  /** The declared metrics a run may rank by (single numbers with a direction), for messages. */
  private List<String> rankable(String trainLoss) {
    LinkedHashMap<String, MetricSpec> declared = new LinkedHashMap<>();
    for (Task t : tasks) {
      t.declared().forEach(m -> declared.put(t.prefix() + m.key(), m));
    }
    return rankable(declared, trainLoss);
  }

  private static List<String> rankable(Map<String, MetricSpec> specs, String trainLoss) {
    return specs.entrySet().stream()
        .filter(e -> !e.getKey().equals(trainLoss) && e.getValue().kind() == MetricSpec.Kind.SCALAR
            && e.getValue().direction() != MetricSpec.Direction.NONE)
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * Runs every evaluator with a scorer.
   *
   * @param scorer the model, never null
   * @return the metrics as {@code <name>/<key>}, in report order, never null
   * @throws InvalidInputException if an evaluator refuses the scores
   */
  public Result evaluate(PairScorer scorer) {
    LinkedHashMap<String, Double> values = new LinkedHashMap<>();
    LinkedHashMap<String, double[]> perLabel = new LinkedHashMap<>();
    for (Task t : tasks) {
      Evaluation ev = t.evaluator().evaluate(t.samples(), scorer, t.spec().params());
      for (String key : ev.keys()) {
        if (ev.isArray(key)) {
          perLabel.put(t.prefix() + key, ev.getArray(key));
        } else {
          values.put(t.prefix() + key, ev.get(key));
        }
      }
    }
    return new Result(values, perLabel);
  }
}
