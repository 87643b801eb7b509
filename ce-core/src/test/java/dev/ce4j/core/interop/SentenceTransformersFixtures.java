package dev.ce4j.core.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the files shared with {@code sentence_transformers_interop.py}. */
final class SentenceTransformersFixtures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SentenceTransformersFixtures() {}

  /** Pairs from JSON Lines, one {@code ["query", "document"]} array per line. */
  static List<TextPair> readPairs(Path file) throws IOException {
    List<TextPair> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode a = MAPPER.readTree(line);
      pairs.add(TextPair.of(a.get(0).asText(), a.get(1).asText()));
    }
    return pairs;
  }

  /** One matrix ({@code "scores"} or {@code "logits"}) of a scores file. */
  static double[][] readMatrix(Path file, String key) throws IOException {
    JsonNode rows = MAPPER.readTree(file.toFile()).get(key);
    if (rows == null) {
      throw new IllegalArgumentException(file + " has no \"" + key + "\"");
    }
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      out[i] = new double[row.size()];
      for (int j = 0; j < row.size(); j++) {
        out[i][j] = row.get(j).asDouble();
      }
    }
    return out;
  }
}
