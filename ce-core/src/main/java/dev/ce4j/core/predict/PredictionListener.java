package dev.ce4j.core.predict;

/**
 * Told how far a prediction has come, after each batch: for progress bars and logs on long calls.
 * Called on the thread that runs the prediction; an exception it throws ends the prediction with
 * that exception.
 */
@FunctionalInterface
public interface PredictionListener {
  /** A listener that does nothing. */
  PredictionListener NONE = (scored, total) -> { };

  /**
   * Reports progress.
   *
   * @param scored the pairs scored so far, from 1 to {@code total}
   * @param total the pairs of the call
   */
  void onProgress(int scored, int total);
}
