package dev.ce4j.core.io.lines;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.internal.JsonErrors;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes JSON Lines files: one JSON value per line, UTF-8, streaming (one line is in
 * memory at a time).
 *
 * <p>The file is split into lines by {@link TextLines}: {@code \n}, {@code \r\n} or a {@code \r}
 * alone end a line, a UTF-8 byte order mark is ignored, blank lines are skipped (but counted),
 * bytes that are not UTF-8 and lines longer than {@link TextLines#MAX_LINE_BYTES} are refused,
 * naming the line. Each other line must hold exactly one JSON value: anything after it on the
 * same line is an error, and so is a field name used twice in one object. The literals {@code
 * NaN}, {@code Infinity} and {@code -Infinity} are parsed as numbers, so that a caller can reject
 * them by name ("field 'score' is NaN") rather than as malformed JSON.
 *
 * <p>Every problem is an {@link InvalidInputException} whose message starts with {@code FILE, line
 * N} (and {@code , column C} where Jackson knows it), and says what each line must be, in the
 * caller's words. Stateless and thread-safe.
 */
public final class JsonLines {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** The longest value quoted in a message, in characters. */
  private static final int SNIPPET = 40;

  /**
   * Receives the values of a file.
   *
   * @param <T> the type of the values
   */
  @FunctionalInterface
  public interface Handler<T extends JsonNode> {
    /**
     * Receives one line's value.
     *
     * @param line the 1-based line number
     * @param value the parsed value, never null; the handler may keep it
     * @throws InvalidInputException if the value is bad; the message should start with {@link
     *     TextLines#location(String, long)}
     */
    void value(long line, T value);
  }

  private JsonLines() {}

  /**
   * Reads every non-blank line of a file as a JSON object.
   *
   * @param file the file, never null; named in messages as given
   * @param expected what each line must be, for messages, never null; such as {@code a JSON object
   *     such as {"score": 0.5, "label": 1}}
   * @param handler receives each object in file order, never null
   * @return the number of objects read (0 for a file of blank lines)
   * @throws InvalidInputException if the file cannot be read as described in the class comment, a
   *     line is not one JSON object, or the handler throws it
   */
  public static long forEachObject(Path file, String expected, Handler<ObjectNode> handler) {
    return forEachObject(file, false, expected, handler);
  }

  /**
   * {@link #forEachObject(Path, String, Handler)} that also reads a named pipe or device once as a
   * stream (see {@link TextLines#readStream}).
   *
   * @param file the file or pipe, never null; named in messages as given
   * @param expected what each line must be, for messages, never null
   * @param handler receives each object in file order, never null
   * @return the number of objects read
   * @throws InvalidInputException as {@link #forEachObject(Path, String, Handler)}
   */
  public static long forEachObjectStreamed(Path file, String expected, Handler<ObjectNode> handler) {
    return forEachObject(file, true, expected, handler);
  }

  /**
   * {@link #forEachValue(Path, String, Handler)} that also reads a named pipe or device once as a
   * stream (see {@link TextLines#readStream}).
   *
   * @param file the file or pipe, never null; named in messages as given
   * @param expected what each line must be, for messages, never null
   * @param handler receives each value in file order, never null
   * @return the number of values read
   * @throws InvalidInputException as {@link #forEachValue(Path, String, Handler)}
   */
  public static long forEachValueStreamed(Path file, String expected, Handler<JsonNode> handler) {
    return forEachValue(file, true, expected, handler);
  }

  private static long forEachObject(Path file, boolean pipes, String expected, Handler<ObjectNode> handler) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(handler, "handler");
    String name = file.toString();
    return forEachValue(file, pipes, expected, (line, value) -> {
      if (!(value instanceof ObjectNode object)) {
        throw new InvalidInputException(
            TextLines.location(name, line) + ": expected " + expected + ", got " + describe(value));
      }
      handler.value(line, object);
    });
  }

  /**
   * Reads every non-blank line of a file as one JSON value of any type.
   *
   * @param file the file, never null; named in messages as given
   * @param expected what each line must be, for messages, never null
   * @param handler receives each value in file order, never null
   * @return the number of values read (0 for a file of blank lines)
   * @throws InvalidInputException if the file cannot be read as described in the class comment, a
   *     line is not one JSON value, or the handler throws it
   */
  public static long forEachValue(Path file, String expected, Handler<JsonNode> handler) {
    return forEachValue(file, false, expected, handler);
  }

  private static long forEachValue(Path file, boolean pipes, String expected, Handler<JsonNode> handler) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(handler, "handler");
    String name = file.toString();
    TextLines.Handler lines = (line, text) -> handler.value(line, parse(text, TextLines.location(name, line), expected));
    return pipes ? TextLines.readStream(file, lines) : TextLines.read(file, lines);
  }

  /**
   * Parses one line as exactly one JSON value, as {@link #forEachValue} does.
   *
   * @param text the line, never null
   * @param where the location prefix of messages, such as {@code pairs.jsonl, line 3}, never null
   * @param expected what the line must be, for messages, never null
   * @return the value, never null
   * @throws InvalidInputException starting with {@code where} (and the column where known) if the
   *     line is not one JSON value
   */
  public static JsonNode parse(String text, String where, String expected) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(expected, "expected");
    JsonNode node;
    try (JsonParser parser = MAPPER.createParser(text)) {
      node = MAPPER.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new InvalidInputException(where + ": no JSON value; each line must be " + expected);
      }
      if (parser.nextToken() != null) {
        throw new InvalidInputException(JsonErrors.at(where, parser.currentTokenLocation())
            + ": unexpected text after the JSON " + kind(node) + "; each line must be " + expected);
      }
    } catch (JacksonException e) {
      throw new InvalidInputException(JsonErrors.at(where, e.getLocation()) + ": malformed JSON: "
          + JsonErrors.message(e) + "; each line must be " + expected, e);
    } catch (IOException e) {
      throw new InvalidInputException(where + ": cannot parse: " + e.getMessage(), e);
    }
    return node;
  }

  /**
   * Writes records as JSON Lines, replacing the file: one compact object per line, each ending in
   * {@code \n}, UTF-8.
   *
   * @param file the file, never null
   * @param records the records, never null
   * @throws IOException if writing fails
   */
  public static void write(Path file, List<? extends JsonNode> records) throws IOException {
    Objects.requireNonNull(records, "records");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (JsonNode n : records) {
        w.write(MAPPER.writeValueAsString(n));
        w.write('\n');
      }
    }
  }

  /**
   * A short description of a JSON value for messages, such as {@code the string "abc"} or {@code an
   * array of 3 elements [1,2,3]}; values longer than 40 characters are shortened with {@code ...}.
   *
   * @param node the value, may be null
   * @return the description, never null
   */
  public static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    if (text.length() > SNIPPET) {
      text = text.substring(0, SNIPPET - 3) + "...";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "an array of " + node.size() + (node.size() == 1 ? " element " : " elements ") + text;
      case OBJECT -> "an object " + text;
      case STRING -> "the string " + text;
      case BOOLEAN -> "the boolean " + text;
      case NULL -> "null";
      default -> text;
    };
  }

  private static String kind(JsonNode node) {
    return node.isObject() ? "object" : node.isArray() ? "array" : "value";
  }
}
