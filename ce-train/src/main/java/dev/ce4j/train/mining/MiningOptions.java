package dev.ce4j.train.mining;

import dev.ce4j.api.InvalidInputException;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Options of {@link Bm25HardNegativeMiner}, named after sentence-transformers' {@code
 * mine_hard_negatives}.
 *
 * <p>For each query the candidates are the corpus documents ranked by BM25 score (descending; ties
 * by corpus index, ascending), the query's positives removed. Then, in this order:
 *
 * <ol>
 *   <li>only ranks {@code [rangeMin, rangeMax)} are kept (rank 0 is the best non-positive);
 *   <li>{@code maxScore} drops candidates scoring above it, {@code minScore} those below it;
 *   <li>{@code absoluteMargin} drops a candidate when {@code score + absoluteMargin >
 *       positiveScore}; {@code relativeMargin} drops it when {@code score > positiveScore * (1 -
 *       relativeMargin)}. As BM25 gives one score per (query, document), {@code positiveScore} is
 *       the lowest BM25 score among the query's positives (0 for a positive sharing no term with
 *       the query), so a kept negative is below every positive by the margin;
 *   <li>{@code numNegatives} of the rest are chosen: the first ones ({@link SamplingStrategy#TOP}),
 *       or a sample ({@link SamplingStrategy#RANDOM}) kept in rank order. A query with fewer
 *       eligible candidates gets all of them.
 * </ol>
 *
 * @param rangeMin the first rank considered, at least 0; default 0
 * @param rangeMax one past the last rank considered, above {@code rangeMin}; default 100
 * @param numNegatives negatives per query, at least 1; default 3
 * @param strategy how negatives are chosen, never null; default top
 * @param absoluteMargin the absolute margin below the positive's score, at least 0, if set
 * @param relativeMargin the relative margin below the positive's score, in [0, 1), if set
 * @param maxScore the highest score kept, if set
 * @param minScore the lowest score kept, if set
 */
public record MiningOptions(
    int rangeMin,
    int rangeMax,
    int numNegatives,
    SamplingStrategy strategy,
    OptionalDouble absoluteMargin,
    OptionalDouble relativeMargin,
    OptionalDouble maxScore,
    OptionalDouble minScore) {

  /** The defaults: ranks [0, 100), 3 negatives, top, no margins or score bounds. */
  public static final MiningOptions DEFAULTS =
      new MiningOptions(0, 100, 3, SamplingStrategy.TOP, OptionalDouble.empty(), OptionalDouble.empty(),
          OptionalDouble.empty(), OptionalDouble.empty());

  /** Validates. */
  public MiningOptions {
    if (rangeMin < 0) {
      throw new InvalidInputException("rangeMin must be at least 0, got " + rangeMin);
    }
    if (rangeMax <= rangeMin) {
      throw new InvalidInputException("rangeMax must be above rangeMin " + rangeMin + ", got " + rangeMax);
    }
    if (numNegatives < 1) {
      throw new InvalidInputException("numNegatives must be at least 1, got " + numNegatives);
    }
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(absoluteMargin, "absoluteMargin");
    Objects.requireNonNull(relativeMargin, "relativeMargin");
    Objects.requireNonNull(maxScore, "maxScore");
    Objects.requireNonNull(minScore, "minScore");
    if (absoluteMargin.isPresent() && !(absoluteMargin.getAsDouble() >= 0 && Double.isFinite(absoluteMargin.getAsDouble()))) {
      throw new InvalidInputException("absoluteMargin must be a finite number at least 0, got " + absoluteMargin.getAsDouble());
    }
    if (relativeMargin.isPresent() && !(relativeMargin.getAsDouble() >= 0 && relativeMargin.getAsDouble() < 1)) {
      throw new InvalidInputException("relativeMargin must be in [0, 1), got " + relativeMargin.getAsDouble());
    }
    if (maxScore.isPresent() && Double.isNaN(maxScore.getAsDouble())) {
      throw new InvalidInputException("maxScore must be a number, got NaN");
    }
    if (minScore.isPresent() && Double.isNaN(minScore.getAsDouble())) {
      throw new InvalidInputException("minScore must be a number, got NaN");
    }
  }

  /**
   * These options with another rank range.
   *
   * @param min the first rank
   * @param max one past the last rank
   * @return new options, never null
   */
  public MiningOptions withRange(int min, int max) {
    return new MiningOptions(min, max, numNegatives, strategy, absoluteMargin, relativeMargin, maxScore, minScore);
  }

  /**
   * These options with another number of negatives.
   *
   * @param n negatives per query
   * @return new options, never null
   */
  public MiningOptions withNumNegatives(int n) {
    return new MiningOptions(rangeMin, rangeMax, n, strategy, absoluteMargin, relativeMargin, maxScore, minScore);
  }

  /**
   * These options with another strategy.
   *
   * @param s the strategy, never null
   * @return new options, never null
   */
  public MiningOptions withStrategy(SamplingStrategy s) {
    return new MiningOptions(rangeMin, rangeMax, numNegatives, s, absoluteMargin, relativeMargin, maxScore, minScore);
  }

  /**
   * These options with an absolute margin.
   *
   * @param margin the margin, at least 0
   * @return new options, never null
   */
  public MiningOptions withAbsoluteMargin(double margin) {
    return new MiningOptions(rangeMin, rangeMax, numNegatives, strategy, OptionalDouble.of(margin), relativeMargin, maxScore, minScore);
  }

  /**
   * These options with a relative margin.
   *
   * @param margin the margin, in [0, 1)
   * @return new options, never null
   */
  public MiningOptions withRelativeMargin(double margin) {
    return new MiningOptions(rangeMin, rangeMax, numNegatives, strategy, absoluteMargin, OptionalDouble.of(margin), maxScore, minScore);
  }

  /**
   * These options with score bounds.
   *
   * @param min the lowest score kept, or NaN for none
   * @param max the highest score kept, or NaN for none
   * @return new options, never null
   */
  public MiningOptions withScoreBounds(double min, double max) {
    return new MiningOptions(rangeMin, rangeMax, numNegatives, strategy, absoluteMargin, relativeMargin,
        Double.isNaN(max) ? OptionalDouble.empty() : OptionalDouble.of(max),
        Double.isNaN(min) ? OptionalDouble.empty() : OptionalDouble.of(min));
  }
}
