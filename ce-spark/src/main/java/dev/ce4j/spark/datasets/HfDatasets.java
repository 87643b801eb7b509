package dev.ce4j.spark.datasets;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.spark.internal.Columns;
import dev.ce4j.spark.internal.SparkErrors;
import dev.ce4j.spark.internal.TrainingLines;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the column layouts of Hugging Face datasets and writes {@code ce}'s training JSON Lines.
 *
 * <ul>
 *   <li>{@link Layout#QUERY_DOCUMENT_LABEL} ({@code query}, {@code document}, {@code label}) and
 *       {@link Layout#SENTENCE_PAIR_LABEL} ({@code sentence1}, {@code sentence2}, {@code label}):
 *       pairs records {@code {"pair":[q,d],"label":y}};
 *   <li>{@link Layout#QUERY_POSITIVE_NEGATIVE} ({@code query}, {@code positive}, {@code negative}):
 *       listwise records {@code {"query":q,"documents":[p,n],"labels":[1,0]}} (train with {@code
 *       "format": "listwise"}).
 * </ul>
 *
 * Rows are written in the dataset's order (partition by partition, through the driver, one
 * partition in memory at a time); other columns are ignored. Stateless.
 */
public final class HfDatasets {
  private HfDatasets() {}

  /** A dataset layout. */
  public enum Layout {
    /** {@code query}, {@code document}, {@code label}. */
    QUERY_DOCUMENT_LABEL("query", "document", "label"),
    /** {@code sentence1}, {@code sentence2}, {@code label}. */
    SENTENCE_PAIR_LABEL("sentence1", "sentence2", "label"),
    /** {@code query}, {@code positive}, {@code negative}. */
    QUERY_POSITIVE_NEGATIVE("query", "positive", "negative");

    private final List<String> columns;

    Layout(String... columns) {
      this.columns = List.of(columns);
    }

    /**
     * The layout's three columns.
     *
     * @return the column names, never null
     */
    public List<String> columns() {
      return columns;
    }
  }

  /**
   * The layout of a schema: the first whose three columns are all present.
   *
   * @param schema the schema, never null
   * @return the layout, never null
   * @throws InvalidInputException listing the layouts and the schema's columns if none fits
   */
  public static Layout detect(StructType schema) {
    for (Layout l : Layout.values()) {
      if (l.columns.stream().allMatch(c -> Columns.has(schema, c))) {
        return l;
      }
    }
    throw new InvalidInputException("the dataset's columns " + Arrays.toString(schema.fieldNames())
        + " fit no known layout: query/document/label, sentence1/sentence2/label or query/positive/negative");
  }

  /**
   * Writes a dataset as training JSON Lines.
   *
   * @param data the dataset, never null
   * @param file the file to write (replaced), never null
   * @return how many records were written
   * @throws InvalidInputException naming the column and the row number (0-based, in dataset order)
   *     if a value is null or a label is not a number
   */
  public static long writeTrainingJsonl(Dataset<Row> data, Path file) {
    Objects.requireNonNull(file, "file");
    Layout layout = detect(data.schema());
    List<String> c = layout.columns();
    boolean pairs = layout != Layout.QUERY_POSITIVE_NEGATIVE;
    Dataset<Row> selected = pairs
        ? data.select(functions.col(c.get(0)).cast("string"), functions.col(c.get(1)).cast("string"),
            functions.col(c.get(2)).try_cast("double"))
        : data.select(functions.col(c.get(0)).cast("string"), functions.col(c.get(1)).cast("string"),
            functions.col(c.get(2)).cast("string"));
    return SparkErrors.run(() -> {
      Iterator<Row> rows = selected.toLocalIterator();
      return TrainingLines.write(file, new Iterator<>() {
        private long row;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public String next() {
          Row r = rows.next();
          for (int i = 0; i < 3; i++) {
            if (r.isNullAt(i)) {
              throw new InvalidInputException("the " + c.get(i) + " column is null"
                  + (i == 2 && pairs ? " or not a number" : "") + " in row " + row + " of the dataset");
            }
          }
          row++;
          return pairs ? TrainingLines.pair(r.getString(0), r.getString(1), r.getDouble(2))
              : TrainingLines.listwise(null, r.getString(0), List.of(r.getString(1), r.getString(2)), new double[] {1, 0});
        }
      });
    });
  }
}
