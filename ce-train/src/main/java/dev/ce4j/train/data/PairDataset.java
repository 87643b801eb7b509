package dev.ce4j.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.core.io.lines.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Labelled pairs, all with the same {@link LabelKind} and label width, in file order.
 *
 * <p>Record format, one per line: {@code {"pair": ["query", "document"], "label": L}} where {@code
 * L} is a number (a score, a 0/1 class or a class index) or an array of 0/1 indicators
 * (multi-label); an {@code "id"} field is allowed and ignored. Immutable and thread-safe.
 */
public final class PairDataset {
  private static final Set<String> FIELDS = Set.of("pair", "label", "id");
  private static final String EXPECTED = "a JSON object such as {\"pair\": [\"query\", \"document\"], \"label\": 1}";

  private final List<PairExample> examples;
  private final LabelKind kind;
  private final int labelWidth;

  private PairDataset(List<PairExample> examples, LabelKind kind, int labelWidth) {
    this.examples = examples;
    this.kind = kind;
    this.labelWidth = labelWidth;
  }

  /**
   * A dataset of examples, checking that all labels are of one kind and width.
   *
   * @param examples the examples, never null
   * @param kind the label kind, never null; a {@link LabelKind#SCALAR} label has width 1
   * @return the dataset, never null
   * @throws InvalidInputException naming the first example whose label does not fit
   */
  public static PairDataset of(List<PairExample> examples, LabelKind kind) {
    Objects.requireNonNull(kind, "kind");
    List<PairExample> copy = List.copyOf(examples);
    int width = kind == LabelKind.SCALAR ? 1 : copy.isEmpty() ? 0 : copy.get(0).labelWidth();
    for (PairExample e : copy) {
      if (e.labelWidth() != width) {
        throw new InvalidInputException(
            e.origin() + ": label has " + e.labelWidth() + " values but "
                + (kind == LabelKind.SCALAR ? "a scalar label has 1" : copy.get(0).origin() + " has " + width)
                + "; every label of a dataset must have the same width");
      }
    }
    return new PairDataset(copy, kind, width);
  }

  /**
   * Reads and validates a pairs file; no example is returned unless every line is valid.
   *
   * @param file the JSON Lines file, never null
   * @return the dataset, never null (empty for a file with no records)
   * @throws InvalidInputException naming the file and 1-based line of the first bad record:
   *     malformed JSON, a missing or unknown field, a wrong type, a NaN or infinite label, a
   *     multi-label array that is not 0/1 or whose width differs from the first one's, or labels
   *     of mixed kinds
   */
  public static PairDataset read(Path file) {
    Objects.requireNonNull(file, "file");
    List<PairExample> out = new ArrayList<>();
    LabelKind[] kind = {null};
    Origin[] first = {null};
    String source = file.toString();
    JsonLines.forEachObject(
        file,
        EXPECTED,
        (line, node) -> {
          Origin origin = new Origin(source, line);
          PairExample e = parse(node, origin);
          boolean multi = node.get("label").isArray();
          LabelKind k = multi ? LabelKind.MULTI_LABEL : LabelKind.SCALAR;
          if (kind[0] == null) {
            kind[0] = k;
            first[0] = origin;
          } else if (kind[0] != k) {
            throw new InvalidInputException(
                origin + ": \"label\" is " + (multi ? "an array (multi-label)" : "a number")
                    + " but line " + first[0].line() + " has "
                    + (multi ? "a number" : "an array (multi-label)")
                    + "; use one kind of label per file");
          } else if (multi && e.labelWidth() != out.get(0).labelWidth()) {
            throw new InvalidInputException(
                origin + ": ragged labels: \"label\" has " + e.labelWidth() + " values but line "
                    + first[0].line() + " has " + out.get(0).labelWidth()
                    + "; every multi-label array must have one value per label");
          }
          out.add(e);
        });
    return new PairDataset(
        List.copyOf(out),
        kind[0] == null ? LabelKind.SCALAR : kind[0],
        out.isEmpty() ? 1 : out.get(0).labelWidth());
  }

  /**
   * Reads several pairs files as one dataset, in order.
   *
   * @param files the files, never null
   * @return the concatenation, never null
   * @throws InvalidInputException as {@link #read(Path)}, or if the files' label kinds or widths
   *     differ
   */
  public static PairDataset read(List<Path> files) {
    List<PairDataset> parts = new ArrayList<>();
    for (Path f : files) {
      parts.add(read(f));
    }
    return concat(parts);
  }

  /**
   * Concatenates datasets of the same label kind and width.
   *
   * @param parts the datasets, never null
   * @return the concatenation, never null
   * @throws InvalidInputException if the kinds or widths differ
   */
  public static PairDataset concat(List<PairDataset> parts) {
    List<PairExample> all = new ArrayList<>();
    PairDataset ref = null;
    for (PairDataset p : parts) {
      if (p.isEmpty()) {
        continue;
      }
      if (ref == null) {
        ref = p;
      } else if (ref.kind != p.kind || ref.labelWidth != p.labelWidth) {
        throw new InvalidInputException(
            p.examples.get(0).origin().source() + ": labels are " + p.describeLabels() + " but "
                + ref.examples.get(0).origin().source() + " has " + ref.describeLabels()
                + "; all training files must have the same kind of label");
      }
      all.addAll(p.examples);
    }
    return ref == null
        ? new PairDataset(List.of(), LabelKind.SCALAR, 1)
        : new PairDataset(List.copyOf(all), ref.kind, ref.labelWidth);
  }

  private String describeLabels() {
    return kind == LabelKind.SCALAR ? "numbers" : "multi-label arrays of " + labelWidth;
  }

  private static PairExample parse(ObjectNode node, Origin origin) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new InvalidInputException(
            origin + ": unknown field \"" + f + "\"; a pair record has \"pair\" and \"label\""
                + (f.equals("documents") || f.equals("labels") || f.equals("query")
                    ? " (this looks like a listwise record: set the file's format to \"listwise\")"
                    : ""));
      }
    }
    JsonNode pair = node.get("pair");
    if (pair == null) {
      throw new InvalidInputException(origin + ": missing field \"pair\": [\"query\", \"document\"]");
    }
    if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
      throw new InvalidInputException(
          origin + ": \"pair\" must be an array of two strings [\"query\", \"document\"], got "
              + abbreviate(pair.toString()));
    }
    JsonNode label = node.get("label");
    if (label == null) {
      throw new InvalidInputException(
          origin + ": missing field \"label\": a number, a class index or a 0/1 array");
    }
    double[] values;
    if (label.isNumber()) {
      values = new double[] {finite(label.doubleValue(), origin, "\"label\"")};
    } else if (label.isArray()) {
      if (label.isEmpty()) {
        throw new InvalidInputException(origin + ": \"label\" is an empty array; a multi-label array needs one 0/1 per label");
      }
      values = new double[label.size()];
      for (int i = 0; i < values.length; i++) {
        JsonNode v = label.get(i);
        if (!v.isNumber()) {
          throw new InvalidInputException(
              origin + ": \"label\"[" + i + "] must be 0 or 1, got " + v);
        }
        double d = finite(v.doubleValue(), origin, "\"label\"[" + i + "]");
        if (d != 0 && d != 1) {
          throw new InvalidInputException(
              origin + ": \"label\"[" + i + "] must be 0 or 1 (multi-label indicators), got " + v);
        }
        values[i] = d;
      }
    } else {
      throw new InvalidInputException(
          origin + ": \"label\" must be a number or an array of 0/1, got " + abbreviate(label.toString()));
    }
    return new PairExample(TextPair.of(pair.get(0).asText(), pair.get(1).asText()), values, origin);
  }

  static double finite(double v, Origin origin, String what) {
    if (Double.isNaN(v)) {
      throw new InvalidInputException(origin + ": " + what + " is NaN; labels must be finite numbers");
    }
    if (Double.isInfinite(v)) {
      throw new InvalidInputException(origin + ": " + what + " is infinite (" + v + "); labels must be finite numbers");
    }
    return v;
  }

  /**
   * The examples in order.
   *
   * @return an unmodifiable list, never null
   */
  public List<PairExample> examples() {
    return examples;
  }

  /**
   * One example.
   *
   * @param i the index, from 0
   * @return the example, never null
   */
  public PairExample get(int i) {
    return examples.get(i);
  }

  /**
   * The number of examples.
   *
   * @return the size
   */
  public int size() {
    return examples.size();
  }

  /**
   * Whether there are no examples.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return examples.isEmpty();
  }

  /**
   * The label kind.
   *
   * @return the kind, never null ({@link LabelKind#SCALAR} for an empty dataset)
   */
  public LabelKind labelKind() {
    return kind;
  }

  /**
   * Values per label: 1 for scalar labels, the number of labels for multi-label data.
   *
   * @return the width
   */
  public int labelWidth() {
    return labelWidth;
  }

  /**
   * The texts of an example, for the no-duplicates and group-by-length samplers.
   *
   * @param i the index
   * @return the query and the document, never null
   */
  public List<String> texts(int i) {
    TextPair p = examples.get(i).pair();
    return List.of(p.query(), p.document());
  }

  /**
   * The pairs, without labels.
   *
   * @return a new list, never null
   */
  public List<TextPair> pairs() {
    List<TextPair> out = new ArrayList<>(examples.size());
    examples.forEach(e -> out.add(e.pair()));
    return out;
  }

  /**
   * The class index of each example, checking that each scalar label is an integer from 0.
   *
   * @return one index per example, never null
   * @throws InvalidInputException naming the first example whose label is not a class index, or
   *     if the labels are multi-label
   */
  public int[] classIndices() {
    requireKind(LabelKind.SCALAR, "class indices");
    int[] out = new int[examples.size()];
    for (int i = 0; i < out.length; i++) {
      double v = examples.get(i).score();
      if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
        throw new InvalidInputException(
            examples.get(i).origin() + ": \"label\" " + v
                + " is not a class index; multi-class labels are integers 0, 1, 2, ...");
      }
      out[i] = (int) v;
    }
    return out;
  }

  /**
   * Pointwise samples: one numeric label per pair.
   *
   * @return the samples, never null
   * @throws InvalidInputException if the labels are multi-label
   */
  public Samples.Pointwise toPointwise() {
    requireKind(LabelKind.SCALAR, "pointwise samples");
    double[] labels = new double[examples.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = examples.get(i).score();
    }
    return new Samples.Pointwise(pairs(), labels);
  }

  /**
   * Multi-class samples: one class index per pair.
   *
   * @return the samples, never null
   * @throws InvalidInputException if a label is not a class index
   */
  public Samples.Multiclass toMulticlass() {
    return new Samples.Multiclass(pairs(), classIndices());
  }

  /**
   * Multi-label samples: one 0/1 row per pair.
   *
   * @return the samples, never null
   * @throws InvalidInputException if the labels are scalar
   */
  public Samples.Multilabel toMultilabel() {
    requireKind(LabelKind.MULTI_LABEL, "multi-label samples");
    int[][] rows = new int[examples.size()][];
    for (int i = 0; i < rows.length; i++) {
      double[] l = examples.get(i).label();
      rows[i] = new int[l.length];
      for (int j = 0; j < l.length; j++) {
        rows[i][j] = (int) l[j];
      }
    }
    return new Samples.Multilabel(pairs(), rows);
  }

  /**
   * Ranking samples: the pairs grouped by query text in order of first appearance, each query's
   * documents in file order, the scalar labels as relevance grades. Query ids are the origin of
   * the query's first pair.
   *
   * @return the samples, never null
   * @throws InvalidInputException if the labels are multi-label or a grade is negative
   */
  public Samples.Ranking toRanking() {
    requireKind(LabelKind.SCALAR, "ranking samples");
    Map<String, List<PairExample>> byQuery = new LinkedHashMap<>();
    for (PairExample e : examples) {
      byQuery.computeIfAbsent(e.pair().query(), q -> new ArrayList<>()).add(e);
    }
    List<Samples.RankingQuery> queries = new ArrayList<>();
    for (List<PairExample> group : byQuery.values()) {
      List<String> docs = new ArrayList<>();
      double[] labels = new double[group.size()];
      for (int i = 0; i < labels.length; i++) {
        PairExample e = group.get(i);
        docs.add(e.pair().document());
        labels[i] = nonNegativeGrade(e.score(), e.origin());
      }
      queries.add(
          new Samples.RankingQuery(group.get(0).origin().toString(), group.get(0).pair().query(), docs, labels));
    }
    return new Samples.Ranking(queries);
  }

  static double nonNegativeGrade(double v, Origin origin) {
    if (v < 0) {
      throw new InvalidInputException(
          origin + ": relevance label " + v + " is negative; ranking labels are grades >= 0");
    }
    return v;
  }

  /**
   * Writes the dataset as a pairs JSON Lines file (scalar labels as numbers, multi-label as 0/1
   * integer arrays).
   *
   * @param file the file to write (replaced), never null
   * @throws IOException if writing fails
   */
  public void write(Path file) throws IOException {
    List<ObjectNode> records = new ArrayList<>(examples.size());
    for (PairExample e : examples) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.putArray("pair").add(e.pair().query()).add(e.pair().document());
      if (kind == LabelKind.SCALAR) {
        putNumber(n, "label", e.score());
      } else {
        ArrayNode a = n.putArray("label");
        for (double v : e.label()) {
          a.add((int) v);
        }
      }
      records.add(n);
    }
    JsonLines.write(file, records);
  }

  /** A value's JSON text for messages, shortened to 80 characters. */
  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  static void putNumber(ObjectNode n, String field, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      n.put(field, (long) v);
    } else {
      n.put(field, v);
    }
  }

  private void requireKind(LabelKind needed, String what) {
    if (!examples.isEmpty() && kind != needed) {
      throw new InvalidInputException(
          examples.get(0).origin().source() + ": " + what + " need "
              + (needed == LabelKind.SCALAR ? "a number as \"label\"" : "a 0/1 array as \"label\"")
              + " but this data has " + describeLabels());
    }
  }

  @Override
  public String toString() {
    return "PairDataset[" + examples.size() + " examples, " + describeLabels() + "]";
  }
}
