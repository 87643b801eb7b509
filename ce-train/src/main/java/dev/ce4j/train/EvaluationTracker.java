package dev.ce4j.train;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.NonFiniteScoreException;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.Evaluations;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.progress.MetricsWriter;
import dev.ce4j.train.sampling.BatchSampler;
import dev.ce4j.train.sampling.DataPosition;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Evaluation during training: runs the evaluators (with {@code train/loss}, the mean step loss
 * since the previous evaluation), tracks the best value of {@code metricForBestModel} and counts
 * the evaluations without improvement for early stopping. Not thread-safe.
 */
final class EvaluationTracker {
  private final TrainingArguments args;
  private final Evaluations evals;
  private final BatchSampler sampler;
  private final TrainerSession session;
  private final Divergence divergence;

  EvaluationTracker(RunSetup setup, Divergence divergence) {
    this.args = setup.args;
    this.evals = setup.evals;
    this.sampler = setup.sampler;
    this.session = setup.session;
    this.divergence = divergence;
  }

  /**
   * Whether the run has evaluators at all.
   *
   * @return true when there is at least one
   */
  boolean any() {
    return !evals.isEmpty();
  }

  /**
   * Evaluates the model at the state's step, resetting the loss accumulator and recording the
   * metrics as the state's latest.
   *
   * @param st the loop state, never null
   * @return the metrics, never null
   * @throws TrainingDivergedException if the model's scores are not finite
   * @throws IOException if the checkpoints cannot be listed for the divergence message
   */
  MetricsRecord evaluate(LoopState st) throws IOException {
    LinkedHashMap<String, Double> values = new LinkedHashMap<>();
    values.put(CrossEncoderTrainer.TRAIN_LOSS, st.lossCount == 0 ? Double.NaN : st.lossSum / st.lossCount);
    st.lossSum = 0;
    st.lossCount = 0;
    Evaluations.Result result;
    try {
      result = evals.evaluate(session.model);
    } catch (NonFiniteScoreException e) {
      throw divergence.diverged(st.step,
          "the model's scores on the evaluation data are no longer finite (the logit of pair "
              + e.pairIndex() + " is " + e.logit() + ") although its weights are");
    }
    values.putAll(result.values());
    st.lastMetrics = values;
    return new MetricsRecord(st.step, fractionalEpoch(st.position, sampler), values, result.perLabel());
  }

  /**
   * Updates the best metric and the early-stopping count.
   *
   * @param st the loop state, never null
   * @param record the evaluation's metrics, never null
   * @return whether to stop early
   * @throws InvalidInputException if {@code metricForBestModel} is not among the metrics
   */
  boolean updateBest(LoopState st, MetricsRecord record) {
    String key = args.metricForBestModel();
    if (key == null) {
      return false;
    }
    Double v = record.values().get(key);
    if (v == null) {
      throw new InvalidInputException(
          "metricForBestModel '" + key + "' is not among the metrics: " + String.join(", ", record.values().keySet()));
    }
    boolean improved =
        Double.isNaN(st.bestMetric)
            || (args.greaterIsBetter()
                ? v > st.bestMetric + args.earlyStoppingMinDelta()
                : v < st.bestMetric - args.earlyStoppingMinDelta());
    if (improved && !Double.isNaN(v)) {
      st.bestMetric = v;
      st.bestStep = st.step;
      st.evalsWithoutImprovement = 0;
    } else {
      st.evalsWithoutImprovement++;
    }
    return args.earlyStoppingPatience() > 0 && st.evalsWithoutImprovement >= args.earlyStoppingPatience();
  }

  /**
   * The epoch as a fraction: the epoch plus the share of its batches already trained.
   *
   * @param p the position, never null
   * @param sampler the sampler, never null
   * @return the fractional epoch
   */
  static double fractionalEpoch(DataPosition p, BatchSampler sampler) {
    int count = sampler.batchCount(p.epoch());
    return p.epoch() + (count == 0 ? 0 : (double) p.batchIndex() / count);
  }

  /**
   * The metrics as one progress line: {@code key value | key value}, counts as integers.
   *
   * @param values the metrics, never null
   * @param isCount which keys are counts, never null
   * @return the line, never null
   */
  static String format(Map<String, Double> values, Predicate<String> isCount) {
    StringBuilder b = new StringBuilder();
    values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " | ").append(k).append(' ').append(
        isCount.test(k) && MetricsWriter.isWholeNumber(v)
            ? Long.toString(v.longValue())
            : String.format(Locale.ROOT, "%.6f", v)));
    return b.toString();
  }
}
