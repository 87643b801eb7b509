package dev.ce4j.train.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.AtomicFiles;
import dev.ce4j.core.io.lines.JsonLines;
import dev.ce4j.core.io.lines.TextLines;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.manifest.RunManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes the metrics of every evaluation to {@code metrics.csv} and {@code metrics.jsonl} in the
 * output folder. Both files are rewritten atomically after each evaluation, so they always hold
 * exactly the records appended so far; a resumed run starts from the records of its checkpoint
 * ({@link #create(Path, List)} with the checkpoint manifest's metrics), so the files of a resumed
 * run equal those of an uninterrupted one.
 *
 * <p>CSV: a header {@code step,epoch,<key>...} with every single-number key in order of first
 * appearance, one row per evaluation, a missing value empty, numbers as Java's {@code
 * Double.toString} ({@code NaN} for NaN), counts (such as {@code dev/queries}) as integers.
 * Per-label arrays are not in the CSV. JSON Lines: {@code {"step": S, "epoch": E, "values": {...}}}
 * per line, with {@code "perLabel": {"dev/f1_per_label": [...], ...}} after the values when the
 * evaluators report per-label arrays; non-finite values as {@code null}, counts as integers. Not
 * thread-safe.
 */
public final class MetricsWriter {
  /** The CSV file name. */
  public static final String CSV = "metrics.csv";
  /** The JSON Lines file name. */
  public static final String JSONL = "metrics.jsonl";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path directory;
  private final List<MetricsRecord> records;
  private final Predicate<String> isCount;

  private MetricsWriter(Path directory, List<MetricsRecord> records, Predicate<String> isCount) {
    this.directory = directory;
    this.records = records;
    this.isCount = isCount;
  }

  /**
   * A writer starting from some records (none for a new run), writing both files now; every value
   * is written as a real number.
   *
   * @param directory the output folder, created if needed, never null
   * @param initial the records so far, never null
   * @return the writer, never null
   * @throws IOException if the files cannot be written
   */
  public static MetricsWriter create(Path directory, List<MetricsRecord> initial) throws IOException {
    return create(directory, initial, key -> false);
  }

  /**
   * A writer starting from some records (none for a new run), writing both files now.
   *
   * @param directory the output folder, created if needed, never null
   * @param initial the records so far, never null
   * @param isCount which metric keys are counts, written as integers when they are whole numbers,
   *     never null
   * @return the writer, never null
   * @throws IOException if the files cannot be written
   */
  public static MetricsWriter create(Path directory, List<MetricsRecord> initial, Predicate<String> isCount)
      throws IOException {
    Files.createDirectories(directory);
    MetricsWriter w = new MetricsWriter(Objects.requireNonNull(directory, "directory"), new ArrayList<>(initial),
        Objects.requireNonNull(isCount, "isCount"));
    w.flush();
    return w;
  }

  /**
   * Whether a value of a count metric is written as an integer: a whole number small enough to be
   * exact as a {@code long}.
   *
   * @param value the value
   * @return true for finite whole numbers of magnitude below 2^53
   */
  public static boolean isWholeNumber(double value) {
    return Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 0x1p53;
  }

  /**
   * Appends one evaluation and rewrites both files.
   *
   * @param record the metrics, never null
   * @throws IOException if the files cannot be written
   */
  public void append(MetricsRecord record) throws IOException {
    records.add(Objects.requireNonNull(record, "record"));
    flush();
  }

  /**
   * The records written so far.
   *
   * @return an unmodifiable copy, never null
   */
  public List<MetricsRecord> records() {
    return List.copyOf(records);
  }

  /**
   * Reads the records of a {@code metrics.jsonl} file.
   *
   * @param file the file, never null
   * @return the records, never null
   * @throws InvalidInputException if the file is missing or malformed, naming file and line
   */
  public static List<MetricsRecord> readJsonLines(Path file) {
    List<MetricsRecord> out = new ArrayList<>();
    String name = file.toString();
    String expected = "a metrics record {\"step\": ..., \"epoch\": ..., \"values\": {...}}";
    JsonLines.forEachObject(file, expected, (line, n) -> {
      try {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.get("values").properties()) {
          values.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
        }
        out.add(new MetricsRecord(n.get("step").asLong(), n.get("epoch").asDouble(), values, RunManifest.perLabel(n)));
      } catch (RuntimeException e) {
        throw new InvalidInputException(TextLines.location(name, line) + ": malformed metrics record", e);
      }
    });
    return out;
  }

  private void flush() throws IOException {
    AtomicFiles.write(directory.resolve(CSV), csv().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(directory.resolve(JSONL), jsonLines().getBytes(StandardCharsets.UTF_8));
  }

  String csv() {
    Set<String> keys = new LinkedHashSet<>();
    records.forEach(r -> keys.addAll(r.values().keySet()));
    StringBuilder b = new StringBuilder("step,epoch");
    for (String k : keys) {
      b.append(',').append(csvField(k));
    }
    b.append('\n');
    for (MetricsRecord r : records) {
      b.append(r.step()).append(',').append(Double.toString(r.epoch()));
      for (String k : keys) {
        b.append(',');
        Double v = r.values().get(k);
        if (v != null) {
          b.append(isCount.test(k) && isWholeNumber(v) ? Long.toString((long) v.doubleValue()) : Double.toString(v));
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  String jsonLines() throws JsonProcessingException {
    StringBuilder b = new StringBuilder();
    for (MetricsRecord r : records) {
      ObjectNode n = MAPPER.createObjectNode();
      n.put("step", r.step());
      n.put("epoch", r.epoch());
      ObjectNode v = n.putObject("values");
      r.values().forEach((k, x) -> {
        if (isCount.test(k) && isWholeNumber(x)) {
          v.put(k, (long) x.doubleValue());
        } else if (Double.isFinite(x)) {
          v.put(k, x);
        } else {
          v.putNull(k);
        }
      });
      if (!r.perLabel().isEmpty()) {
        ObjectNode perLabel = n.putObject("perLabel");
        r.perLabel().forEach((k, values) -> {
          ArrayNode a = perLabel.putArray(k);
          for (double x : values) {
            if (isCount.test(k) && isWholeNumber(x)) {
              a.add((long) x);
            } else if (Double.isFinite(x)) {
              a.add(x);
            } else {
              a.addNull();
            }
          }
        });
      }
      b.append(MAPPER.writeValueAsString(n)).append('\n');
    }
    return b.toString();
  }

  private static String csvField(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
