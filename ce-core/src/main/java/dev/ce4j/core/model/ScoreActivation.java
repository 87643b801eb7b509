package dev.ce4j.core.model;

/**
 * The function applied to a cross-encoder's logits to turn them into scores, named as
 * sentence-transformers names it in {@code config.json} (the fully qualified PyTorch module).
 *
 * <p>sentence-transformers' default is {@link #SIGMOID} for one label and {@link #IDENTITY}
 * otherwise. Thread-safe.
 */
public enum ScoreActivation {
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID("torch.nn.modules.activation.Sigmoid"),
  /** The logits unchanged. */
  IDENTITY("torch.nn.modules.linear.Identity"),
  /** {@code tanh(x)}. */
  TANH("torch.nn.modules.activation.Tanh");

  private final String className;

  ScoreActivation(String className) {
    this.className = className;
  }

  /**
   * The PyTorch module class name sentence-transformers writes for this activation.
   *
   * @return the class name, never null
   */
  public String className() {
    return className;
  }

  /**
   * Applies the activation to one logit.
   *
   * @param x the logit
   * @return the score
   */
  public double apply(double x) {
    return switch (this) {
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
      case IDENTITY -> x;
      case TANH -> Math.tanh(x);
    };
  }

  /**
   * The activation with a PyTorch class name.
   *
   * @param className a name such as {@code torch.nn.modules.activation.Sigmoid}, never null
   * @return the activation, or null if not supported
   */
  public static ScoreActivation fromClassName(String className) {
    for (ScoreActivation a : values()) {
      if (a.className.equals(className)) {
        return a;
      }
    }
    return null;
  }

  /**
   * sentence-transformers' default for a number of labels.
   *
   * @param numLabels the number of outputs, at least 1
   * @return {@link #SIGMOID} for one label, {@link #IDENTITY} otherwise
   */
  public static ScoreActivation defaultFor(int numLabels) {
    return numLabels == 1 ? SIGMOID : IDENTITY;
  }
}
