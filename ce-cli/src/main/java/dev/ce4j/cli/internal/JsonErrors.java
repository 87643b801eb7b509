package dev.ce4j.cli.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jackson's parse errors as a user reads them: its own message without Jackson's internals.
 *
 * <p>{@link JacksonException#getMessage()} appends a location such as {@code [Source: REDACTED
 * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 10]}, and some
 * original messages still hold such a source reference ({@code start marker at [Source: ...]}) or
 * name a Jackson method ({@code from `StreamReadConstraints.getMaxNumberLength()`}). These are
 * removed or restated; callers add the file, line and column themselves. Stateless and
 * thread-safe.
 */
public final class JsonErrors {
  private static final Pattern START_MARKER =
      Pattern.compile("\\s*\\(start marker at \\[Source:[^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");
  private static final Pattern AT_SOURCE = Pattern.compile("\\bat \\[Source:[^\\]]*?column: (\\d+)\\]");
  private static final Pattern SOURCE = Pattern.compile(
      "\\s*\\((?:start marker at )?\\[Source:[^\\]]*\\]\\)|\\s*(?:at )?\\[Source:[^\\]]*\\]");
  private static final Pattern JACKSON_METHOD = Pattern.compile(",?\\s*from `[^`]*`");

  private JsonErrors() {}

  /**
   * What is wrong, from Jackson's original message: its first line, without source references
   * or Jackson method names; where an array or object began is kept as a column ({@code (it starts
   * at column 1)}, {@code for Object starting at column 7}).
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
