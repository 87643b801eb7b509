package dev.ce4j.train;

import dev.ce4j.train.sampling.DataPosition;
import java.util.Map;

/**
 * The mutable state of the training loop: what a checkpoint saves besides the weights and the
 * optimiser (see {@link CheckpointWriter}). Not thread-safe.
 */
final class LoopState {
  /** Optimisation steps taken. */
  long step;
  /** The next batch to train. */
  DataPosition position = DataPosition.START;
  /** The best value of {@code metricForBestModel} so far (for early stopping), or NaN. */
  double bestMetric = Double.NaN;
  /** The step of {@link #bestMetric}, or -1. */
  long bestStep = -1;
  /** Evaluations since the best one. */
  int evalsWithoutImprovement;
  /** The sum of the step losses since the previous evaluation. */
  double lossSum;
  /** The number of step losses in {@link #lossSum}. */
  long lossCount;
  /** The step of the best checkpoint (for {@code loadBestModelAtEnd}), or -1. */
  long bestCheckpointStep = -1;
  /** The metric of the best checkpoint, or NaN. */
  double bestCheckpointMetric = Double.NaN;
  /** The metrics of the latest evaluation. */
  Map<String, Double> lastMetrics = Map.of();
}
