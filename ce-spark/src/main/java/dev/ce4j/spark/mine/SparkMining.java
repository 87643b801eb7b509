package dev.ce4j.spark.mine;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.spark.internal.Columns;
import dev.ce4j.spark.internal.SparkErrors;
import dev.ce4j.spark.internal.Zips;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Mines BM25 hard negatives for a dataset of queries against a corpus, with {@link
 * Bm25HardNegativeMiner}'s selection.
 *
 * <p>The job has two steps. First the driver reads the corpus texts (the queries' positives, by query
 * id, then the corpus documents, by document id: the order of the single-JVM {@link
 * Bm25HardNegativeMiner#mine(List, List, dev.ce4j.train.mining.MiningOptions,
 * dev.ce4j.api.seed.SeedStrategy)} given queries and corpus sorted by id), builds the Lucene index
 * once, zips it and ships it to the executors as a broadcast variable (so the zipped index must stay
 * under 2 GB). Then the queries are mined in their
 * partitions; each executor JVM unzips and opens the index once. A query's random stream is {@link
 * QueryStreams#of(String)} of its id, so for a seed the output is the same whatever the number of
 * partitions, and equals the single-JVM miner called with those streams.
 *
 * <p>The result has one row per query: {@code query_id} (string), {@code query}, {@code positives}
 * ({@code array<string>}), {@code positive_scores} and {@code negative_scores} ({@code
 * array<float>}), {@code negatives} ({@code array<string>}, best BM25 score first). Stateless.
 */
public final class SparkMining {
  /** The result's columns. */
  public static final StructType RESULT = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("query", DataTypes.StringType, false)
      .add("positives", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("positive_scores", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("negatives", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("negative_scores", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  private SparkMining() {}

  /**
   * Builds and ships the index, and mines (lazily: the mining runs when the result is used).
   *
   * @param queries the queries, never null
   * @param corpus the corpus, never null
   * @param job columns, selection and seed, never null
   * @param work a driver-local folder for the index before it is shipped, never null
   * @return the mined queries, never null
   * @throws InvalidInputException naming the column or row if a column is missing, a query id is
   *     repeated, or a text is null
   */
  public static Dataset<Row> mine(Dataset<Row> queries, Dataset<Row> corpus, MiningJob job, Path work) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(work, "work");
    StructType qs = queries.schema();
    int id = Columns.require(qs, job.queryId(), "query id");
    int text = Columns.require(qs, job.query(), "query", DataTypes.StringType);
    int pos = Columns.require(qs, job.positives(), "positives", DataTypes.StringType,
        DataTypes.createArrayType(DataTypes.StringType, true), DataTypes.createArrayType(DataTypes.StringType, false));
    StructType cs = corpus.schema();
    Columns.require(cs, job.corpusId(), "corpus id");
    Columns.require(cs, job.corpusText(), "corpus text", DataTypes.StringType);

    Path zip = buildIndex(queries, corpus, job, work);
    Broadcast<byte[]> bytes;
    try {
      bytes = new JavaSparkContext(SparkSession.active().sparkContext()).broadcast(Files.readAllBytes(zip));
    } catch (IOException e) {
      throw new CeException("cannot read the BM25 index " + zip + ": " + e.getMessage(), e);
    }
    JavaRDD<Row> mined = queries.javaRDD().mapPartitions(
        new MinePartition(zip.getFileName().toString(), bytes, id, text, pos, job.queryId(), job.positives(), MiningJob.Wire.of(job.options()), job.seed()), true);
    return SparkSession.active().createDataFrame(mined, RESULT);
  }

  private static Path buildIndex(Dataset<Row> queries, Dataset<Row> corpus, MiningJob job, Path work) {
    List<String> docs = new ArrayList<>();
    List<Row> qrows = SparkErrors.run(() -> queries.selectExpr("CAST(`" + job.queryId() + "` AS STRING) AS id",
        "`" + job.positives() + "` AS p").orderBy("id").collectAsList());
    String previous = null;
    for (Row r : qrows) {
      String qid = r.getString(0);
      if (qid == null) {
        throw new InvalidInputException("a query has a null id (column '" + job.queryId() + "')");
      }
      if (qid.equals(previous)) {
        throw new InvalidInputException("query id '" + qid + "' appears twice (column '" + job.queryId() + "')");
      }
      previous = qid;
      for (String p : MinePartition.positives(r.get(1), qid, job.queryId(), job.positives())) {
        docs.add(p);
      }
    }
    for (Row r : SparkErrors.run(() -> corpus.selectExpr("CAST(`" + job.corpusId() + "` AS STRING) AS id",
        "`" + job.corpusText() + "` AS t").orderBy("id").collectAsList())) {
      if (r.isNullAt(1)) {
        throw new InvalidInputException("the " + job.corpusText() + " column is null in corpus row with id '"
            + r.getString(0) + "' (column '" + job.corpusId() + "')");
      }
      docs.add(r.getString(1));
    }
    try {
      Files.createDirectories(work);
      Path folder = Files.createTempDirectory(work, "bm25-");
      try (Bm25HardNegativeMiner miner = new Bm25HardNegativeMiner(docs)) {
        miner.save(folder);
      }
      Path tmp = work.resolve(folder.getFileName() + ".zip");
      Zips.zip(folder, tmp);
      Path zip = work.resolve("ce-bm25-" + sha256(tmp).substring(0, 16) + ".zip");
      Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return zip;
    } catch (IOException e) {
      throw new CeException("cannot write the BM25 index under " + work + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isStringArray(DataType t) {
    return t instanceof ArrayType a && a.elementType().equals(DataTypes.StringType);
  }
}
