package dev.ce4j.core.io.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Describes a Jackson parse error for a user: where it is and what is wrong, without Jackson's
 * internals. Its "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled);
 * line: 1, column: 29]" locations become "line 1, column 29" in a whole file ({@link #describe}),
 * and a column in one line of a JSON Lines file ({@link #message}, {@link #at}). Stateless and
 * thread-safe.
 */
public final class JsonErrors {
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
  private static final Pattern SOURCE_ONLY = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");
  private static final Pattern START_MARKER =
      Pattern.compile("\\s*\\(start marker at \\[Source:[^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");
  private static final Pattern AT_SOURCE = Pattern.compile("\\bat \\[Source:[^\\]]*?column: (\\d+)\\]");
  private static final Pattern SOURCE = Pattern.compile(
      "\\s*\\((?:start marker at )?\\[Source:[^\\]]*\\]\\)|\\s*(?:at )?\\[Source:[^\\]]*\\]");
  private static final Pattern JACKSON_METHOD = Pattern.compile(",?\\s*from `[^`]*`");

  private JsonErrors() {}

  /**
   * The error as {@code line L, column C: message}.
   *
   * @param e the exception, never null
   * @return the description, never null, free of Jackson's source descriptions
   */
  public static String describe(JsonProcessingException e) {
    Objects.requireNonNull(e, "e");
    JsonLocation at = e.getLocation();
    String where =
        at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    return where + clean(e.getOriginalMessage());
  }

  /**
   * A Jackson message with every source description replaced by its line and column.
   *
   * @param message the message, or null
   * @return the cleaned message, never null
   */
  public static String clean(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    String s = SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
    return SOURCE_ONLY.matcher(s).replaceAll("");
  }

  /**
   * What is wrong in one line of JSON, from Jackson's original message: its first line, without
   * source references or Jackson method names (such as {@code from
   * `StreamReadConstraints.getMaxNumberLength()`}); where an array or object began is kept as a
   * column ({@code (it starts at column 1)}, {@code for Object starting at column 7}). The caller
   * adds the file, line and column ({@link #at}).
   *
   * @param e the exception, never null
   * @return the message, never null or blank
   */
  public static String message(JacksonException e) {
    Objects.requireNonNull(e, "e");
    String message = e.getOriginalMessage();
    if (message == null || message.isBlank()) {
      return "cannot parse the line";
    }
    String first = message.lines().findFirst().orElse("");
    Matcher start = START_MARKER.matcher(first);
    first = start.replaceAll(m -> Matcher.quoteReplacement(" (it starts at column " + m.group(2) + ")"));
    first = AT_SOURCE.matcher(first).replaceAll(m -> Matcher.quoteReplacement("at column " + m.group(1)));
    first = SOURCE.matcher(first).replaceAll("");
    first = JACKSON_METHOD.matcher(first).replaceAll("");
    first = first.strip();
    return first.isEmpty() ? "cannot parse the line" : first;
  }

  /**
   * A location prefix with the column of a Jackson location, when it has one.
   *
   * @param where the file and line, such as {@code preds.jsonl, line 3}, never null
   * @param location Jackson's location, may be null
   * @return {@code where}, or {@code where, column N}; never null
   */
  public static String at(String where, JsonLocation location) {
    Objects.requireNonNull(where, "where");
    return location == null || location.getColumnNr() <= 0 ? where : where + ", column " + location.getColumnNr();
  }
}
