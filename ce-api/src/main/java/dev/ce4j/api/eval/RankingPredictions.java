package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scored documents grouped by query, each with a graded relevance label (0 = not relevant).
 *
 * <p>Immutable and thread-safe.
 *
 * @param queries the queries in input order, with distinct ids, never null
 */
public record RankingPredictions(List<Query> queries) implements Predictions {
  /** Validates that query ids are distinct and copies the list. */
  public RankingPredictions {
    queries = List.copyOf(Objects.requireNonNull(queries, "queries"));
    Set<String> seen = new HashSet<>();
    for (Query q : queries) {
      if (!seen.add(q.id())) {
        throw new InvalidInputException(
            "query id '" + q.id() + "' appears twice; each query's documents must be grouped under one id");
      }
    }
  }

  @Override
  public int size() {
    return queries.size();
  }

  @Override
  public InputKind kind() {
    return InputKind.RANKING;
  }

  /**
   * One query's candidate documents: a score and a graded relevance label for each.
   *
   * @param id the query id, never null
   * @param scores finite model scores, one per document, never null
   * @param labels finite relevance grades, each {@code >= 0}, one per document, never null
   */
  public record Query(String id, double[] scores, double[] labels) {
    /** Validates lengths, finiteness and non-negative grades, and copies both arrays. */
    public Query {
      Objects.requireNonNull(id, "id");
      scores = Checks.finiteCopy(scores, "scores of query '" + id + "'");
      labels = Checks.finiteCopy(labels, "labels of query '" + id + "'");
      Checks.sameLength(scores.length, labels.length, "scores of query '" + id + "'", "its labels");
      if (scores.length == 0) {
        throw new InvalidInputException("query '" + id + "' has no documents");
      }
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0) {
          throw new InvalidInputException(
              "label " + labels[i] + " of document " + i + " of query '" + id
                  + "' is negative; relevance grades must be >= 0");
        }
      }
    }

    /**
     * Returns a copy of the scores.
     *
     * @return a new array, never null
     */
    @Override
    public double[] scores() {
      return scores.clone();
    }

    /**
     * Returns a copy of the labels.
     *
     * @return a new array, never null
     */
    @Override
    public double[] labels() {
      return labels.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Query q
          && id.equals(q.id)
          && Arrays.equals(scores, q.scores)
          && Arrays.equals(labels, q.labels);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, Arrays.hashCode(scores), Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
      return "Query[id=" + id + ", documents=" + scores.length + "]";
    }
  }
}
