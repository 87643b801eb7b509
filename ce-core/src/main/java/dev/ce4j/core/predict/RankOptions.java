package dev.ce4j.core.predict;

import java.util.Objects;

/**
 * How one {@code CrossEncoder.rank} call ranks documents for a query: how many to return, whether
 * each result carries its document's text, and how the pairs are scored.
 *
 * <p>Immutable and thread-safe.
 *
 * @param topK how many documents to return, at least 1 ({@link Integer#MAX_VALUE} for all)
 * @param returnDocuments whether each result carries the document's text
 * @param predict the scoring options (batch size, activation, listener), never null
 */
public record RankOptions(int topK, boolean returnDocuments, PredictOptions predict) {
  /** Validates the fields. */
  public RankOptions {
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    Objects.requireNonNull(predict, "predict");
  }

  /**
   * Every document, without its text, scored with {@link PredictOptions#defaults()}.
   *
   * @return the defaults, never null
   */
  public static RankOptions defaults() {
    return new RankOptions(Integer.MAX_VALUE, false, PredictOptions.defaults());
  }

  /**
   * A copy that returns at most {@code k} documents.
   *
   * @param k how many, at least 1
   * @return the copy, never null
   */
  public RankOptions withTopK(int k) {
    return new RankOptions(k, returnDocuments, predict);
  }

  /**
   * A copy whose results carry (or not) their document's text.
   *
   * @param yes whether to carry it
   * @return the copy, never null
   */
  public RankOptions withReturnDocuments(boolean yes) {
    return new RankOptions(topK, yes, predict);
  }

  /**
   * A copy with another batch size.
   *
   * @param batchSize pairs per forward pass, at least 1
   * @return the copy, never null
   */
  public RankOptions withBatchSize(int batchSize) {
    return new RankOptions(topK, returnDocuments, predict.withBatchSize(batchSize));
  }

  /**
   * A copy with other scoring options.
   *
   * @param newPredict the options, never null
   * @return the copy, never null
   */
  public RankOptions withPredict(PredictOptions newPredict) {
    return new RankOptions(topK, returnDocuments, newPredict);
  }
}
