package dev.ce4j.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.lines.JsonLines;
import dev.ce4j.core.io.lines.TextLines;
import java.util.Objects;

/**
 * One object of a JSON Lines file (read by {@link JsonLines}), with typed field accessors whose
 * errors name the file, the line and the field.
 *
 * <p>Numbers must be finite: {@code NaN}, {@code Infinity} and literals too large for a double
 * (such as {@code 1e999}) are rejected. Fields not asked for are ignored. Immutable in effect
 * (the wrapped tree is never modified); not shared between threads.
 */
public final class JsonRecord {
  private final String file;
  private final long line;
  private final ObjectNode object;

  /**
   * Wraps a parsed object.
   *
   * @param file the file name as the user gave it, never null
   * @param line the 1-based line number
   * @param object the parsed line, never null
   */
  public JsonRecord(String file, long line, ObjectNode object) {
    this.file = Objects.requireNonNull(file, "file");
    this.line = line;
    this.object = Objects.requireNonNull(object, "object");
  }

  /**
   * The 1-based line number of this record.
   *
   * @return the line number
   */
  public long line() {
    return line;
  }

  /**
   * An error about this record, its message prefixed with the file and line.
   *
   * @param message what is wrong and how to fix it, never null
   * @return the exception to throw, never null
   */
  public InvalidInputException error(String message) {
    return new InvalidInputException(TextLines.location(file, line) + ": " + message);
  }

  /**
   * A required finite number.
   *
   * @param field the field name, never null
   * @return the value
   * @throws InvalidInputException if missing, not a number, or not finite
   */
  public double finiteNumber(String field) {
    return finite(require(field, "a number"), "field '" + field + "'");
  }

  /**
   * A required whole number that fits an {@code int} (written {@code 2} or {@code 2.0}).
   *
   * @param field the field name, never null
   * @return the value
   * @throws InvalidInputException if missing, not a number, or not a whole number
   */
  public int wholeNumber(String field) {
    return whole(require(field, "a whole number"), "field '" + field + "'");
  }

  /**
   * A required non-empty array of finite numbers.
   *
   * @param field the field name, never null
   * @return a new array, never empty
   * @throws InvalidInputException if missing, not an array, empty, or holding a non-finite value
   */
  public double[] finiteNumbers(String field) {
    JsonNode array = requireArray(field, "numbers");
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = finite(array.get(i), "'" + field + "'[" + i + "]");
    }
    return values;
  }

  /**
   * A required non-empty array of whole numbers that fit an {@code int}.
   *
   * @param field the field name, never null
   * @return a new array, never empty
   * @throws InvalidInputException if missing, not an array, empty, or holding a non-whole value
   */
  public int[] wholeNumbers(String field) {
    JsonNode array = requireArray(field, "whole numbers");
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = whole(array.get(i), "'" + field + "'[" + i + "]");
    }
    return values;
  }

  /**
   * An identifier as written in a file: its text, and whether it was a JSON number or a string.
   *
   * @param text the string, or the decimal text of the whole number; never null or blank
   * @param number true for a JSON number such as {@code 7}, false for a string such as {@code "7"}
   */
  public record Identifier(String text, boolean number) {
    /** Validates. */
    public Identifier {
      Objects.requireNonNull(text, "text");
    }

    /**
     * How the value was written, for messages: {@code the number 7} or {@code the string "7"}.
     *
     * @return the description, never null
     */
    public String describe() {
      return number ? "the number " + text : JsonLines.describe(new TextNode(text));
    }
  }

  /**
   * A required identifier: a non-blank string, or a whole number taken as its decimal text
   * ({@code -0} is {@code 0}).
   *
   * @param field the field name, never null
   * @return the identifier, never null
   * @throws InvalidInputException if missing, blank, or of another type (a fraction such as
   *     {@code 7.5}, a boolean, an array, an object)
   */
  public Identifier identifier(String field) {
    JsonNode node = require(field, "a string such as \"q1\" or a whole number");
    if (node.isTextual()) {
      if (node.textValue().isBlank()) {
        throw error("field '" + field + "' is " + (node.textValue().isEmpty() ? "an empty string" : "blank")
            + "; give every line an id, such as \"q1\"");
      }
      return new Identifier(node.textValue(), false);
    }
    if (node.isIntegralNumber()) {
      return new Identifier(node.bigIntegerValue().toString(), true);
    }
    throw error(
        "field '" + field + "' must be a string such as \"q1\" or a whole number, got " + JsonLines.describe(node));
  }

  private JsonNode require(String field, String what) {
    JsonNode node = object.get(field);
    if (node == null) {
      throw error("missing field '" + field + "' (" + what + ")");
    }
    if (node.isNull()) {
      throw error("field '" + field + "' is null; it must be " + what);
    }
    return node;
  }

  private JsonNode requireArray(String field, String what) {
    JsonNode node = require(field, "an array of " + what);
    if (!node.isArray()) {
      throw error("field '" + field + "' must be an array of " + what + ", got " + JsonLines.describe(node));
    }
    if (node.isEmpty()) {
      throw error("field '" + field + "' is an empty array; it needs at least one value");
    }
    return node;
  }

  private double finite(JsonNode node, String what) {
    if (!node.isNumber()) {
      throw error(what + " must be a number, got " + JsonLines.describe(node));
    }
    double v = node.doubleValue();
    if (Double.isNaN(v)) {
      throw error(what + " is NaN; numbers must be finite");
    }
    if (Double.isInfinite(v)) {
      throw error(what + " is " + v
          + "; numbers must be finite (a literal beyond +-1.8e308, such as 1e999, overflows to infinity)");
    }
    return v;
  }

  private int whole(JsonNode node, String what) {
    if (!node.isNumber()) {
      throw error(what + " must be a whole number, got " + JsonLines.describe(node));
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToInt()) {
        throw error(what + " is " + JsonLines.describe(node) + ", too large for a label");
      }
      return node.intValue();
    }
    double v = node.doubleValue();
    if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw error(what + " must be a whole number, got " + JsonLines.describe(node));
    }
    return (int) v;
  }
}
