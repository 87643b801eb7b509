package dev.ce4j.train.config;

import java.util.Locale;

/** The learning-rate schedule after warmup, as transformers' {@code lr_scheduler_type}. */
public enum SchedulerType {
  /** The learning rate stays at its peak after warmup. */
  CONSTANT,
  /** Linear decay from the peak to 0 at the last step. */
  LINEAR,
  /** Half a cosine from the peak to 0 at the last step. */
  COSINE;

  /**
   * The name used in JSON configs.
   *
   * @return the lowercase name, never null
   */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
