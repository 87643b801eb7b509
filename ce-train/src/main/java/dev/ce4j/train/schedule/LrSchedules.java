package dev.ce4j.train.schedule;

/**
 * transformers' learning-rate schedules ({@code transformers/optimization.py}), as pure
 * functions, and its rule for the number of warmup steps. The formulas are transformers', in the
 * same double-precision operations; {@code cos} is {@link StrictMath#cos(double)} so that every
 * JVM computes the same bits. Thread-safe (stateless).
 */
public final class LrSchedules {
  private LrSchedules() {}

  /**
   * {@code get_constant_schedule}: always 1.
   *
   * @return the schedule, never null
   */
  public static LrSchedule constant() {
    return step -> 1.0;
  }

  /**
   * {@code get_constant_schedule_with_warmup}: {@code step / max(1, warmup)} during warmup, then
   * 1.
   *
   * @param warmupSteps the number of warmup steps, at least 0
   * @return the schedule, never null
   */
  public static LrSchedule constantWithWarmup(long warmupSteps) {
    requireNonNegative("warmup steps", warmupSteps);
    return step -> {
      requireNonNegative("step", step);
      if (step < warmupSteps) {
        return (double) step / Math.max(1.0, warmupSteps);
      }
      return 1.0;
    };
  }

  /**
   * {@code get_linear_schedule_with_warmup}: warmup, then {@code max(0, (total - step) / max(1,
   * total - warmup))}.
   *
   * @param warmupSteps the number of warmup steps, at least 0
   * @param totalSteps the number of optimiser steps of the run, at least 0
   * @return the schedule, never null
   */
  public static LrSchedule linearWithWarmup(long warmupSteps, long totalSteps) {
    requireNonNegative("warmup steps", warmupSteps);
    requireNonNegative("total steps", totalSteps);
    return step -> {
      requireNonNegative("step", step);
      if (step < warmupSteps) {
        return (double) step / (double) Math.max(1, warmupSteps);
      }
      return Math.max(
          0.0, (double) (totalSteps - step) / (double) Math.max(1, totalSteps - warmupSteps));
    };
  }

  /**
   * {@code get_cosine_schedule_with_warmup} with {@code num_cycles = 0.5}: warmup, then half a
   * cosine from 1 to 0.
   *
   * @param warmupSteps the number of warmup steps, at least 0
   * @param totalSteps the number of optimiser steps of the run, at least 0
   * @return the schedule, never null
   */
  public static LrSchedule cosineWithWarmup(long warmupSteps, long totalSteps) {
    return cosineWithWarmup(warmupSteps, totalSteps, 0.5);
  }

  /**
   * {@code get_cosine_schedule_with_warmup}: warmup, then {@code max(0, 0.5 * (1 + cos(pi *
   * num_cycles * 2 * progress)))} with {@code progress = (step - warmup) / max(1, total -
   * warmup)}.
   *
   * @param warmupSteps the number of warmup steps, at least 0
   * @param totalSteps the number of optimiser steps of the run, at least 0
   * @param numCycles the number of cosine periods over the decay (0.5: from 1 down to 0), finite
   * @return the schedule, never null
   */
  public static LrSchedule cosineWithWarmup(long warmupSteps, long totalSteps, double numCycles) {
    requireNonNegative("warmup steps", warmupSteps);
    requireNonNegative("total steps", totalSteps);
    if (!Double.isFinite(numCycles)) {
      throw new IllegalArgumentException("num_cycles must be finite, got " + numCycles);
    }
    return step -> {
      requireNonNegative("step", step);
      if (step < warmupSteps) {
        return (double) step / (double) Math.max(1, warmupSteps);
      }
      double progress =
          (double) (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
      return Math.max(0.0, 0.5 * (1.0 + StrictMath.cos(Math.PI * numCycles * 2.0 * progress)));
    };
  }

  /**
   * transformers' {@code TrainingArguments.get_warmup_steps}: {@code warmupSteps} if positive,
   * otherwise {@code ceil(totalSteps * warmupRatio)}.
   *
   * @param warmupSteps an explicit number of warmup steps, at least 0 (0: use the ratio)
   * @param warmupRatio the fraction of the run spent warming up, in [0, 1]
   * @param totalSteps the number of optimiser steps of the run, at least 0
   * @return the number of warmup steps
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static long warmupSteps(long warmupSteps, double warmupRatio, long totalSteps) {
    requireNonNegative("warmup steps", warmupSteps);
    requireNonNegative("total steps", totalSteps);
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1], got " + warmupRatio);
    }
    return warmupSteps > 0 ? warmupSteps : (long) Math.ceil(totalSteps * warmupRatio);
  }

  private static void requireNonNegative(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    }
  }
}
