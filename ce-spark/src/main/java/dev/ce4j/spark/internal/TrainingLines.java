package dev.ce4j.spark.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.CeException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The training JSON Lines records {@code ce train} reads, one compact object per line, written as
 * {@code ce-train}'s {@code PairDataset.write} and {@code ListwiseDataset.write} write them
 * (integral numbers as integers). Stateless, thread-safe.
 */
public final class TrainingLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TrainingLines() {}

  /**
   * A pairs record: {@code {"pair":[q,d],"label":y}}.
   *
   * @param query the query, never null
   * @param document the document, never null
   * @param label the label
   * @return the line, without its newline, never null
   */
  public static String pair(String query, String document, double label) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.putArray("pair").add(query).add(document);
    if (isIntegral(label)) {
      n.put("label", (long) label);
    } else {
      n.put("label", label);
    }
    return text(n);
  }

  /**
   * A listwise record: {@code {"id":..,"query":..,"documents":[..],"labels":[..]}}.
   *
   * @param id the id, or null for none
   * @param query the query, never null
   * @param documents the documents, never null
   * @param labels one label per document, never null
   * @return the line, without its newline, never null
   */
  public static String listwise(String id, String query, List<String> documents, double[] labels) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (id != null) {
      n.put("id", id);
    }
    n.put("query", query);
    ArrayNode d = n.putArray("documents");
    documents.forEach(d::add);
    ArrayNode l = n.putArray("labels");
    for (double v : labels) {
      if (isIntegral(v)) {
        l.add((long) v);
      } else {
        l.add(v);
      }
    }
    return text(n);
  }

  /**
   * Writes lines to a file (replaced), each ending in {@code \n}, UTF-8.
   *
   * @param file the file, never null
   * @param lines the lines, consumed once, never null
   * @return how many lines were written
   * @throws CeException naming the file if writing fails
   */
  public static long write(Path file, Iterator<String> lines) {
    long n = 0;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        while (lines.hasNext()) {
          w.write(lines.next());
          w.write('\n');
          n++;
        }
      }
      return n;
    } catch (IOException | UncheckedIOException e) {
      throw new CeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isIntegral(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15;
  }

  private static String text(ObjectNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
