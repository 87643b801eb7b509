package dev.ce4j.spark.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.spark.SparkSessions;
import dev.ce4j.train.data.ListwiseDataset;
import dev.ce4j.train.data.PairDataset;
import java.nio.file.Files;
import java.nio.file.Path;
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

class HfDatasetsTest {
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

  /** Writes rows as Parquet, as a Hugging Face dataset is stored, and reads them back. */
  private static Dataset<Row> parquet(String name, StructType schema, List<Row> rows) {
    String path = dir.resolve(name).toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    return spark.read().parquet(path);
  }

  @Test
  void queryDocumentLabelParquetBecomesPairsJsonl() throws Exception {
    StructType schema = new StructType().add("query", DataTypes.StringType).add("document", DataTypes.StringType)
        .add("label", DataTypes.LongType).add("extra", DataTypes.IntegerType);
    Dataset<Row> data = parquet("qdl", schema, List.of(
        RowFactory.create("what is a bank?", "a river's edge", 1L, 5),
        RowFactory.create("what is a bank?", "caf\u00e9 \"menu\"", 0L, 6)));
    assertThat(HfDatasets.detect(data.schema())).isEqualTo(HfDatasets.Layout.QUERY_DOCUMENT_LABEL);
    Path out = dir.resolve("qdl.jsonl");
    assertThat(HfDatasets.writeTrainingJsonl(data, out)).isEqualTo(2);
    assertThat(Files.readString(out)).isEqualTo(
        "{\"pair\":[\"what is a bank?\",\"a river's edge\"],\"label\":1}\n"
            + "{\"pair\":[\"what is a bank?\",\"caf\u00e9 \\\"menu\\\"\"],\"label\":0}\n");
    assertThat(PairDataset.read(out).size()).isEqualTo(2);
  }

  @Test
  void sentencePairsWithFractionalLabelsReadAsCeReadsThem() throws Exception {
    StructType schema = new StructType().add("sentence1", DataTypes.StringType).add("sentence2", DataTypes.StringType)
        .add("label", DataTypes.DoubleType);
    Dataset<Row> data = parquet("stsb", schema, List.of(
        RowFactory.create("a man plays", "a person plays", 0.84), RowFactory.create("cats", "stocks", 0.0)));
    Path out = dir.resolve("stsb.jsonl");
    HfDatasets.writeTrainingJsonl(data, out);
    assertThat(Files.readAllLines(out)).containsExactly(
        "{\"pair\":[\"a man plays\",\"a person plays\"],\"label\":0.84}",
        "{\"pair\":[\"cats\",\"stocks\"],\"label\":0}");
    assertThat(PairDataset.read(out).examples().get(0).score()).isEqualTo(0.84);
  }

  @Test
  void tripletsBecomeListwiseRecords() throws Exception {
    StructType schema = new StructType().add("query", DataTypes.StringType).add("positive", DataTypes.StringType)
        .add("negative", DataTypes.StringType);
    Dataset<Row> data = parquet("triplets", schema, List.of(RowFactory.create("q", "p", "n")));
    Path out = dir.resolve("triplets.jsonl");
    HfDatasets.writeTrainingJsonl(data, out);
    assertThat(Files.readString(out)).isEqualTo("{\"query\":\"q\",\"documents\":[\"p\",\"n\"],\"labels\":[1,0]}\n");
    assertThat(ListwiseDataset.read(out).examples().get(0).documents()).containsExactly("p", "n");
  }

  @Test
  void badInputIsNamed() {
    StructType schema = new StructType().add("query", DataTypes.StringType).add("document", DataTypes.StringType)
        .add("label", DataTypes.StringType);
    Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create("q", "d", "1"), RowFactory.create("q", "d2", "yes")), schema);
    assertThatThrownBy(() -> HfDatasets.writeTrainingJsonl(data, dir.resolve("bad.jsonl")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("the label column is null or not a number in row 1 of the dataset");
    StructType other = new StructType().add("question", DataTypes.StringType).add("answer", DataTypes.StringType);
    assertThatThrownBy(() -> HfDatasets.detect(other))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("[question, answer] fit no known layout");
  }
}
