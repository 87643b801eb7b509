package dev.ce4j.core.io.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Describes a Jackson parse error for a user: where it is and what is wrong, without Jackson's
 * internals (its "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled);
 * line: 1, column: 29]" locations become "line 1, column 29"). Stateless and thread-safe.
 */
public final class JsonErrors {
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
  private static final Pattern SOURCE_ONLY = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");

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
}
