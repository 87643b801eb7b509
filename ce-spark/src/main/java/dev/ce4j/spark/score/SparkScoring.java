package dev.ce4j.spark.score;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.spark.internal.Columns;
import dev.ce4j.spark.internal.PartitionScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores (query, document) rows with a cross-encoder on the executors: the input's columns plus a
 * score column, row for row, partition for partition.
 *
 * <p>Each executor JVM loads the model folder once (the first task that needs it) and first checks
 * that its fingerprint ({@link ModelFingerprint#ofFolder}) equals the one the driver computed: a
 * different model at the same path on one executor fails the job with a message naming that
 * executor. Within a partition, rows are taken in chunks of {@link ScoringOptions#chunkSize()}, and
 * each chunk is scored by {@link dev.ce4j.core.CrossEncoder#predict} (tokenized, sorted by length,
 * batched); scores equal single-JVM {@code predict} up to rounding (1e-6), and two runs with the
 * same partitioning and intra-op thread count give the same bits.
 *
 * <p>A null query or document fails the job with a message naming the column and the row (its id,
 * or its partition and position). The action runs when the result is used (Spark is lazy); errors
 * from executors are best read through {@link dev.ce4j.spark.SparkActions#run}, which the other
 * jobs of this module and the application use. Stateless.
 */
public final class SparkScoring {
  private SparkScoring() {}

  /**
   * Adds a score column.
   *
   * @param data the pairs, never null
   * @param options the model, columns and batching, never null
   * @return the scored rows (lazy), never null
   * @throws InvalidInputException if a column is missing or not a string, the score column exists,
   *     or the model folder cannot be read on the driver
   */
  public static Dataset<Row> score(Dataset<Row> data, ScoringOptions options) {
    Objects.requireNonNull(options, "options");
    Path folder = Path.of(options.modelFolder());
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("the model folder " + folder + " does not exist on the driver");
    }
    return score(data, options, ModelFingerprint.ofFolder(folder));
  }

  /**
   * Adds a score column, the executors checking their model against a given fingerprint (how the
   * driver's own fingerprint reaches them; public for tests of the check).
   *
   * @param data the pairs, never null
   * @param options the model, columns and batching, never null
   * @param fingerprint the fingerprint every executor's folder must have, never null
   * @return the scored rows (lazy), never null
   */
  public static Dataset<Row> score(Dataset<Row> data, ScoringOptions options, String fingerprint) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(fingerprint, "fingerprint");
    StructType schema = data.schema();
    int q = Columns.require(schema, options.queryColumn(), "query", DataTypes.StringType);
    int d = Columns.require(schema, options.documentColumn(), "document", DataTypes.StringType);
    int id = options.id().map(c -> Columns.require(schema, c, "id")).orElse(-1);
    if (Columns.has(schema, options.scoreColumn())) {
      throw new InvalidInputException("the score column '" + options.scoreColumn()
          + "' is already in the dataset; name another with withScoreColumn");
    }
    int labels = ModelFolder.readConfig(Path.of(options.modelFolder())).numLabels();
    DataType type = labels == 1 ? DataTypes.DoubleType : DataTypes.createArrayType(DataTypes.DoubleType, false);
    StructType out = schema.add(options.scoreColumn(), type, false);
    JavaRDD<Row> scored = data.javaRDD().mapPartitionsWithIndex(
        new PartitionScorer(options, fingerprint, q, d, id, labels == 1), true);
    return SparkSession.active().createDataFrame(scored, out);
  }
}
