package dev.ce4j.api;

import java.util.Objects;

/**
 * A (query, document) pair that a cross-encoder reads together and scores.
 *
 * <p>Immutable and thread-safe.
 *
 * @param query the first text, never null (may be empty)
 * @param document the second text, never null (may be empty)
 */
public record TextPair(String query, String document) {
  /** Validates that neither text is null. */
  public TextPair {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(document, "document");
  }

  /**
   * Shorthand for {@code new TextPair(query, document)}.
   *
   * @param query the first text, never null
   * @param document the second text, never null
   * @return the pair, never null
   */
  public static TextPair of(String query, String document) {
    return new TextPair(query, document);
  }
}
