package dev.ce4j.train.optim;

/**
 * How transformers' {@code Trainer} splits parameters into two AdamW groups: weight decay for
 * most, none for biases and normalisation weights. Thread-safe (stateless).
 */
public final class ParameterGroups {
  private ParameterGroups() {}

  /**
   * Whether a parameter is exempt from weight decay: its name ends with {@code .bias} or contains
   * {@code LayerNorm.} or {@code layer_norm}.
   *
   * @param name a parameter name such as {@code bert.encoder.layer.0.output.LayerNorm.weight},
   *     never null
   * @return true if the parameter gets no weight decay
   */
  public static boolean isNoDecay(String name) {
    return name.endsWith(".bias") || name.contains("LayerNorm.") || name.contains("layer_norm");
  }
}
