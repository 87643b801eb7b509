package dev.ce4j.train.schedule;

import dev.ce4j.api.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named schedules, with transformers' {@code SchedulerType} names. Thread-safe.
 */
public enum ScheduleType {
  /** {@code constant}: multiplier 1, warmup ignored ({@code get_constant_schedule}). */
  CONSTANT("constant"),
  /** {@code constant_with_warmup}: linear warmup, then 1. */
  CONSTANT_WITH_WARMUP("constant_with_warmup"),
  /** {@code linear}: linear warmup, then linear decay to 0 at the last step. */
  LINEAR("linear"),
  /** {@code cosine}: linear warmup, then half a cosine down to 0 at the last step. */
  COSINE("cosine");

  private final String id;

  ScheduleType(String id) {
    this.id = id;
  }

  /**
   * The stable lowercase name, as in transformers' {@code lr_scheduler_type}.
   *
   * @return the name, never null
   */
  public String id() {
    return id;
  }

  /**
   * The schedule of this type.
   *
   * @param warmupSteps the number of warmup steps, at least 0 (ignored by {@link #CONSTANT})
   * @param totalSteps the number of optimiser steps of the run, at least 0 (used by {@link
   *     #LINEAR} and {@link #COSINE})
   * @return the schedule, never null
   */
  public LrSchedule create(long warmupSteps, long totalSteps) {
    return switch (this) {
      case CONSTANT -> LrSchedules.constant();
      case CONSTANT_WITH_WARMUP -> LrSchedules.constantWithWarmup(warmupSteps);
      case LINEAR -> LrSchedules.linearWithWarmup(warmupSteps, totalSteps);
      case COSINE -> LrSchedules.cosineWithWarmup(warmupSteps, totalSteps);
    };
  }

  /**
   * The type with a name.
   *
   * @param id a name such as {@code linear}, never null; case-insensitive
   * @return the type, never null
   * @throws InvalidInputException quoting the name and listing the known ones if unknown
   */
  public static ScheduleType fromId(String id) {
    for (ScheduleType t : values()) {
      if (t.id.equals(id.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new InvalidInputException(
        "unknown learning-rate scheduler '"
            + id
            + "'; use one of "
            + Arrays.stream(values()).map(ScheduleType::id).collect(Collectors.joining(", ")));
  }
}
