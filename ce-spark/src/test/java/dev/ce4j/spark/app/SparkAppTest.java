package dev.ce4j.spark.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.spark.SparkSessions;
import dev.ce4j.spark.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit application, run in the test's local[2] session (getOrCreate finds it). */
class SparkAppTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static Path model;
  private static Path input;
  private static List<Row> rows;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local();
    model = TinyModels.folder(dir.resolve("model"), 1, 41);
    rows = new ArrayList<>();
    for (int q = 0; q < 8; q++) {
      for (int d = 0; d < 4; d++) {
        rows.add(RowFactory.create("q" + q, "question " + q + " about rivers", "document " + d + " on banks and " + q,
            d == q % 4 ? 1L : 0L));
      }
    }
    StructType schema = new StructType().add("query_id", DataTypes.StringType).add("query", DataTypes.StringType)
        .add("document", DataTypes.StringType).add("label", DataTypes.LongType);
    input = dir.resolve("pairs.parquet");
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(input.toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = SparkApp.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void scoreWritesParquetWithTheModelsScores() {
    Path out = dir.resolve("scored.parquet");
    Result r = run("score", "--model", model.toString(), "--input", input.toString(), "--output", out.toString(),
        "--id-column", "query_id", "--threads", "1");
    assertThat(r.status()).as(r.err()).isZero();
    List<Row> scored = spark.read().parquet(out.toString()).collectAsList();
    assertThat(scored).hasSize(rows.size());
    try (CrossEncoder m = CrossEncoder.load(model)) {
      double[] expected = m.predictScores(scored.stream().map(x -> TextPair.of(x.getString(1), x.getString(2))).toList());
      for (int i = 0; i < expected.length; i++) {
        assertThat(scored.get(i).getDouble(4)).isCloseTo(expected[i], within(1e-6));
      }
    }
  }

  @Test
  void evaluateScoresAndPrintsTheRerankingMetrics() throws Exception {
    Result r = run("evaluate", "--input", input.toString(), "--model", model.toString(), "--evaluator", "reranking",
        "-p", "k=3");
    assertThat(r.status()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    Map<String, List<double[]>> byQuery = new LinkedHashMap<>();
    try (CrossEncoder m = CrossEncoder.load(model)) {
      double[] s = m.predictScores(rows.stream().map(x -> TextPair.of(x.getString(1), x.getString(2))).toList());
      for (int i = 0; i < s.length; i++) {
        byQuery.computeIfAbsent(rows.get(i).getString(0), k -> new ArrayList<>())
            .add(new double[] {s[i], rows.get(i).getLong(3)});
      }
    }
    List<RankingPredictions.Query> queries = new ArrayList<>();
    byQuery.forEach((id, docs) -> queries.add(new RankingPredictions.Query(id,
        docs.stream().mapToDouble(d -> d[0]).toArray(), docs.stream().mapToDouble(d -> d[1]).toArray())));
    Evaluation expected = EvaluatorRegistry.load().get("reranking")
        .evaluate(new RankingPredictions(queries), Parameters.parse(List.of("k=3")));
    assertThat(json.get("evaluator").asText()).isEqualTo("reranking");
    for (String k : expected.keys()) {
      // scores differ from the single-JVM ones by rounding only, far from any tie here
      assertThat(json.get("metrics").get(k).asDouble()).as(k).isCloseTo(expected.get(k), within(1e-9));
    }
  }

  @Test
  void anErrorIsOneLineWithoutASparkStack() {
    Result r = run("score", "--model", dir.resolve("missing").toString(), "--input", input.toString(),
        "--output", dir.resolve("x.parquet").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("ce-spark: error: the model folder " + dir.resolve("missing")
        + " does not exist on the driver" + System.lineSeparator());
    assertThat(run("score", "--input", "x").status()).isEqualTo(2);
  }
}
