package dev.ce4j.train;

import dev.ce4j.train.manifest.MetricsRecord;
import java.nio.file.Path;

/**
 * Observes a training run. Every method has an empty default; callbacks must not change the
 * model or draw from the engine's random generators (that would break reproducibility). Called on
 * the training thread; implementations need not be thread-safe.
 */
public interface TrainingCallback {
  /**
   * After each optimisation step.
   *
   * @param step the steps taken so far, from 1
   * @param loss the step's mean training loss
   * @param learningRate the learning rate the step used
   */
  default void onStep(long step, double loss, double learningRate) {}

  /**
   * After each evaluation.
   *
   * @param record the metrics, never null
   */
  default void onEvaluation(MetricsRecord record) {}

  /**
   * After each checkpoint is committed.
   *
   * @param step the checkpoint's step
   * @param directory the checkpoint folder, never null
   * @param fingerprint the model's fingerprint, never null
   */
  default void onCheckpoint(long step, Path directory, String fingerprint) {}
}
