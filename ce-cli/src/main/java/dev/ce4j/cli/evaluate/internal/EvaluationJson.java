package dev.ce4j.cli.evaluate.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.MetricSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes an {@link Evaluation} as one JSON object: metric key to number, or to an array of
 * numbers for array metrics, keys in the evaluator's order. {@code NaN} and infinite values,
 * which JSON cannot hold, are written as {@code null}. Numbers are written with
 * {@link Double#toString(double)}, so they read back to the same double; the values of count
 * metrics ({@link MetricSpec.Kind#isCount()}) that are whole numbers are written as integers.
 * Stateless and thread-safe.
 */
public final class EvaluationJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EvaluationJson() {}

  /**
   * The JSON text of an evaluation, every value a real number, on one line without a line break.
   *
   * @param evaluation the evaluation, never null
   * @return the JSON object, never null
   */
  public static String toJson(Evaluation evaluation) {
    return toJson(evaluation, List.of());
  }

  /**
   * The JSON text of an evaluation, on one line without a line break.
   *
   * @param evaluation the evaluation, never null
   * @param metrics its metrics' declarations (see {@link MetricSpec#of}); keys they declare counts
   *     are written as integers, never null
   * @return the JSON object, never null
   */
  public static String toJson(Evaluation evaluation, List<MetricSpec> metrics) {
    Objects.requireNonNull(evaluation, "evaluation");
    Set<String> counts = new HashSet<>();
    for (MetricSpec m : metrics) {
      if (m.kind().isCount()) {
        counts.add(m.key());
      }
    }
    StringWriter text = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(text)) {
      g.writeStartObject();
      for (String key : evaluation.keys()) {
        g.writeFieldName(key);
        if (evaluation.isArray(key)) {
          g.writeStartArray();
          for (double v : evaluation.getArray(key)) {
            writeNumber(g, v, counts.contains(key));
          }
          g.writeEndArray();
        } else {
          writeNumber(g, evaluation.get(key), counts.contains(key));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to a string", e);
    }
    return text.toString();
  }

  private static void writeNumber(JsonGenerator g, double v, boolean count) throws IOException {
    if (count && v == Math.rint(v) && Math.abs(v) < 0x1p53) {
      g.writeNumber((long) v);
    } else if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeNull();
    }
  }
}
