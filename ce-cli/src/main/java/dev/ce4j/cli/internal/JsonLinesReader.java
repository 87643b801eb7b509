package dev.ce4j.cli.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a JSON Lines file, one JSON object per line, streaming: one line is in memory at a
 * time.
 *
 * <p>The file must be UTF-8. Lines end at {@code \n}, {@code \r\n} or a {@code \r} alone (see
 * {@link ByteLines}); blank lines are skipped; a UTF-8 byte order mark is ignored. Every problem is an
 * {@link InvalidInputException} whose message starts with the file and the 1-based line, such as
 * {@code preds.jsonl, line 3: malformed JSON: ...}. The JSON literals {@code NaN} and
 * {@code Infinity} are parsed (so that {@link JsonRecord} can reject them by name), duplicate
 * field names and anything after the object on the same line are errors. Stateless and
 * thread-safe.
 */
public final class JsonLinesReader {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** The longest line accepted, in bytes: 64 MiB. */
  public static final int MAX_LINE_BYTES = ByteLines.MAX_LINE_BYTES;

  private JsonLinesReader() {}

  /**
   * Reads every non-blank line of a file as a JSON object.
   *
   * @param file the file, never null; named in messages as given
   * @param handler receives each record in file order, never null; may throw
   *     {@link InvalidInputException}, typically through {@link JsonRecord#error(String)}
   * @return the number of records read, at least 1
   * @throws InvalidInputException if the file is missing or unreadable, holds a line that is not
   *     one JSON object in UTF-8 or is longer than {@link #MAX_LINE_BYTES}, or holds no record
   */
  public static long read(Path file, Consumer<JsonRecord> handler) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(handler, "handler");
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new InvalidInputException("'" + name + "' is a directory, not a JSON Lines file");
    }
    long[] records = new long[1];
    try (InputStream in = Files.newInputStream(file)) {
      ByteLines.read(in, MAX_LINE_BYTES,
          number -> new InvalidInputException(JsonRecord.location(name, number) + ": the line is longer than "
              + (MAX_LINE_BYTES >> 20) + " MiB; a JSON Lines file has one JSON object per line"),
          (number, line, length) -> {
            if (accept(name, number, line, length, handler)) {
              records[0]++;
            }
          });
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("file '" + name + "' does not exist", e);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("file '" + name + "' cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new InvalidInputException("file '" + name + "' cannot be read: " + e.getMessage(), e);
    }
    if (records[0] == 0) {
      throw new InvalidInputException("file '" + name + "' is empty; it needs one JSON object per line");
    }
    return records[0];
  }

  /** Parses one line and hands it on; whether it was a record (not blank). */
  private static boolean accept(String name, long lineNumber, byte[] line, int length, Consumer<JsonRecord> handler) {
    int from = 0;
    if (lineNumber == 1 && length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
        && (line[2] & 0xff) == 0xBF) {
      from = 3;
    }
    if (isBlank(line, from, length)) {
      return false;
    }
    handler.accept(new JsonRecord(name, lineNumber, parseObject(name, lineNumber, line, from, length - from)));
    return true;
  }

  private static boolean isBlank(byte[] line, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode parseObject(String name, long lineNumber, byte[] line, int from, int length) {
    if (notUtf8(line, from, length)) {
      throw new InvalidInputException(JsonRecord.location(name, lineNumber)
          + ": not UTF-8 text (it looks like UTF-16 or UTF-32); save the file as UTF-8");
    }
    JsonNode node;
    try (JsonParser parser = MAPPER.createParser(line, from, length)) {
      node = MAPPER.readTree(parser);
      if (parser.nextToken() != null) {
        throw new InvalidInputException(location(name, lineNumber, parser.currentTokenLocation())
            + ": unexpected text after the JSON object; a JSON Lines file has exactly one object per line");
      }
    } catch (JacksonException e) {
      String message = JsonErrors.message(e);
      String where = location(name, lineNumber, e.getLocation());
      if (message.startsWith("Invalid UTF-8")) {
        throw new InvalidInputException(where + ": not valid UTF-8 text (" + message + "); save the file as UTF-8", e);
      }
      throw new InvalidInputException(where + ": malformed JSON: " + message, e);
    } catch (IOException e) {
      throw new InvalidInputException(JsonRecord.location(name, lineNumber) + ": cannot parse: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new InvalidInputException(JsonRecord.location(name, lineNumber)
          + ": expected a JSON object such as {\"score\": 0.5, \"label\": 1}, got " + JsonRecord.describe(node));
    }
    return object;
  }

  /**
   * Whether a line is evidently in another encoding: a UTF-16 byte order mark or a NUL byte, from
   * which Jackson would otherwise guess UTF-16 or UTF-32.
   */
  private static boolean notUtf8(byte[] line, int from, int length) {
    if (length >= 2) {
      int b0 = line[from] & 0xff;
      int b1 = line[from + 1] & 0xff;
      if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
        return true;
      }
    }
    for (int i = from; i < from + length; i++) {
      if (line[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static String location(String name, long lineNumber, JsonLocation at) {
    return JsonErrors.at(JsonRecord.location(name, lineNumber), at);
  }
}
