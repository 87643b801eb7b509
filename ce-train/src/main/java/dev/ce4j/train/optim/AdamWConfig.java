package dev.ce4j.train.optim;

/**
 * The hyperparameters of {@link AdamW}, with {@code torch.optim.AdamW}'s defaults. The learning
 * rate is not one of them: it is passed to every {@link AdamW#step(double)}, as a scheduler sets
 * it.
 *
 * @param beta1 decay of the first moment, in [0, 1); torch's default 0.9
 * @param beta2 decay of the second moment, in [0, 1); torch's default 0.999
 * @param eps added to the denominator, at least 0; torch's default 1e-8
 * @param weightDecay decoupled weight decay of the parameters that decay, at least 0; torch's
 *     default 0.01 (transformers' trainer defaults to 0)
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {
  /** torch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
  public static final AdamWConfig TORCH_DEFAULTS = new AdamWConfig(0.9, 0.999, 1e-8, 0.01);

  /** Validates the ranges, as torch does. */
  public AdamWConfig {
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight decay must be a finite number >= 0, got " + weightDecay);
    }
  }

  /**
   * torch's defaults with another weight decay.
   *
   * @param weightDecay the decoupled weight decay, at least 0
   * @return the configuration, never null
   */
  public static AdamWConfig withWeightDecay(double weightDecay) {
    return new AdamWConfig(0.9, 0.999, 1e-8, weightDecay);
  }
}
