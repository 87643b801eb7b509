package dev.ce4j.cli.evaluate.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ce4j.api.eval.Evaluation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Writes an {@link Evaluation} as one JSON object: metric key to number, or to an array of
 * numbers for array metrics, keys in the evaluator's order. {@code NaN} and infinite values,
 * which JSON cannot hold, are written as {@code null}. Numbers are written with
 * {@link Double#toString(double)}, so they read back to the same double. Stateless and
 * thread-safe.
 */
public final class EvaluationJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EvaluationJson() {}

  /**
   * The JSON text of an evaluation, on one line without a line break.
   *
   * @param evaluation the evaluation, never null
   * @return the JSON object, never null
   */
  public static String toJson(Evaluation evaluation) {
    Objects.requireNonNull(evaluation, "evaluation");
    StringWriter text = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(text)) {
      g.writeStartObject();
      for (String key : evaluation.keys()) {
        g.writeFieldName(key);
        if (evaluation.isArray(key)) {
          g.writeStartArray();
          for (double v : evaluation.getArray(key)) {
            writeNumber(g, v);
          }
          g.writeEndArray();
        } else {
          writeNumber(g, evaluation.get(key));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to a string", e);
    }
    return text.toString();
  }

  private static void writeNumber(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeNull();
    }
  }
}
