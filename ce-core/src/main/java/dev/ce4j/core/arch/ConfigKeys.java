package dev.ce4j.core.arch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import java.util.Objects;

/**
 * Typed reads of the keys of a {@code config.json} object, with messages that name the file, the
 * key and the value found: what every {@link Architecture#parseConfig} needs. A key that is absent
 * or {@code null} takes the default given (transformers' default for that key). Immutable and
 * thread-safe.
 *
 * @param json the object, never null
 * @param source the file, for messages, never null
 */
public record ConfigKeys(JsonNode json, String source) {
  /** Validates. */
  public ConfigKeys {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Whether a key is present and not {@code null}.
   *
   * @param key the key, never null
   * @return true when it has a value
   */
  public boolean has(String key) {
    return json.hasNonNull(key);
  }

  /**
   * A required 32-bit integer.
   *
   * @param key the key, never null
   * @return the value
   * @throws InvalidInputException if it is missing, not an integer or out of range
   */
  public int requiredInt(String key) {
    if (!has(key)) {
      throw new InvalidInputException(source + ": required field \"" + key + "\" is missing");
    }
    return integer(key, 0);
  }

  /**
   * A 32-bit integer.
   *
   * @param key the key, never null
   * @param def the value when absent
   * @return the value
   * @throws InvalidInputException if it is not an integer or out of range
   */
  public int integer(String key, int def) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be an integer, got " + v);
    }
    if (!v.canConvertToInt()) {
      throw new InvalidInputException(
          source + ": \"" + key + "\" is " + v + ", outside the integers ce accepts ("
              + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
    }
    return v.asInt();
  }

  /**
   * A number.
   *
   * @param key the key, never null
   * @param def the value when absent
   * @return the value
   * @throws InvalidInputException if it is not a number
   */
  public double number(String key, double def) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isNumber()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be a number, got " + v);
    }
    return v.asDouble();
  }

  /**
   * A number that may be absent.
   *
   * @param key the key, never null
   * @return the value, or null when absent or {@code null}
   * @throws InvalidInputException if it is not a number
   */
  public Double optionalNumber(String key) {
    return has(key) ? number(key, 0) : null;
  }

  /**
   * A string.
   *
   * @param key the key, never null
   * @param def the value when absent, may be null
   * @return the value, or {@code def}
   * @throws InvalidInputException if it is not a string
   */
  public String text(String key, String def) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be a string, got " + v);
    }
    return v.asText();
  }

  /**
   * A boolean.
   *
   * @param key the key, never null
   * @param def the value when absent
   * @return the value
   * @throws InvalidInputException if it is not true or false
   */
  public boolean bool(String key, boolean def) {
    JsonNode v = json.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException(source + ": \"" + key + "\" must be true or false, got " + v);
    }
    return v.asBoolean();
  }
}
