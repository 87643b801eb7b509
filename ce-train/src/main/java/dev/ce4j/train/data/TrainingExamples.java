package dev.ce4j.train.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.train.config.DataFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Training data held in memory, for a run that does not start from files: labelled pairs or
 * listwise records, exactly as a training file holds them. A run writes them into its folder as the
 * JSON Lines file they stand for ({@link #toJsonLines()}), so that {@code run.json} records their
 * SHA-256 and {@code ce reproduce} replays the run from files. Immutable and thread-safe.
 */
public final class TrainingExamples {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PairDataset pairs;
  private final ListwiseDataset lists;

  private TrainingExamples(PairDataset pairs, ListwiseDataset lists) {
    this.pairs = pairs;
    this.lists = lists;
  }

  /**
   * Pairs with one number each (a relevance score, a 0/1 class, a class index or a regression
   * target), such as {@code PairExample.of("query", "document", 1)}.
   *
   * @param examples the pairs, at least one, never null
   * @return the data, never null
   * @throws InvalidInputException if there are none or a label is not one number
   */
  public static TrainingExamples pairs(List<PairExample> examples) {
    return new TrainingExamples(PairDataset.of(nonEmpty(examples), LabelKind.SCALAR), null);
  }

  /**
   * Pairs with a 0/1 array each, all of one width (multi-label training).
   *
   * @param examples the pairs, at least one, never null
   * @return the data, never null
   * @throws InvalidInputException if there are none or the widths differ
   */
  public static TrainingExamples multiLabelPairs(List<PairExample> examples) {
    return new TrainingExamples(PairDataset.of(nonEmpty(examples), LabelKind.MULTI_LABEL), null);
  }

  /**
   * Listwise records: a query with its documents and one label each (the list losses, {@code
   * mnrl} with the positive first).
   *
   * @param examples the records, at least one, never null
   * @return the data, never null
   * @throws InvalidInputException if there are none
   */
  public static TrainingExamples listwise(List<ListwiseExample> examples) {
    return new TrainingExamples(null, ListwiseDataset.of(nonEmpty(examples)));
  }

  private static <T> List<T> nonEmpty(List<T> examples) {
    Objects.requireNonNull(examples, "examples");
    if (examples.isEmpty()) {
      throw new InvalidInputException("the in-memory training data holds no examples");
    }
    return examples;
  }

  /**
   * The layout the data is in.
   *
   * @return {@link DataFormat#PAIRS} or {@link DataFormat#LISTWISE}, never null
   */
  public DataFormat format() {
    return pairs != null ? DataFormat.PAIRS : DataFormat.LISTWISE;
  }

  /**
   * The pairs, when the data is pairs.
   *
   * @return the dataset, or null for listwise data
   */
  public PairDataset pairDataset() {
    return pairs;
  }

  /**
   * The records, when the data is listwise.
   *
   * @return the dataset, or null for pairs
   */
  public ListwiseDataset listwiseDataset() {
    return lists;
  }

  /**
   * The data as the JSON Lines file a run writes and replays from: one compact object per line,
   * {@code {"pair": [q, d], "label": y}} (an array for multi-label) or {@code {"id": ..., "query":
   * ..., "documents": [...], "labels": [...]}}, numbers written so that they read back to the same
   * doubles, UTF-8, {@code \n} after every line.
   *
   * @return the bytes, never null
   */
  public byte[] toJsonLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (pairs != null) {
        for (PairExample e : pairs.examples()) {
          ObjectNode o = JSON.createObjectNode();
          o.putArray("pair").add(e.pair().query()).add(e.pair().document());
          if (pairs.labelKind() == LabelKind.SCALAR) {
            o.put("label", e.score());
          } else {
            ArrayNode a = o.putArray("label");
            for (double v : e.label()) {
              a.add(v);
            }
          }
          line(out, o);
        }
      } else {
        for (ListwiseExample e : lists.examples()) {
          ObjectNode o = JSON.createObjectNode();
          o.put("id", e.id());
          o.put("query", e.query());
          ArrayNode d = o.putArray("documents");
          e.documents().forEach(d::add);
          ArrayNode l = o.putArray("labels");
          for (double v : e.labels()) {
            l.add(v);
          }
          line(out, o);
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
    return out.toByteArray();
  }

  /**
   * The SHA-256 of {@link #toJsonLines()}, as {@code run.json} records a data file's.
   *
   * @return 64 lowercase hexadecimal digits, never null
   */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toJsonLines()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void line(ByteArrayOutputStream out, ObjectNode o) throws JsonProcessingException {
    out.writeBytes(JSON.writeValueAsString(o).getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }
}
