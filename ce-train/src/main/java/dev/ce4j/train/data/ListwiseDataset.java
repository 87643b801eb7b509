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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Queries with candidate documents and a label per document, in file order: the data of listwise
 * losses and of the reranking evaluator.
 *
 * <p>Record format, one per line: {@code {"query": "...", "documents": ["...", "..."], "labels":
 * [1, 0]}}, optionally with {@code "id"} (a string or integer, unique within the file). Immutable
 * and thread-safe.
 */
public final class ListwiseDataset {
  private static final Set<String> FIELDS = Set.of("id", "query", "documents", "labels");
  private static final String EXPECTED =
      "a JSON object such as {\"query\": \"...\", \"documents\": [\"...\", \"...\"], \"labels\": [1, 0]}";

  private final List<ListwiseExample> examples;

  private ListwiseDataset(List<ListwiseExample> examples) {
    this.examples = examples;
  }

  /**
   * A dataset of examples.
   *
   * @param examples the examples, never null
   * @return the dataset, never null
   */
  public static ListwiseDataset of(List<ListwiseExample> examples) {
    return new ListwiseDataset(List.copyOf(examples));
  }

  /**
   * Reads and validates a listwise file; no example is returned unless every line is valid.
   *
   * @param file the JSON Lines file, never null
   * @return the dataset, never null
   * @throws InvalidInputException naming the file and 1-based line of the first bad record:
   *     malformed JSON, a missing or unknown field, a wrong type, an empty {@code documents}, a
   *     {@code labels} array of another length than {@code documents} (ragged), a NaN or infinite
   *     label, or a repeated id
   */
  public static ListwiseDataset read(Path file) {
    Objects.requireNonNull(file, "file");
    List<ListwiseExample> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    String source = file.toString();
    JsonLines.forEachObject(
        file,
        EXPECTED,
        (line, node) -> {
          Origin origin = new Origin(source, line);
          ListwiseExample e = parse(node, origin, fileName);
          if (!ids.add(e.id())) {
            throw new InvalidInputException(origin + ": \"id\" '" + e.id() + "' is used by an earlier line; ids must be unique");
          }
          out.add(e);
        });
    return new ListwiseDataset(List.copyOf(out));
  }

  /**
   * Reads several listwise files as one dataset, in order.
   *
   * @param files the files, never null
   * @return the concatenation, never null
   * @throws InvalidInputException as {@link #read(Path)}
   */
  public static ListwiseDataset read(List<Path> files) {
    List<ListwiseExample> all = new ArrayList<>();
    for (Path f : files) {
      all.addAll(read(f).examples);
    }
    return new ListwiseDataset(List.copyOf(all));
  }

  private static ListwiseExample parse(ObjectNode node, Origin origin, String fileName) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new InvalidInputException(
            origin + ": unknown field \"" + f + "\"; a listwise record has \"query\", \"documents\","
                + " \"labels\" and optionally \"id\""
                + (f.equals("pair") || f.equals("label")
                    ? " (this looks like a pair record: set the file's format to \"pairs\")"
                    : ""));
      }
    }
    JsonNode query = node.get("query");
    if (query == null) {
      throw new InvalidInputException(origin + ": missing field \"query\"");
    }
    if (!query.isTextual()) {
      throw new InvalidInputException(
          origin + ": \"query\" must be a string, got " + PairDataset.abbreviate(query.toString()));
    }
    JsonNode docs = node.get("documents");
    if (docs == null) {
      throw new InvalidInputException(origin + ": missing field \"documents\"");
    }
    if (!docs.isArray()) {
      throw new InvalidInputException(
          origin + ": \"documents\" must be an array of strings, got " + PairDataset.abbreviate(docs.toString()));
    }
    List<String> documents = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      if (!docs.get(i).isTextual()) {
        throw new InvalidInputException(origin + ": \"documents\"[" + i + "] must be a string, got " + docs.get(i));
      }
      documents.add(docs.get(i).asText());
    }
    if (documents.isEmpty()) {
      throw new InvalidInputException(origin + ": \"documents\" is empty; give at least one document");
    }
    JsonNode labs = node.get("labels");
    if (labs == null) {
      throw new InvalidInputException(origin + ": missing field \"labels\": one number per document");
    }
    if (!labs.isArray()) {
      throw new InvalidInputException(
          origin + ": \"labels\" must be an array of numbers, got " + PairDataset.abbreviate(labs.toString()));
    }
    if (labs.size() != documents.size()) {
      throw new InvalidInputException(
          origin + ": ragged labels: \"documents\" has " + documents.size() + " entries but \"labels\" has "
              + labs.size() + "; give one label per document");
    }
    double[] labels = new double[labs.size()];
    for (int i = 0; i < labels.length; i++) {
      JsonNode v = labs.get(i);
      if (!v.isNumber()) {
        throw new InvalidInputException(origin + ": \"labels\"[" + i + "] must be a number, got " + v);
      }
      labels[i] = PairDataset.finite(v.doubleValue(), origin, "\"labels\"[" + i + "]");
    }
    String id;
    JsonNode idNode = node.get("id");
    if (idNode == null || idNode.isNull()) {
      id = fileName + ":" + origin.line();
    } else if (idNode.isTextual() || idNode.isIntegralNumber()) {
      id = idNode.asText();
    } else {
      throw new InvalidInputException(origin + ": \"id\" must be a string or an integer, got " + idNode);
    }
    return new ListwiseExample(id, query.asText(), documents, labels, origin);
  }

  /**
   * The examples in order.
   *
   * @return an unmodifiable list, never null
   */
  public List<ListwiseExample> examples() {
    return examples;
  }

  /**
   * One example.
   *
   * @param i the index, from 0
   * @return the example, never null
   */
  public ListwiseExample get(int i) {
    return examples.get(i);
  }

  /**
   * The number of queries.
   *
   * @return the size
   */
  public int size() {
    return examples.size();
  }

  /**
   * Whether there are no queries.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return examples.isEmpty();
  }

  /**
   * The texts of an example (query, then documents), for the no-duplicates and group-by-length samplers.
   *
   * @param i the index
   * @return the texts, never null
   */
  public List<String> texts(int i) {
    ListwiseExample e = examples.get(i);
    List<String> out = new ArrayList<>(e.documents().size() + 1);
    out.add(e.query());
    out.addAll(e.documents());
    return out;
  }

  /**
   * Ranking samples with the labels as relevance grades.
   *
   * @return the samples, never null
   * @throws InvalidInputException naming the record of the first negative label
   */
  public Samples.Ranking toRanking() {
    List<Samples.RankingQuery> queries = new ArrayList<>(examples.size());
    for (ListwiseExample e : examples) {
      double[] labels = e.labels();
      for (double v : labels) {
        PairDataset.nonNegativeGrade(v, e.origin());
      }
      queries.add(new Samples.RankingQuery(e.id(), e.query(), e.documents(), labels));
    }
    return new Samples.Ranking(queries);
  }

  /**
   * Every (query, document) pair with its label as a scalar pair dataset, in order.
   *
   * @return the pairs, never null
   */
  public PairDataset toPairs() {
    List<PairExample> out = new ArrayList<>();
    for (ListwiseExample e : examples) {
      for (int i = 0; i < e.documents().size(); i++) {
        out.add(new PairExample(TextPair.of(e.query(), e.documents().get(i)), new double[] {e.label(i)}, e.origin()));
      }
    }
    return PairDataset.of(out, LabelKind.SCALAR);
  }

  /**
   * Writes the dataset as a listwise JSON Lines file, each record with its id.
   *
   * @param file the file to write (replaced), never null
   * @throws IOException if writing fails
   */
  public void write(Path file) throws IOException {
    List<ObjectNode> records = new ArrayList<>(examples.size());
    for (ListwiseExample e : examples) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("id", e.id());
      n.put("query", e.query());
      ArrayNode d = n.putArray("documents");
      e.documents().forEach(d::add);
      ArrayNode l = n.putArray("labels");
      for (double v : e.labels()) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
          l.add((long) v);
        } else {
          l.add(v);
        }
      }
      records.add(n);
    }
    JsonLines.write(file, records);
  }

  @Override
  public String toString() {
    return "ListwiseDataset[" + examples.size() + " queries]";
  }
}
