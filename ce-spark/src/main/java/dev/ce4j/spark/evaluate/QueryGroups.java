package dev.ce4j.spark.evaluate;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.RankingPredictions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/** Groups (query id, score, label) rows by query on the executors. Not API. */
final class QueryGroups {
  private QueryGroups() {}

  /**
   * One query's documents, sorted by score (descending), then label (descending), so that a query's
   * arrays do not depend on the order the shuffle delivered its rows in.
   *
   * @param id the query id
   * @param scores the scores
   * @param labels the labels
   */
  record Group(String id, double[] scores, double[] labels) implements Serializable {
    private static final long serialVersionUID = 1L;

    RankingPredictions.Query query() {
      return new RankingPredictions.Query(id, scores, labels);
    }
  }

  static JavaRDD<Group> of(Dataset<Row> numbers, EvaluationColumns c) {
    String idColumn = c.queryId();
    String scoreColumn = c.score();
    String labelColumn = c.label();
    return numbers.javaRDD()
        .mapToPair(r -> {
          if (r.isNullAt(0)) {
            throw new InvalidInputException("the " + idColumn + " column is null in a row; every row needs a query id");
          }
          String q = r.getString(0);
          if (r.isNullAt(1)) {
            throw new InvalidInputException("the " + scoreColumn + " column is null or not a number in a row of query '" + q + "'");
          }
          if (r.isNullAt(2)) {
            throw new InvalidInputException("the " + labelColumn + " column is null or not a number in a row of query '" + q + "'");
          }
          return new Tuple2<>(q, new double[] {r.getDouble(1), r.getDouble(2)});
        })
        .groupByKey()
        .map(g -> {
          List<double[]> docs = new ArrayList<>();
          g._2().forEach(docs::add);
          docs.sort((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(b[1], a[1]));
          double[] s = new double[docs.size()];
          double[] l = new double[docs.size()];
          for (int i = 0; i < s.length; i++) {
            s[i] = docs.get(i)[0];
            l[i] = docs.get(i)[1];
          }
          return new Group(g._1(), s, l);
        });
  }
}
