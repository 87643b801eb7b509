package dev.ce4j.core;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.model.ModelWeights;

/**
 * The scoring pass of one {@link CrossEncoder}: compiled at its first use (at load when the
 * precision is not float32, so that a refusal comes before the model is returned) and closed with
 * the model.
 *
 * <p>Thread-safe.
 */
final class ScoringPassSlot implements AutoCloseable {
  private final ModelConfig config;
  private final ModelWeights weights;
  private final boolean scripted;
  private final boolean onednn;
  private final CrossEncoderOptions.Precision precision;
  private final String configSource;
  private final Object lock = new Object();
  private volatile ScoringPass pass;
  private boolean closed; // guarded by lock

  ScoringPassSlot(
      ModelConfig config, ModelWeights weights, CrossEncoderOptions options, boolean cpu, String configSource) {
    this.config = config;
    this.weights = weights;
    this.scripted = options.inference() != CrossEncoderOptions.Inference.EAGER;
    this.onednn = cpu && options.inference() == CrossEncoderOptions.Inference.FASTEST;
    this.precision = options.precision();
    this.configSource = configSource;
  }

  /** The precision the options asked for. */
  CrossEncoderOptions.Precision precision() {
    return precision;
  }

  /**
   * The pass, compiled at the first call; null when the options chose the eager pass or the
   * architecture has no scoring pass.
   *
   * @throws IllegalStateException if the model is closed, or the float32 pass cannot be compiled
   * @throws dev.ce4j.api.InvalidInputException if the precision is refused ({@link ReducedPrecision})
   */
  ScoringPass get() {
    if (!scripted) {
      return null;
    }
    ScoringPass s = pass;
    if (s == null) {
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException("this CrossEncoder is closed");
        }
        s = pass;
        if (s == null) {
          s = compile();
          pass = s;
        }
      }
    }
    return s;
  }

  private ScoringPass compile() {
    if (precision != CrossEncoderOptions.Precision.FP32) {
      return ReducedPrecision.compile(config, weights, precision, configSource);
    }
    try {
      return config.architecture().scoringPass(weights, onednn).orElse(null);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "; score without it with CrossEncoderOptions"
          + ".withInference(EAGER) or -D" + CrossEncoderOptions.INFERENCE_PROPERTY + "=eager (same results,"
          + " slower at small batches)", e);
    }
  }

  /** Closes the pass, if compiled. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (pass != null) {
        pass.close();
        pass = null;
      }
    }
  }
}
