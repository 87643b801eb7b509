package dev.ce4j.train.data;

import dev.ce4j.api.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One query with its candidate documents and a label per document: {@code {"query": "...",
 * "documents": ["...", "..."], "labels": [1, 0]}} (optionally with an {@code "id"}).
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * @param id the query id, never null; from the record's {@code "id"}, else {@code file:line}
 * @param query the query text, never null
 * @param documents the candidates, never null or empty
 * @param labels one finite label per document, never null
 * @param origin where the record came from, never null
 */
public record ListwiseExample(String id, String query, List<String> documents, double[] labels, Origin origin) {
  /** Validates and copies. */
  public ListwiseExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(origin, "origin");
    documents = List.copyOf(documents);
    labels = Objects.requireNonNull(labels, "labels").clone();
    if (documents.isEmpty()) {
      throw new InvalidInputException(origin + ": \"documents\" must not be empty");
    }
    if (documents.size() != labels.length) {
      throw new InvalidInputException(
          origin + ": \"documents\" has " + documents.size() + " entries but \"labels\" has "
              + labels.length + "; give one label per document");
    }
    for (double v : labels) {
      if (!Double.isFinite(v)) {
        throw new InvalidInputException(origin + ": labels must be finite, got " + v);
      }
    }
  }

  /**
   * A record held in memory (its origin, in messages, is its id).
   *
   * @param id the query's id, never null
   * @param query the query, never null
   * @param documents the candidates, at least one, never null
   * @param labels one finite label per document, never null
   * @return the record, never null
   * @throws InvalidInputException if the documents and labels do not match or a label is not finite
   */
  public static ListwiseExample of(String id, String query, List<String> documents, double... labels) {
    return new ListwiseExample(id, query, documents, labels, Origin.inMemory("in-memory record '" + id + "'"));
  }

  @Override
  public double[] labels() {
    return labels.clone();
  }

  /**
   * One label, without copying.
   *
   * @param i the document index
   * @return the label
   */
  public double label(int i) {
    return labels[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListwiseExample e && id.equals(e.id) && query.equals(e.query)
        && documents.equals(e.documents) && Arrays.equals(labels, e.labels) && origin.equals(e.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, query, documents, Arrays.hashCode(labels), origin);
  }

  @Override
  public String toString() {
    return "ListwiseExample[" + id + ", " + query + ", " + documents + ", " + Arrays.toString(labels) + "]";
  }
}
