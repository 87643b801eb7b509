package dev.ce4j.core;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.CrossEncoderOptions.Precision;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.engine.CpuFeatures;
import dev.ce4j.core.model.ModelWeights;

/**
 * Whether a model can score in int8 or bfloat16 here, and its pass when it can: the device must be
 * the CPU, the family must have a reduced-precision pass ({@link
 * dev.ce4j.core.arch.Architecture#reducedPrecisionPass}), bfloat16 needs a CPU with {@code
 * avx512_bf16} (or {@value #BF16_ANY_CPU_PROPERTY}), and libtorch must be able to make the weights.
 * Each refusal says which of these failed.
 */
final class ReducedPrecision {
  /**
   * Set to {@code true}, lets bfloat16 scoring run on a CPU without {@code avx512_bf16}, where
   * libtorch emulates the format (same rounding, several times slower than float32): for checking
   * bfloat16 results on such a machine, never for speed.
   */
  static final String BF16_ANY_CPU_PROPERTY = "ce.precision.bf16.anyCpu";

  private ReducedPrecision() {}

  /**
   * The pass, or a refusal.
   *
   * @throws InvalidInputException naming what prevents scoring in {@code precision}
   */
  static ScoringPass compile(ModelConfig config, ModelWeights weights, Precision precision, String configSource) {
    String device = weights.manager().getDevice().getDeviceType();
    if (!"cpu".equals(device)) {
      throw new InvalidInputException(precision + " scoring runs on the CPU only; this model is on "
          + weights.manager().getDevice() + " (use --device cpu, or precision fp32)");
    }
    if (precision == Precision.BF16 && !CpuFeatures.has("avx512_bf16")
        && !Boolean.getBoolean(BF16_ANY_CPU_PROPERTY)) {
      throw new InvalidInputException("bf16 scoring needs a CPU with avx512_bf16, and this CPU ("
          + CpuFeatures.modelName() + ") does not report it: libtorch would emulate bfloat16, slower"
          + " than fp32; use precision int8 or fp32");
    }
    ScoringPass pass;
    try {
      pass = config.architecture().reducedPrecisionPass(weights, precision).orElse(null);
    } catch (IllegalStateException e) {
      throw new InvalidInputException(precision + " scoring is not available with this libtorch on this"
          + " CPU: " + e.getMessage() + "; use precision fp32", e);
    }
    if (pass == null) {
      throw new InvalidInputException(precision + " scoring is written for the encoder families (bert,"
          + " roberta, xlm-roberta, electra, distilbert); " + configSource + " is " + config.modelType()
          + ", which scores in fp32 only");
    }
    return pass;
  }
}
