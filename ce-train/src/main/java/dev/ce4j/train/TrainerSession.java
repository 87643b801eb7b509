package dev.ce4j.train;

import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.train.optim.AdamW;
import java.util.Map;

/**
 * What a run holds open and what it learns while setting up: the model, the optimiser and the
 * metrics' declarations. The parts of the trainer fill it in; {@link CrossEncoderTrainer#close()}
 * releases it, also after a failure half-way through the set-up. Not thread-safe.
 */
final class TrainerSession implements AutoCloseable {
  /** The model being trained, or null before it is loaded. */
  CrossEncoder model;
  /** The optimiser, or null before it is made. */
  AdamW optimizer;
  /** The run's metrics, each with its kind and direction, in report order. */
  Map<String, MetricSpec> metricSpecs = Map.of();

  /**
   * Whether a metric is a count (printed as an integer).
   *
   * @param key the metric key, never null
   * @return true when the metric is declared a count
   */
  boolean isCount(String key) {
    MetricSpec spec = metricSpecs.get(key);
    return spec != null && spec.kind().isCount();
  }

  /** Releases the optimiser state and the model; idempotent. */
  @Override
  public void close() {
    if (optimizer != null) {
      optimizer.close();
      optimizer = null;
    }
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
