package dev.ce4j.train.mining;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The negatives mined for one query.
 *
 * @param id the query id, never null
 * @param query the query text, never null
 * @param positives the positives, never null
 * @param positiveScores the BM25 score of each positive (0 when it shares no term), never null
 * @param negatives the negatives in rank order (best BM25 score first), never null, possibly fewer
 *     than asked
 * @param negativeScores the BM25 score of each negative, never null
 */
public record MinedQuery(
    String id, String query, List<String> positives, float[] positiveScores, List<String> negatives, float[] negativeScores) {
  /** Validates and copies. */
  public MinedQuery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(query, "query");
    positives = List.copyOf(positives);
    negatives = List.copyOf(negatives);
    positiveScores = positiveScores.clone();
    negativeScores = negativeScores.clone();
    if (positiveScores.length != positives.size() || negativeScores.length != negatives.size()) {
      throw new IllegalArgumentException("one score per document is needed");
    }
  }

  @Override
  public float[] positiveScores() {
    return positiveScores.clone();
  }

  @Override
  public float[] negativeScores() {
    return negativeScores.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinedQuery m && id.equals(m.id) && query.equals(m.query) && positives.equals(m.positives)
        && negatives.equals(m.negatives) && Arrays.equals(positiveScores, m.positiveScores)
        && Arrays.equals(negativeScores, m.negativeScores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, query, positives, negatives, Arrays.hashCode(positiveScores), Arrays.hashCode(negativeScores));
  }
}
