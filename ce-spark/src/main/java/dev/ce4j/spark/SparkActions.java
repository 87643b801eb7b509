package dev.ce4j.spark;

import dev.ce4j.api.CeException;
import dev.ce4j.spark.internal.SparkErrors;
import java.util.function.Supplier;

/**
 * Runs a Spark action on the driver so that a {@code ce} error raised in a task (a null text naming
 * its row, an executor whose model differs, ...) arrives as that error: Spark reports a failed task
 * as a {@code SparkException} whose message is mostly the scheduler's and whose cause is lost. For
 * example {@code SparkActions.run(() -> SparkScoring.score(data, options).collectAsList())}.
 * Stateless.
 */
public final class SparkActions {
  private SparkActions() {}

  /**
   * Runs an action.
   *
   * @param <T> the result type
   * @param action the action, never null
   * @return its result
   * @throws CeException with the task's message (an {@link dev.ce4j.api.InvalidInputException} for
   *     bad input), the Spark exception kept as the cause; other failures unchanged
   */
  public static <T> T run(Supplier<T> action) {
    return SparkErrors.run(action);
  }
}
