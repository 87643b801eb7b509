package dev.ce4j.core;

/**
 * One document of a ranking: its position in the input list and its score.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the document's index in the list given to {@link CrossEncoder#rank}, from 0
 * @param score the model's score for (query, document), after the activation
 */
public record RankedDocument(int index, double score) {
  /** Validates the index. */
  public RankedDocument {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
  }
}
