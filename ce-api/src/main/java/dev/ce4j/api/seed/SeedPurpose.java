package dev.ce4j.api.seed;

/**
 * The named purposes that draw random numbers in a training run. Each purpose gets its own seed,
 * so changing how many numbers one purpose draws never shifts another's stream.
 */
public enum SeedPurpose {
  /** Weight initialisation of new parameters (fresh models, new heads). */
  WEIGHT_INIT("weight-init"),
  /** The order of training data; index = epoch. */
  DATA_ORDER("data-order"),
  /** Dropout masks; index = optimisation step. */
  DROPOUT("dropout"),
  /** Negative sampling and hard-negative mining. */
  NEGATIVE_SAMPLING("negative-sampling"),
  /** Sampling done by evaluators (for example subsampling dev data). */
  EVALUATOR_SAMPLING("evaluator-sampling");

  private final String key;

  SeedPurpose(String key) {
    this.key = key;
  }

  /**
   * The stable name hashed into the derived seed; it never changes across releases.
   *
   * @return the key, never null
   */
  public String key() {
    return key;
  }
}
