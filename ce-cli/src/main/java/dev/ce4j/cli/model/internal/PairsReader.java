package dev.ce4j.cli.model.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.internal.JsonErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the input of {@code ce predict}: a JSON Lines file whose every line is a JSON array of
 * exactly two strings, {@code ["query", "document"]}, or a line of a training file ({@code ce
 * train}'s layouts): {@code {"pair": ["query", "document"], ...}} gives one pair, {@code {"query":
 * ..., "documents": [...], ...}} one pair per document, in order; other fields (labels) are ignored.
 *
 * <p>The file is read as by {@link TextLines} (UTF-8; {@code \n}, {@code \r\n} or {@code \r} line
 * ends);
 * blank lines are skipped. Every problem is an {@link InvalidInputException} whose message starts
 * with the file and the 1-based line, such as {@code pairs.jsonl, line 3: expected ...}.
 * Stateless and thread-safe.
 */
public final class PairsReader {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final int SNIPPET = 40;
  private static final String FORMAT = "a JSON array of two strings such as [\"query\", \"document\"],"
      + " or a training line {\"pair\": [\"query\", \"document\"], ...} or {\"query\": ..., \"documents\": [...], ...}";

  private PairsReader() {}

  /**
   * Reads every non-blank line of a file as a pair.
   *
   * @param file the file, never null; named in messages as given
   * @return the pairs in file order, never null, never empty
   * @throws InvalidInputException if the file is missing or unreadable, holds a line that is not
   *     a two-string JSON array, or holds no pair
   */
  public static List<TextPair> read(Path file) {
    Objects.requireNonNull(file, "file");
    List<TextPair> pairs = new ArrayList<>();
    TextLines.read(file, (lineNumber, line) -> {
      if (!line.isBlank()) {
        pairs.addAll(parseLine(line, file, lineNumber));
      }
    });
    if (pairs.isEmpty()) {
      throw new InvalidInputException("file '" + file + "' holds no pairs; each line must be " + FORMAT);
    }
    return pairs;
  }

  /**
   * Parses one line that must hold one pair.
   *
   * @param line the line, never null
   * @param file the file, for messages, never null
   * @param lineNumber the 1-based line number, for messages
   * @return the pair, never null
   * @throws InvalidInputException if the line is not a two-string JSON array or a pair object
   */
  static TextPair parse(String line, Path file, long lineNumber) {
    List<TextPair> pairs = parseLine(line, file, lineNumber);
    if (pairs.size() != 1) {
      throw new InvalidInputException(TextLines.location(file, lineNumber) + ": expected one pair, got "
          + pairs.size());
    }
    return pairs.get(0);
  }

  /**
   * Parses one line: a two-string array, a {@code pair} object or a listwise object.
   *
   * @param line the line, never null
   * @param file the file, for messages, never null
   * @param lineNumber the 1-based line number, for messages
   * @return the line's pairs, at least one, never null
   * @throws InvalidInputException naming the file, line and problem if the line is none of them
   */
  static List<TextPair> parseLine(String line, Path file, long lineNumber) {
    String where = TextLines.location(file, lineNumber);
    JsonNode node;
    try (JsonParser parser = JSON.createParser(line)) {
      node = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        throw new InvalidInputException(JsonErrors.at(where, parser.currentTokenLocation())
            + ": unexpected text after the JSON array; each line must be " + FORMAT);
      }
    } catch (JacksonException e) {
      throw new InvalidInputException(JsonErrors.at(where, e.getLocation()) + ": malformed JSON ("
          + JsonErrors.message(e) + "); each line must be " + FORMAT, e);
    } catch (IOException e) {
      throw new InvalidInputException(where + ": cannot parse: " + e.getMessage(), e);
    }
    if (node != null && node.isObject()) {
      return fromObject(node, where);
    }
    return List.of(fromArray(node, where));
  }

  /** A training line: {@code pair}, or {@code query} with {@code documents}. */
  private static List<TextPair> fromObject(JsonNode node, String where) {
    if (node.has("pair")) {
      return List.of(fromArray(node.get("pair"), where + ", field 'pair'"));
    }
    if (node.has("query") && node.has("documents")) {
      String query = text(node.get("query"), where, "field 'query'");
      JsonNode docs = node.get("documents");
      if (!docs.isArray() || docs.isEmpty()) {
        throw new InvalidInputException(where + ": field 'documents' must be a non-empty array of strings, got "
            + describe(docs));
      }
      List<TextPair> pairs = new ArrayList<>(docs.size());
      for (int i = 0; i < docs.size(); i++) {
        pairs.add(new TextPair(query, text(docs.get(i), where, "document " + i + " of field 'documents'")));
      }
      return pairs;
    }
    throw new InvalidInputException(where + ": an object needs a field 'pair', or 'query' and 'documents'; expected "
        + FORMAT + ", got " + describe(node));
  }

  private static String text(JsonNode node, String where, String what) {
    if (node == null || !node.isTextual()) {
      throw new InvalidInputException(where + ": " + what + " must be a string, got " + describe(node));
    }
    return node.textValue();
  }

  private static TextPair fromArray(JsonNode node, String where) {
    if (node == null || !node.isArray() || node.size() != 2) {
      throw new InvalidInputException(where + ": expected " + FORMAT + ", got " + describe(node));
    }
    String[] texts = new String[2];
    for (int i = 0; i < 2; i++) {
      JsonNode element = node.get(i);
      if (!element.isTextual()) {
        throw new InvalidInputException(where + ": the " + (i == 0 ? "query (first" : "document (second")
            + " element) must be a string, got " + describe(element) + "; each line must be " + FORMAT);
      }
      texts[i] = element.textValue();
    }
    return new TextPair(texts[0], texts[1]);
  }

  /**
   * A short description of a JSON value for messages, such as {@code an array with 3 elements}.
   *
   * @param node the value, may be null
   * @return the description, never null
   */
  static String describe(JsonNode node) {
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
}
