package dev.ce4j.spark.distil;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.spark.internal.Columns;
import dev.ce4j.spark.internal.SparkErrors;
import dev.ce4j.spark.internal.TrainingLines;
import dev.ce4j.spark.mine.SparkMining;
import dev.ce4j.spark.score.ScoringOptions;
import dev.ce4j.spark.score.SparkScoring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Turns mined queries ({@link SparkMining#RESULT}) into distillation training data: every
 * (query, positive, negatives) list is scored by a teacher model on the executors and written as
 * one listwise record, {@code {"id":..,"query":..,"documents":[positive, negative, ...],
 * "labels":[teacher scores]}}: the teacher's scores as labels are what {@code margin_mse} (column 0
 * the positive, margins {@code y[0] - y[k]}) and the listwise losses ({@code listnet}, {@code
 * lambda}, ...) train on. A query with several positives gives one record per positive, with id
 * {@code <query id>#<i>}; with one positive the id is the query id.
 *
 * <p>Records are sorted by id and written to one file through the driver, one partition at a time;
 * two runs with the same input, partitioning and teacher give the same bytes. Stateless.
 */
public final class SparkDistillation {
  private static final StructType PAIRS = new StructType()
      .add("record_id", DataTypes.StringType, false)
      .add("position", DataTypes.IntegerType, false)
      .add("query", DataTypes.StringType, false)
      .add("document", DataTypes.StringType, false);

  private SparkDistillation() {}

  /**
   * Scores the mined candidates with the teacher and writes the training file.
   *
   * @param mined mined queries in {@link SparkMining#RESULT}'s layout, never null
   * @param teacher the teacher's folder, batching and activation (its column names are not used),
   *     never null
   * @param file the listwise JSON Lines file to write (replaced), never null
   * @return how many records were written
   * @throws InvalidInputException if the mined dataset lacks a column or the teacher has more than
   *     one output
   */
  public static long distil(Dataset<Row> mined, ScoringOptions teacher, Path file) {
    Objects.requireNonNull(mined, "mined");
    Objects.requireNonNull(teacher, "teacher");
    Objects.requireNonNull(file, "file");
    for (String c : SparkMining.RESULT.fieldNames()) {
      Columns.require(mined.schema(), c, "mined");
    }
    int labels = ModelFolder.readConfig(Path.of(teacher.modelFolder())).numLabels();
    if (labels != 1) {
      throw new InvalidInputException("the teacher " + teacher.modelFolder() + " has " + labels
          + " outputs; distillation labels need a one-output (relevance) model");
    }
    JavaRDD<Row> pairs = mined.select("query_id", "query", "positives", "negatives").javaRDD().flatMap(r -> {
      String qid = r.getString(0);
      List<String> positives = r.getList(2);
      List<String> negatives = r.getList(3);
      List<Row> out = new ArrayList<>();
      for (int p = 0; p < positives.size(); p++) {
        String id = positives.size() == 1 ? qid : qid + "#" + p;
        out.add(RowFactory.create(id, 0, r.getString(1), positives.get(p)));
        for (int n = 0; n < negatives.size(); n++) {
          out.add(RowFactory.create(id, n + 1, r.getString(1), negatives.get(n)));
        }
      }
      return out.iterator();
    });
    Dataset<Row> scored = SparkScoring.score(SparkSession.active().createDataFrame(pairs, PAIRS),
        teacher.withColumns("query", "document").withIdColumn("record_id").withScoreColumn("teacher_score"));
    JavaPairRDD<String, String> lines = scored.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(0), r))
        .groupByKey()
        .mapToPair(g -> {
          List<Row> docs = new ArrayList<>();
          g._2().forEach(docs::add);
          docs.sort((a, b) -> Integer.compare(a.getInt(1), b.getInt(1)));
          List<String> texts = new ArrayList<>(docs.size());
          double[] scores = new double[docs.size()];
          for (int i = 0; i < scores.length; i++) {
            texts.add(docs.get(i).getString(3));
            scores[i] = docs.get(i).getDouble(4);
          }
          return new Tuple2<>(g._1(), TrainingLines.listwise(g._1(), docs.get(0).getString(2), texts, scores));
        })
        .sortByKey();
    return SparkErrors.run(() -> TrainingLines.write(file, lines.values().toLocalIterator()));
  }
}
