package dev.ce4j.train.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads and writes JSON Lines: one JSON object per line, UTF-8. Lines end at {@code \n}, {@code
 * \r\n} or a lone {@code \r}; blank lines are skipped; a byte order mark at the start is ignored. Every failure is an {@link InvalidInputException} that names
 * the file and the 1-based line. Stateless and thread-safe.
 */
public final class JsonLines {
  /**
   * The mapper for records: duplicate keys and trailing tokens are errors; {@code NaN} and {@code
   * Infinity} are parsed (so that they can be rejected with a clear message rather than a parse
   * error).
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonLines() {}

  /**
   * Calls {@code handler} with each record of a file and its origin, in file order.
   *
   * @param file the file, never null
   * @param handler receives each record; may throw {@link InvalidInputException}, which is passed
   *     on as is; never null
   * @throws InvalidInputException if the file is missing or unreadable, not UTF-8, or a line is not
   *     a JSON object; naming the file and line
   */
  public static void forEach(Path file, BiConsumer<ObjectNode, Origin> handler) {
    String source = file.toString();
    long lineNo = 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new InvalidInputException(
          source + ": not a regular file (" + (Files.isDirectory(file) ? "a folder" : "a pipe, socket or device")
              + "); give a JSON Lines file");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
      boolean eof = false;
      boolean afterCr = false;
      while (!eof) {
        buf.reset();
        int b;
        while ((b = in.read()) != -1) {
          if (afterCr) {
            afterCr = false;
            if (b == '\n') {
              continue; // the second half of \r\n
            }
          }
          if (b == '\n') {
            break;
          }
          if (b == '\r') {
            afterCr = true;
            break;
          }
          buf.write(b);
        }
        eof = b == -1;
        if (eof && buf.size() == 0) {
          break;
        }
        lineNo++;
        String line;
        try {
          line = decoder.decode(ByteBuffer.wrap(buf.toByteArray())).toString();
        } catch (CharacterCodingException e) {
          throw new InvalidInputException(source + ":" + lineNo + ": not valid UTF-8; save the file as UTF-8", e);
        }
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        Origin origin = new Origin(source, lineNo);
        JsonNode node;
        try {
          node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          throw new InvalidInputException(
              origin + ": malformed JSON: " + e.getOriginalMessage()
                  + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")"),
              e);
        }
        if (node == null || !node.isObject()) {
          throw new InvalidInputException(origin + ": each line must be a JSON object, got " + abbreviate(line));
        }
        handler.accept((ObjectNode) node, origin);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(source + ": data file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(source + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Writes records as JSON Lines (replacing the file), one compact object per line.
   *
   * @param file the file, never null
   * @param records the records, never null
   * @throws IOException if writing fails
   */
  public static void write(Path file, List<? extends JsonNode> records) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (JsonNode n : records) {
        w.write(MAPPER.writeValueAsString(n));
        w.write('\n');
      }
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
