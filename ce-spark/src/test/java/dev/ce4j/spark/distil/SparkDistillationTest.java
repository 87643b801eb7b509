package dev.ce4j.spark.distil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.TextPair;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.spark.SparkSessions;
import dev.ce4j.spark.TinyModels;
import dev.ce4j.spark.mine.MiningJob;
import dev.ce4j.spark.mine.SparkMining;
import dev.ce4j.spark.score.ScoringOptions;
import dev.ce4j.train.data.ListwiseDataset;
import dev.ce4j.train.data.ListwiseExample;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import dev.ce4j.train.mining.MinedQuery;
import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.MiningQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

class SparkDistillationTest {
  private static final StructType QUERIES = new StructType().add("query_id", DataTypes.StringType)
      .add("query", DataTypes.StringType).add("positives", DataTypes.createArrayType(DataTypes.StringType));
  private static final StructType CORPUS = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
  private static final String[] WORDS = {"river", "bank", "money", "loan", "fish", "water", "rate", "boat"};

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

  private static List<Row> queries() {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String[] positives = i % 4 == 0
          ? new String[] {"on " + WORDS[i % 8] + " one " + i, "on " + WORDS[(i + 1) % 8] + " two " + i}
          : new String[] {"on " + WORDS[i % 8] + " " + i};
      out.add(RowFactory.create(String.format("q%02d", i), WORDS[i % 8] + " " + WORDS[(i + 3) % 8], positives));
    }
    return out;
  }

  private static List<Row> corpus() {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      out.add(RowFactory.create(String.format("d%02d", i), WORDS[i % 8] + " " + WORDS[(i * 3 + 1) % 8] + " text " + i));
    }
    return out;
  }

  private Path distil(Path teacher, String name) {
    Dataset<Row> mined = SparkMining.mine(spark.createDataFrame(queries(), QUERIES).repartition(3),
        spark.createDataFrame(corpus(), CORPUS), MiningJob.of(MiningOptions.DEFAULTS.withNumNegatives(3), 3), dir.resolve("work"));
    Path out = dir.resolve(name);
    SparkDistillation.distil(mined, ScoringOptions.of(teacher.toString()).withActivation(
        dev.ce4j.core.predict.PredictActivation.NONE), out);
    return out;
  }

  @Test
  void writesTheTeachersScoresOfMinedListsSortedAndByteIdenticalAcrossRuns() throws Exception {
    Path teacher = TinyModels.folder(dir.resolve("teacher"), 1, 21);
    Path first = distil(teacher, "a.jsonl");
    Path second = distil(teacher, "b.jsonl");
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));

    // the single-JVM path: mine, score each list with the teacher, one record per positive
    List<MiningQuery> qs = queries().stream()
        .map(r -> new MiningQuery(r.getString(0), r.getString(1), List.of((String[]) r.get(2)))).toList();
    List<MinedQuery> mined = Bm25HardNegativeMiner.mine(qs, corpus().stream().map(r -> r.getString(1)).toList(),
        MiningOptions.DEFAULTS.withNumNegatives(3), new DefaultSeedStrategy(3)).queries();
    List<ListwiseExample> expected = new ArrayList<>();
    try (CrossEncoder model = CrossEncoder.load(teacher)) {
      for (MinedQuery m : mined) {
        for (int p = 0; p < m.positives().size(); p++) {
          List<String> docs = new ArrayList<>();
          docs.add(m.positives().get(p));
          docs.addAll(m.negatives());
          double[] scores = model.predictScores(docs.stream().map(d -> TextPair.of(m.query(), d)).toList(),
              dev.ce4j.core.predict.PredictOptions.defaults().withActivation(dev.ce4j.core.predict.PredictActivation.NONE));
          String id = m.positives().size() == 1 ? m.id() : m.id() + "#" + p;
          expected.add(ListwiseExample.of(id, m.query(), docs, scores));
        }
      }
    }
    List<ListwiseExample> got = ListwiseDataset.read(first).examples();
    assertThat(got).hasSize(15); // 12 queries, three of them with two positives
    assertThat(got.stream().map(ListwiseExample::id).toList()).isSorted();
    expected.sort(java.util.Comparator.comparing(ListwiseExample::id));
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).id()).isEqualTo(expected.get(i).id());
      assertThat(got.get(i).query()).isEqualTo(expected.get(i).query());
      assertThat(got.get(i).documents()).isEqualTo(expected.get(i).documents());
      assertThat(got.get(i).documents()).hasSize(4);
      for (int k = 0; k < 4; k++) {
        assertThat(got.get(i).label(k)).isCloseTo(expected.get(i).label(k), within(1e-6));
      }
    }
  }
}
