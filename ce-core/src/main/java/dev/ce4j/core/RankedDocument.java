package dev.ce4j.core;

/**
 * One document of a ranking: its position in the input list, its score and, when asked for, its
 * text.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the document's index in the list given to {@link CrossEncoder#rank}, from 0
 * @param score the model's score for (query, document), after the activation
 * @param document the document's text, or null when the ranking was asked not to return it
 */
public record RankedDocument(int index, double score, String document) {
  /** Validates the index. */
  public RankedDocument {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
  }

  /**
   * A result without the document's text.
   *
   * @param index the document's index, from 0
   * @param score the score
   */
  public RankedDocument(int index, double score) {
    this(index, score, null);
  }
}
