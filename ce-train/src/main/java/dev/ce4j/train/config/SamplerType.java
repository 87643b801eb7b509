package dev.ce4j.train.config;

/** How training examples are grouped into batches. */
public enum SamplerType {
  /** A seeded random permutation per epoch, cut into batches. */
  RANDOM("random"),
  /**
   * As {@link #RANDOM}, but no text appears twice in a batch (sentence-transformers'
   * {@code NoDuplicatesBatchSampler}); for losses that use in-batch negatives.
   */
  NO_DUPLICATES("no-duplicates"),
  /**
   * As {@link #RANDOM}, but examples of similar length share a batch (transformers' {@code
   * group_by_length}), so that less of each batch is padding; see {@code
   * LengthGroupedBatchSampler}.
   */
  GROUP_BY_LENGTH("group-by-length");

  private final String jsonName;

  SamplerType(String jsonName) {
    this.jsonName = jsonName;
  }

  /**
   * The name used in JSON configs.
   *
   * @return the name, never null
   */
  public String jsonName() {
    return jsonName;
  }
}
