package dev.ce4j.train.mining;

/** How negatives are chosen among a query's eligible candidates. */
public enum SamplingStrategy {
  /** The highest-scoring eligible candidates. */
  TOP,
  /** A seeded uniform sample, without replacement, of the eligible candidates. */
  RANDOM
}
