package dev.ce4j.spark.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.spark.SparkSessions;
import dev.ce4j.spark.TinyModels;
import dev.ce4j.spark.internal.ExecutorModels;
import dev.ce4j.spark.SparkActions;
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

class SparkScoringTest {
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType).add("query", DataTypes.StringType).add("document", DataTypes.StringType);

  @TempDir static Path dir;
  private static SparkSession spark;
  private static Path oneLabel;
  private static Path threeLabels;
  private static List<Row> rows;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local();
    oneLabel = TinyModels.folder(dir.resolve("one"), 1, 11);
    threeLabels = TinyModels.folder(dir.resolve("three"), 3, 12);
    rows = new ArrayList<>();
    String[] words = {"river", "bank", "money", "loan", "fish", "water", "interest", "rate", "boat", "shore"};
    for (int i = 0; i < 45; i++) {
      StringBuilder doc = new StringBuilder();
      for (int w = 0; w < 1 + (i * 7) % 23; w++) {
        doc.append(words[(i + w * 3) % words.length]).append(' ');
      }
      rows.add(RowFactory.create("r" + i, "what is a " + words[i % words.length] + "?", doc.toString().trim()));
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> data(int partitions) {
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  private static List<TextPair> pairs(List<Row> in) {
    return in.stream().map(r -> TextPair.of(r.getString(1), r.getString(2))).toList();
  }

  @Test
  void scoresEqualSingleJvmPredictAndRepeatBitForBit() {
    ScoringOptions options = ScoringOptions.of(oneLabel.toString()).withBatchSize(4).withChunkSize(16)
        .withIntraOpThreads(1).withIdColumn("id");
    int loadsBefore = ExecutorModels.loads();
    List<Row> first = SparkScoring.score(data(3), options).collectAsList();
    List<Row> second = SparkScoring.score(data(3), options).collectAsList();
    assertThat(ExecutorModels.loads() - loadsBefore).as("one load per JVM, not per task").isEqualTo(1);

    double[] expected;
    try (CrossEncoder model = CrossEncoder.load(oneLabel)) {
      expected = model.predictScores(pairs(first));
    }
    assertThat(first).hasSize(rows.size());
    assertThat(first.stream().map(r -> r.getString(0)).distinct()).hasSize(rows.size());
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i).getDouble(3)).isCloseTo(expected[i], within(1e-6));
      assertThat(Double.doubleToRawLongBits(second.get(i).getDouble(3)))
          .isEqualTo(Double.doubleToRawLongBits(first.get(i).getDouble(3)));
    }
    // the scores are not all alike (else equality would prove little)
    assertThat(first.stream().mapToDouble(r -> r.getDouble(3)).distinct().count()).isGreaterThan(20);
  }

  @Test
  void multiOutputModelsGiveAnArrayColumn() {
    Dataset<Row> scored = SparkScoring.score(data(2), ScoringOptions.of(threeLabels.toString()).withScoreColumn("logits"));
    assertThat(scored.schema().apply("logits").dataType())
        .isEqualTo(DataTypes.createArrayType(DataTypes.DoubleType, false));
    List<Row> out = scored.collectAsList();
    double[][] expected;
    try (CrossEncoder model = CrossEncoder.load(threeLabels)) {
      expected = model.predict(pairs(out));
    }
    for (int i = 0; i < out.size(); i++) {
      List<Double> got = out.get(i).getList(3);
      assertThat(got).hasSize(3);
      for (int k = 0; k < 3; k++) {
        assertThat(got.get(k)).isCloseTo(expected[i][k], within(1e-6));
      }
    }
  }

  @Test
  void aMissingColumnIsNamedOnTheDriver() {
    assertThatThrownBy(() -> SparkScoring.score(data(1), ScoringOptions.of(oneLabel.toString()).withColumns("question", "document")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("query column 'question' is not in the dataset")
        .hasMessageContaining("[id, query, document]");
  }

  @Test
  void aNullTextIsNamedWithItsRowId() {
    List<Row> withNull = new ArrayList<>(rows.subList(0, 5));
    withNull.add(RowFactory.create("bad-7", "a query", null));
    Dataset<Row> data = spark.createDataFrame(withNull, SCHEMA).repartition(2);
    assertThatThrownBy(() -> SparkActions.run(
            () -> SparkScoring.score(data, ScoringOptions.of(oneLabel.toString()).withIdColumn("id")).collectAsList()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("the document column is null in row with id 'bad-7' (column 'id')");
  }

  @Test
  void anExecutorWithAnotherModelIsNamed() {
    String otherFingerprint = "0".repeat(64);
    assertThatThrownBy(() -> SparkActions.run(
            () -> SparkScoring.score(data(2), ScoringOptions.of(oneLabel.toString()), otherFingerprint).count()))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("the model folder " + oneLabel + " on executor driver")
        .hasMessageContaining("the driver's has " + otherFingerprint);
  }

  @Test
  void aModelFolderUnreadableOnTheExecutorIsNamed() throws Exception {
    Path copy = TinyModels.folder(dir.resolve("vanishing"), 1, 11);
    Dataset<Row> lazy = SparkScoring.score(data(2), ScoringOptions.of(copy.toString()));
    // the driver has checked the folder and taken its fingerprint; now the executors cannot read it
    java.nio.file.Files.delete(copy.resolve("model.safetensors"));
    assertThatThrownBy(() -> SparkActions.run(lazy::count))
        .isInstanceOf(CeException.class)
        .hasMessageStartingWith("cannot read the model folder " + copy + " on executor driver")
        .hasMessageContaining("model.safetensors");
  }
}
