package dev.ce4j.cli.model.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The output lines of {@code ce predict} and {@code ce rank}, as JSON.
 *
 * <p>Numbers are written with {@link Double#toString(double)}, so they read back to the same
 * double; {@code NaN} and infinite values, which JSON cannot hold, are written as {@code null}
 * (as {@code ce evaluate} does). Stateless and thread-safe.
 */
public final class ScoresJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** The field of a ranked line that holds the document's index in the input, from 0. */
  public static final String INDEX = "index";
  /** The field of a ranked line that holds the document's 1-based line in the file. */
  public static final String LINE = "line";
  /** The field of a ranked line that holds the score. */
  public static final String SCORE = "score";
  /** The field of a ranked line that holds the document text. */
  public static final String DOCUMENT = "document";

  private ScoresJson() {}

  /**
   * One output line of {@code ce predict}: a bare number for one value, else a JSON array.
   *
   * @param row the values of one pair, never null, at least one
   * @return the line without terminator, never null
   */
  public static String predictionLine(double[] row) {
    Objects.requireNonNull(row, "row");
    if (row.length == 0) {
      throw new IllegalArgumentException("a prediction has at least one value");
    }
    return write(g -> {
      if (row.length == 1) {
        number(g, row[0]);
      } else {
        g.writeStartArray();
        for (double v : row) {
          number(g, v);
        }
        g.writeEndArray();
      }
    });
  }

  /**
   * One output line of {@code ce rank}: {@code {"index": 3, "line": 4, "score": 0.91, "document":
   * "..."}}.
   *
   * @param index the document's index among the documents, from 0
   * @param line the document's 1-based line in the file
   * @param score the score
   * @param document the document text, never null
   * @return the line without terminator, never null
   */
  public static String rankedLine(int index, long line, double score, String document) {
    Objects.requireNonNull(document, "document");
    return write(g -> {
      g.writeStartObject();
      g.writeNumberField(INDEX, index);
      g.writeNumberField(LINE, line);
      g.writeFieldName(SCORE);
      number(g, score);
      g.writeStringField(DOCUMENT, document);
      g.writeEndObject();
    });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(text)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to a string", e);
    }
    return text.toString();
  }

  private static void number(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeNull();
    }
  }
}
