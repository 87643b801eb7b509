package dev.ce4j.spark.mine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.spark.SparkSessions;
import dev.ce4j.spark.internal.ExecutorIndexes;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import dev.ce4j.train.mining.MinedQuery;
import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.MiningQuery;
import dev.ce4j.train.mining.SamplingStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SparkMiningTest {
  /** The queries' columns. */
  public static final StructType QUERIES = new StructType().add("query_id", DataTypes.StringType)
      .add("query", DataTypes.StringType).add("positives", DataTypes.createArrayType(DataTypes.StringType));
  /** The corpus' columns. */
  public static final StructType CORPUS = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
  private static final String[] WORDS = {"river", "bank", "money", "loan", "fish", "water", "interest", "rate",
      "boat", "shore", "credit", "stream", "deposit", "current", "net", "harbour"};

  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Queries q00..q29: two words, one positive that shares a word with it. */
  public static List<Row> queries() {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String q = WORDS[i % WORDS.length] + " " + WORDS[(i * 5 + 3) % WORDS.length];
      String positive = "about " + WORDS[i % WORDS.length] + " number " + i;
      out.add(RowFactory.create(String.format("q%02d", i), q, new String[] {positive}));
    }
    return out;
  }

  /** Documents d000..d119 of two to five words. */
  public static List<Row> corpus() {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 2 + i % 4; w++) {
        b.append(WORDS[(i * 7 + w * 3) % WORDS.length]).append(' ');
      }
      out.add(RowFactory.create(String.format("d%03d", i), b.append("doc ").append(i).toString()));
    }
    return out;
  }

  private static List<MinedQuery> sparkMine(int partitions, MiningOptions options, long seed) {
    Dataset<Row> q = spark.createDataFrame(queries(), QUERIES).repartition(partitions);
    Dataset<Row> c = spark.createDataFrame(corpus(), CORPUS).repartition(2);
    List<Row> rows = SparkMining.mine(q, c, MiningJob.of(options, seed), dir.resolve("work")).collectAsList();
    List<MinedQuery> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new MinedQuery(r.getString(0), r.getString(1), r.getList(2), floats(r.getList(3)), r.getList(4),
          floats(r.getList(5))));
    }
    out.sort(Comparator.comparing(MinedQuery::id));
    return out;
  }

  private static float[] floats(List<Float> l) {
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  private static List<MiningQuery> miningQueries() {
    return queries().stream().map(r -> new MiningQuery(r.getString(0), r.getString(1), List.of((String[]) r.get(2))))
        .toList();
  }

  private static List<String> corpusTexts() {
    return corpus().stream().map(r -> r.getString(1)).toList();
  }

  @Test
  void topNegativesEqualTheSingleJvmMiner() {
    MiningOptions options = MiningOptions.DEFAULTS.withNumNegatives(4).withRange(0, 20);
    List<MinedQuery> expected = Bm25HardNegativeMiner.mine(miningQueries(), corpusTexts(), options,
        new DefaultSeedStrategy(7)).queries();
    assertThat(sparkMine(3, options, 7)).isEqualTo(expected);
  }

  @Test
  void sampledNegativesDoNotDependOnPartitioningAndEqualTheSingleJvmMinerWithIdStreams() {
    MiningOptions options = MiningOptions.DEFAULTS.withNumNegatives(3).withRange(0, 30).withStrategy(SamplingStrategy.RANDOM);
    int opensBefore = ExecutorIndexes.opens();
    List<MinedQuery> one = sparkMine(1, options, 99);
    List<MinedQuery> three = sparkMine(3, options, 99);
    assertThat(three).isEqualTo(one);
    assertThat(ExecutorIndexes.opens() - opensBefore).as("one index per job and JVM, not per task").isEqualTo(2);

    List<String> docs = new ArrayList<>();
    miningQueries().forEach(q -> docs.addAll(q.positives()));
    docs.addAll(corpusTexts());
    List<MinedQuery> expected = new ArrayList<>();
    try (Bm25HardNegativeMiner miner = new Bm25HardNegativeMiner(docs)) {
      for (MiningQuery q : miningQueries()) {
        expected.add(miner.mine(q, QueryStreams.of(q.id()), options, new DefaultSeedStrategy(99)));
      }
    }
    assertThat(one).isEqualTo(expected);
    // sampling, not the top: some query's negatives differ from its top-3
    List<MinedQuery> top = sparkMine(2, options.withStrategy(SamplingStrategy.TOP), 99);
    assertThat(one).isNotEqualTo(top);
    // another seed, other negatives
    assertThat(sparkMine(2, options, 100)).isNotEqualTo(one);
  }

  @Test
  void aQueryStreamIsTheFirstEightBytesOfTheSha256OfItsIdWithoutTheSignBit() {
    // echo -n q00 | sha256sum: 5a3b27aed24f4381...; q01: a2711eea93046438... (sign bit cleared: 0x22...)
    assertThat(QueryStreams.of("q00")).isEqualTo(0x5a3b27aed24f4381L);
    assertThat(QueryStreams.of("q01")).isEqualTo(0x22711eea93046438L);
  }

  @Test
  void badInputIsNamed() {
    Dataset<Row> c = spark.createDataFrame(corpus(), CORPUS);
    List<Row> dup = new ArrayList<>(queries().subList(0, 3));
    dup.add(queries().get(1));
    assertThatThrownBy(() -> SparkMining.mine(spark.createDataFrame(dup, QUERIES), c,
            MiningJob.of(MiningOptions.DEFAULTS, 1), dir.resolve("w2")))
        .isInstanceOf(InvalidInputException.class).hasMessage("query id 'q01' appears twice (column 'query_id')");
    assertThatThrownBy(() -> SparkMining.mine(spark.createDataFrame(queries(), QUERIES), c,
            MiningJob.of(MiningOptions.DEFAULTS, 1).withCorpusColumns("doc_id", "text"), dir.resolve("w3")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("corpus id column 'doc_id' is not in the dataset");
    List<Row> nullText = new ArrayList<>(corpus().subList(0, 4));
    nullText.add(RowFactory.create("d-null", null));
    assertThatThrownBy(() -> SparkMining.mine(spark.createDataFrame(queries(), QUERIES), spark.createDataFrame(nullText, CORPUS),
            MiningJob.of(MiningOptions.DEFAULTS, 1), dir.resolve("w4")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("the text column is null in corpus row with id 'd-null' (column 'id')");
  }
}
