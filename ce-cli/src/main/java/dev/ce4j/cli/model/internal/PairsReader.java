package dev.ce4j.cli.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.io.lines.JsonLines;
import dev.ce4j.core.io.lines.TextLines;
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
 * <p>The file is read by {@link JsonLines} (UTF-8; {@code \n}, {@code \r\n} or {@code \r} line
 * ends; blank lines skipped; one JSON value per line, a field name used twice being an error).
 * Every problem is an {@link InvalidInputException} whose message starts with the file and the
 * 1-based line, such as {@code pairs.jsonl, line 3: expected ...}. Stateless and thread-safe.
 */
public final class PairsReader {
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
    String name = file.toString();
    JsonLines.forEachValueStreamed(
        file, FORMAT, (lineNumber, node) -> pairs.addAll(pairs(node, TextLines.location(name, lineNumber))));
    if (pairs.isEmpty()) {
      throw new InvalidInputException("file '" + file + "' holds no pairs; each line must be " + FORMAT);
    }
    return pairs;
  }

  /**
   * Parses one line that must hold one pair, as {@link #read} parses each line.
   *
   * @param line the line, never null
   * @param file the file, for messages, never null
   * @param lineNumber the 1-based line number, for messages
   * @return the pair, never null
   * @throws InvalidInputException naming the file, line and problem if the line is not a two-string
   *     JSON array or a pair object
   */
  static TextPair parse(String line, Path file, long lineNumber) {
    String where = TextLines.location(file.toString(), lineNumber);
    List<TextPair> pairs = pairs(JsonLines.parse(line, where, FORMAT), where);
    if (pairs.size() != 1) {
      throw new InvalidInputException(where + ": expected one pair, got " + pairs.size());
    }
    return pairs.get(0);
  }

  /** The pairs of one line's value. */
  private static List<TextPair> pairs(JsonNode node, String where) {
    if (node.isObject()) {
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
            + JsonLines.describe(docs));
      }
      List<TextPair> pairs = new ArrayList<>(docs.size());
      for (int i = 0; i < docs.size(); i++) {
        pairs.add(new TextPair(query, text(docs.get(i), where, "document " + i + " of field 'documents'")));
      }
      return pairs;
    }
    throw new InvalidInputException(where + ": an object needs a field 'pair', or 'query' and 'documents'; expected "
        + FORMAT + ", got " + JsonLines.describe(node));
  }

  private static String text(JsonNode node, String where, String what) {
    if (node == null || !node.isTextual()) {
      throw new InvalidInputException(where + ": " + what + " must be a string, got " + JsonLines.describe(node));
    }
    return node.textValue();
  }

  private static TextPair fromArray(JsonNode node, String where) {
    if (node == null || !node.isArray() || node.size() != 2) {
      throw new InvalidInputException(where + ": expected " + FORMAT + ", got " + JsonLines.describe(node));
    }
    String[] texts = new String[2];
    for (int i = 0; i < 2; i++) {
      JsonNode element = node.get(i);
      if (!element.isTextual()) {
        throw new InvalidInputException(where + ": the " + (i == 0 ? "query (first" : "document (second")
            + " element) must be a string, got " + JsonLines.describe(element) + "; each line must be " + FORMAT);
      }
      texts[i] = element.textValue();
    }
    return new TextPair(texts[0], texts[1]);
  }
}
