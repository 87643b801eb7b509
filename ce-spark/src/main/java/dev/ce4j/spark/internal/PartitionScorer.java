package dev.ce4j.spark.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.predict.PredictOptions;
import dev.ce4j.spark.score.ScoringOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: chunks of rows through the executor's cached model, each row returned with
 * its score appended. Serializable; one instance per job.
 */
public final class PartitionScorer implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
  private static final long serialVersionUID = 1L;

  private final ScoringOptions options;
  private final String fingerprint;
  private final int query;
  private final int document;
  private final int id;
  private final boolean scalar;

  /**
   * A scorer.
   *
   * @param options the options, never null
   * @param fingerprint the driver's model fingerprint, never null
   * @param query the query field index
   * @param document the document field index
   * @param id the id field index, or -1
   * @param scalar whether the score is one number (else an array)
   */
  public PartitionScorer(ScoringOptions options, String fingerprint, int query, int document, int id, boolean scalar) {
    this.options = options;
    this.fingerprint = fingerprint;
    this.query = query;
    this.document = document;
    this.id = id;
    this.scalar = scalar;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    CrossEncoder model = ExecutorModels.get(options.modelFolder(), fingerprint);
    PredictOptions predict = PredictOptions.defaults().withBatchSize(options.batchSize())
        .withActivation(options.activation());
    return new Iterator<>() {
      private final List<Row> chunk = new ArrayList<>();
      private double[][] scores;
      private int next;
      private long position;

      @Override
      public boolean hasNext() {
        if (next < chunk.size()) {
          return true;
        }
        fill();
        return !chunk.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = chunk.get(next);
        Object[] values = new Object[r.length() + 1];
        for (int i = 0; i < r.length(); i++) {
          values[i] = r.get(i);
        }
        double[] s = scores[next++];
        values[r.length()] = scalar ? (Object) s[0] : s;
        return RowFactory.create(values);
      }

      private void fill() {
        chunk.clear();
        next = 0;
        List<TextPair> pairs = new ArrayList<>();
        while (rows.hasNext() && chunk.size() < options.chunkSize()) {
          Row r = rows.next();
          pairs.add(TextPair.of(text(r, query, options.queryColumn(), partition, position),
              text(r, document, options.documentColumn(), partition, position)));
          chunk.add(r);
          position++;
        }
        if (!chunk.isEmpty()) {
          if (options.intraOpThreads() > 0) {
            PyTorch.setIntraOpThreads(options.intraOpThreads());
          }
          scores = model.predict(pairs, predict);
        }
      }
    };
  }

  private String text(Row r, int field, String column, int partition, long position) {
    Object v = r.get(field);
    if (v == null) {
      String row = id >= 0 ? "row with id '" + r.get(id) + "' (column '" + options.idColumn() + "')"
          : "row " + position + " of partition " + partition;
      throw new InvalidInputException("the " + column + " column is null in " + row + "; every pair needs a query"
          + " and a document (filter or fill nulls first)");
    }
    return (String) v;
  }
}
