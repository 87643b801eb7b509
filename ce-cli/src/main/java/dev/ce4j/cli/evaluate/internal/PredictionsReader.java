package dev.ce4j.cli.evaluate.internal;

import static dev.ce4j.cli.evaluate.internal.InputFormat.LABEL;
import static dev.ce4j.cli.evaluate.internal.InputFormat.LABELS;
import static dev.ce4j.cli.evaluate.internal.InputFormat.QUERY_ID;
import static dev.ce4j.cli.evaluate.internal.InputFormat.SCORE;
import static dev.ce4j.cli.evaluate.internal.InputFormat.SCORES;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.cli.internal.DoubleList;
import dev.ce4j.cli.internal.IntList;
import dev.ce4j.cli.internal.JsonRecord;
import dev.ce4j.core.io.lines.JsonLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a predictions file in the JSON Lines format of an {@link InputKind} (see
 * {@link InputFormat}).
 *
 * <p>Every line is checked where it stands, so an error names the file, the line and the field:
 * missing or mistyped fields, non-finite numbers, score arrays whose length differs from the
 * first line's, multi-label indicators other than 0 and 1, class indices out of range, negative
 * relevance grades. Ranking lines are grouped by {@code query_id} in order of first appearance;
 * the lines of one query need not be adjacent. A query id is a non-blank string or a whole number;
 * the number {@code 7} and the string {@code "7"} in one file are an error naming both lines,
 * never one query. Stateless and thread-safe.
 */
public final class PredictionsReader {
  private static final String EXPECTED = "a JSON object such as {\"score\": 0.5, \"label\": 1}";

  private PredictionsReader() {}

  /**
   * Predictions read from a file, with the line each sample came from.
   *
   * @param predictions the predictions, never null
   * @param lines for pointwise, multiclass and multi-label input, the 1-based line of each sample
   *     (sample {@code i} came from {@code lines[i]}); empty for ranking input. Never null.
   */
  public record Loaded(Predictions predictions, int[] lines) {
    /** Copies the line numbers. */
    public Loaded {
      Objects.requireNonNull(predictions, "predictions");
      lines = lines.clone();
    }

    @Override
    public int[] lines() {
      return lines.clone();
    }

    /**
     * The line of a sample, if known.
     *
     * @param sample a sample index
     * @return the 1-based line, or -1 if unknown
     */
    public int lineOf(int sample) {
      return sample >= 0 && sample < lines.length ? lines[sample] : -1;
    }
  }

  /**
   * Reads a file.
   *
   * @param file the file, never null
   * @param kind the format to expect, never null
   * @return the predictions, never null, with at least one sample
   * @throws InvalidInputException on any problem with the file, naming the file and line
   */
  public static Loaded read(Path file, InputKind kind) {
    Objects.requireNonNull(file, "file");
    return switch (Objects.requireNonNull(kind, "kind")) {
      case POINTWISE -> readPointwise(file);
      case MULTICLASS -> readMulticlass(file);
      case MULTILABEL -> readMultilabel(file);
      case RANKING -> readRanking(file);
    };
  }

  private static Loaded readPointwise(Path file) {
    DoubleList scores = new DoubleList();
    DoubleList labels = new DoubleList();
    IntList lines = new IntList();
    forEachRecord(file, r -> {
      scores.add(r.finiteNumber(SCORE));
      labels.add(r.finiteNumber(LABEL));
      lines.add((int) r.line());
    });
    return new Loaded(new PointwisePredictions(scores.toArray(), labels.toArray()), lines.toArray());
  }

  private static Loaded readMulticlass(Path file) {
    List<double[]> scores = new ArrayList<>();
    IntList labels = new IntList();
    IntList lines = new IntList();
    forEachRecord(file, r -> {
      double[] row = r.finiteNumbers(SCORES);
      checkWidth(r, row.length, scores.isEmpty() ? -1 : scores.get(0).length, lines);
      int label = r.wholeNumber(LABEL);
      if (label < 0 || label >= row.length) {
        throw r.error("field '" + LABEL + "' is " + label + " but there are " + row.length
            + " scores per line; a label must be a class index from 0 to " + (row.length - 1));
      }
      scores.add(row);
      labels.add(label);
      lines.add((int) r.line());
    });
    return new Loaded(
        new MulticlassPredictions(scores.toArray(new double[0][]), labels.toArray()), lines.toArray());
  }

  private static Loaded readMultilabel(Path file) {
    List<double[]> scores = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    IntList lines = new IntList();
    forEachRecord(file, r -> {
      double[] row = r.finiteNumbers(SCORES);
      checkWidth(r, row.length, scores.isEmpty() ? -1 : scores.get(0).length, lines);
      int[] indicators = r.wholeNumbers(LABELS);
      if (indicators.length != row.length) {
        throw r.error("field '" + LABELS + "' has " + indicators.length + " values but '" + SCORES
            + "' has " + row.length + "; give one 0/1 indicator per score");
      }
      for (int j = 0; j < indicators.length; j++) {
        if (indicators[j] != 0 && indicators[j] != 1) {
          throw r.error("'" + LABELS + "'[" + j + "] is " + indicators[j]
              + "; multi-label indicators must be 0 or 1");
        }
      }
      scores.add(row);
      labels.add(indicators);
      lines.add((int) r.line());
    });
    return new Loaded(
        new MultilabelPredictions(scores.toArray(new double[0][]), labels.toArray(new int[0][])),
        lines.toArray());
  }

  private static void checkWidth(JsonRecord r, int width, int expected, IntList lines) {
    if (expected >= 0 && width != expected) {
      throw r.error("field '" + SCORES + "' has " + width + " values but line " + lines.get(0)
          + " has " + expected + "; every line needs the same number of scores");
    }
  }

  private static Loaded readRanking(Path file) {
    Map<String, DoubleList[]> byQuery = new LinkedHashMap<>();
    Map<String, FirstSeen> firstSeen = new HashMap<>();
    forEachRecord(file, r -> {
      JsonRecord.Identifier id = r.identifier(QUERY_ID);
      FirstSeen first = firstSeen.putIfAbsent(id.text(), new FirstSeen(id, r.line()));
      if (first != null && first.id().number() != id.number()) {
        throw r.error("field '" + QUERY_ID + "' is " + id.describe() + " but line " + first.line() + " has "
            + first.id().describe() + "; ce does not take a number and a string for one query: write each"
            + " query's id the same way on all its lines");
      }
      double score = r.finiteNumber(SCORE);
      double grade = r.finiteNumber(LABEL);
      if (grade < 0) {
        throw r.error("field '" + LABEL + "' is " + grade + "; relevance grades must be >= 0");
      }
      DoubleList[] columns =
          byQuery.computeIfAbsent(id.text(), q -> new DoubleList[] {new DoubleList(), new DoubleList()});
      columns[0].add(score);
      columns[1].add(grade);
    });
    List<RankingPredictions.Query> queries = new ArrayList<>(byQuery.size());
    byQuery.forEach((id, columns) ->
        queries.add(new RankingPredictions.Query(id, columns[0].toArray(), columns[1].toArray())));
    return new Loaded(new RankingPredictions(queries), new int[0]);
  }

  /**
   * Hands on every record of a file, as {@link JsonLines} reads it (UTF-8, one object per line,
   * blank lines skipped); a file without one is an error.
   */
  private static void forEachRecord(Path file, Consumer<JsonRecord> handler) {
    String name = file.toString();
    long records =
        JsonLines.forEachObjectStreamed(file, EXPECTED, (line, object) -> handler.accept(new JsonRecord(name, line, object)));
    if (records == 0) {
      throw new InvalidInputException("file '" + name + "' is empty; it needs one JSON object per line");
    }
  }

  /** Where a query id was first seen, and how it was written. */
  private record FirstSeen(JsonRecord.Identifier id, long line) {}
}
