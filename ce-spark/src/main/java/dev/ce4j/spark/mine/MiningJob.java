package dev.ce4j.spark.mine;

import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.SamplingStrategy;
import java.io.Serializable;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The columns, selection and seed of a {@link SparkMining} job.
 *
 * <p>Queries have an id column (any type, compared as its string), a query text column and a
 * positives column ({@code array<string>}, or a single {@code string}); the corpus has an id column
 * and a text column.
 *
 * @param queryId the queries' id column, never null
 * @param query the queries' text column, never null
 * @param positives the queries' positives column, never null
 * @param corpusId the corpus id column, never null
 * @param corpusText the corpus text column, never null
 * @param options the selection, never null
 * @param seed the master seed of the negatives' random streams
 */
public record MiningJob(
    String queryId, String query, String positives, String corpusId, String corpusText, MiningOptions options, long seed) {
  /** Validates. */
  public MiningJob {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(positives, "positives");
    Objects.requireNonNull(corpusId, "corpusId");
    Objects.requireNonNull(corpusText, "corpusText");
    Objects.requireNonNull(options, "options");
  }

  /**
   * A job with the default columns ({@code query_id}, {@code query}, {@code positives}; corpus
   * {@code id}, {@code text}).
   *
   * @param options the selection, never null
   * @param seed the master seed
   * @return the job, never null
   */
  public static MiningJob of(MiningOptions options, long seed) {
    return new MiningJob("query_id", "query", "positives", "id", "text", options, seed);
  }

  /**
   * With other query columns.
   *
   * @param id the id column, never null
   * @param text the text column, never null
   * @param positivesColumn the positives column, never null
   * @return a new job, never null
   */
  public MiningJob withQueryColumns(String id, String text, String positivesColumn) {
    return new MiningJob(id, text, positivesColumn, corpusId, corpusText, options, seed);
  }

  /**
   * With other corpus columns.
   *
   * @param id the id column, never null
   * @param text the text column, never null
   * @return a new job, never null
   */
  public MiningJob withCorpusColumns(String id, String text) {
    return new MiningJob(queryId, query, positives, id, text, options, seed);
  }

  /** The options in a form that travels to executors ({@link MiningOptions} is not serializable). */
  record Wire(int rangeMin, int rangeMax, int numNegatives, SamplingStrategy strategy, double absoluteMargin,
      double relativeMargin, double maxScore, double minScore) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Wire of(MiningOptions o) {
      return new Wire(o.rangeMin(), o.rangeMax(), o.numNegatives(), o.strategy(), o.absoluteMargin().orElse(Double.NaN),
          o.relativeMargin().orElse(Double.NaN), o.maxScore().orElse(Double.NaN), o.minScore().orElse(Double.NaN));
    }

    MiningOptions options() {
      return new MiningOptions(rangeMin, rangeMax, numNegatives, strategy, opt(absoluteMargin), opt(relativeMargin),
          opt(maxScore), opt(minScore));
    }

    private static OptionalDouble opt(double v) {
      return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
  }
}
