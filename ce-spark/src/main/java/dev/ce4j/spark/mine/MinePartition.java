package dev.ce4j.spark.mine;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.spark.internal.ExecutorIndexes;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import dev.ce4j.train.mining.MinedQuery;
import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.MiningQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Mines one partition of queries with the executor's copy of the shipped index. Not API. */
final class MinePartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final String zipName;
  private final Broadcast<byte[]> zip;
  private final int id;
  private final int text;
  private final int positives;
  private final String idColumn;
  private final String positivesColumn;
  private final MiningJob.Wire options;
  private final long seed;

  MinePartition(String zipName, Broadcast<byte[]> zip, int id, int text, int positives, String idColumn, String positivesColumn,
      MiningJob.Wire options, long seed) {
    this.zipName = zipName;
    this.zip = zip;
    this.id = id;
    this.text = text;
    this.positives = positives;
    this.idColumn = idColumn;
    this.positivesColumn = positivesColumn;
    this.options = options;
    this.seed = seed;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    Bm25HardNegativeMiner miner = ExecutorIndexes.get(zipName, zip);
    MiningOptions o = options.options();
    DefaultSeedStrategy seeds = new DefaultSeedStrategy(seed);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        String qid = String.valueOf(r.get(id));
        if (r.isNullAt(text)) {
          throw new InvalidInputException("the query column is null in row with id '" + qid + "' (column '" + idColumn + "')");
        }
        MiningQuery q = new MiningQuery(qid, r.getString(text), positives(r.get(positives), qid, idColumn, positivesColumn));
        MinedQuery m = miner.mine(q, QueryStreams.of(qid), o, seeds);
        return RowFactory.create(m.id(), m.query(), m.positives().toArray(String[]::new), m.positiveScores(),
            m.negatives().toArray(String[]::new), m.negativeScores());
      }
    };
  }

  static List<String> positives(Object value, String qid, String idColumn, String column) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof scala.collection.Seq<?> seq) {
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        Object p = it.next();
        if (p == null) {
          throw new InvalidInputException("a positive is null in row with id '" + qid + "' (column '" + column + "')");
        }
        out.add((String) p);
      }
    } else if (value instanceof List<?> list) {
      for (Object p : list) {
        if (p == null) {
          throw new InvalidInputException("a positive is null in row with id '" + qid + "' (column '" + column + "')");
        }
        out.add((String) p);
      }
    }
    if (out.isEmpty()) {
      throw new InvalidInputException("the " + column + " column is null or empty in row with id '" + qid
          + "' (column '" + idColumn + "'); each query needs a positive");
    }
    return out;
  }
}
