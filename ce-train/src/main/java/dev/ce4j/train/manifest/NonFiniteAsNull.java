package dev.ce4j.train.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The (de)serializers of metric values in {@code run.json}: a NaN or infinite value is written as
 * JSON {@code null} (JSON has no such numbers), and {@code null} is read back as NaN.
 */
final class NonFiniteAsNull {
  private NonFiniteAsNull() {}

  /** Writes a finite value as a number, any other as null. */
  static final class DoubleWriter extends JsonSerializer<Double> {
    @Override
    public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
      write(v, g);
    }
  }

  /** Reads a number, null as NaN. */
  static final class DoubleReader extends JsonDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser p, DeserializationContext c) throws IOException {
      return read(p, c);
    }

    @Override
    public Double getNullValue(DeserializationContext c) {
      return Double.NaN;
    }
  }

  /** Writes an array of values, each as {@link DoubleWriter} does. */
  static final class ArrayWriter extends JsonSerializer<double[]> {
    @Override
    public void serialize(double[] values, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeStartArray(values, values.length);
      for (double v : values) {
        write(v, g);
      }
      g.writeEndArray();
    }
  }

  /** Reads an array of values, each as {@link DoubleReader} does. */
  static final class ArrayReader extends JsonDeserializer<double[]> {
    @Override
    public double[] deserialize(JsonParser p, DeserializationContext c) throws IOException {
      if (!p.isExpectedStartArrayToken()) {
        return (double[]) c.handleUnexpectedToken(double[].class, p);
      }
      List<Double> out = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        out.add(t == JsonToken.VALUE_NULL ? Double.NaN : read(p, c));
      }
      double[] values = new double[out.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = out.get(i);
      }
      return values;
    }
  }

  private static void write(double v, JsonGenerator g) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeNull();
    }
  }

  private static double read(JsonParser p, DeserializationContext c) throws IOException {
    if (!p.currentToken().isNumeric()) {
      return (Double) c.handleUnexpectedToken(Double.class, p);
    }
    return p.getDoubleValue();
  }
}
