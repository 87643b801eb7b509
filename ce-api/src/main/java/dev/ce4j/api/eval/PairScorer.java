package dev.ce4j.api.eval;

import dev.ce4j.api.TextPair;
import java.util.List;

/**
 * Anything that scores text pairs: a cross-encoder model, or a stand-in in tests.
 *
 * <p>Implementations say whether they are thread-safe.
 */
@FunctionalInterface
public interface PairScorer {
  /**
   * Scores pairs.
   *
   * @param pairs the pairs to score, never null
   * @return one row per pair, in input order, each with the same number of outputs (1 for a
   *     single-score model, C for C classes or labels); never null
   */
  double[][] score(List<TextPair> pairs);
}
