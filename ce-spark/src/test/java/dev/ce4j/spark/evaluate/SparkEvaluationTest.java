package dev.ce4j.spark.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.spark.SparkSessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SparkEvaluationTest {
  private static final StructType SCHEMA = new StructType().add("query_id", DataTypes.StringType)
      .add("document", DataTypes.StringType).add("score", DataTypes.DoubleType).add("label", DataTypes.DoubleType);

  private static SparkSession spark;
  private static List<Row> rows;

  @BeforeAll
  static void start() {
    spark = SparkSessions.local();
    rows = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(5);
    for (int q = 0; q < 60; q++) {
      int docs = 1 + r.nextInt(8);
      for (int d = 0; d < docs; d++) {
        // scores on a coarse grid (ties), graded labels, some queries without a relevant document
        double score = Math.round(r.nextDouble() * 8) / 8.0;
        double label = q % 7 == 0 ? 0 : r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
        rows.add(RowFactory.create("q" + q, "text " + q + "/" + d, score, label));
      }
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> data() {
    return spark.createDataFrame(rows, SCHEMA).repartition(3);
  }

  /** The single-JVM input: queries in order of first appearance, documents in input order. */
  private static RankingPredictions ranking() {
    Map<String, List<double[]>> byQuery = new LinkedHashMap<>();
    for (Row row : rows) {
      byQuery.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(new double[] {row.getDouble(2), row.getDouble(3)});
    }
    List<RankingPredictions.Query> out = new ArrayList<>();
    byQuery.forEach((id, docs) -> out.add(new RankingPredictions.Query(id,
        docs.stream().mapToDouble(d -> d[0]).toArray(), docs.stream().mapToDouble(d -> d[1]).toArray())));
    return new RankingPredictions(out);
  }

  private static void assertSame(Evaluation got, Evaluation expected) {
    assertThat(got.keys()).containsExactlyElementsOf(expected.keys());
    for (String k : expected.keys()) {
      assertThat(got.get(k)).as(k).isCloseTo(expected.get(k), within(1e-12));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"skip", "zero"})
  void rerankingPerQueryOnExecutorsEqualsTheSingleJvmEvaluator(String withoutRelevant) {
    Parameters p = Parameters.of(Map.of("k", "5", "queries_without_relevant", withoutRelevant));
    Evaluator reranking = EvaluatorRegistry.load().get("reranking");
    Evaluation expected = reranking.evaluate(ranking(), p);
    Evaluation got = SparkEvaluation.evaluate(data(), "reranking", p, EvaluationColumns.DEFAULTS);
    assertSame(got, expected);
    long withoutPositive = ranking().queries().stream()
        .filter(q -> java.util.Arrays.stream(q.labels()).allMatch(l -> l == 0)).count();
    assertThat(withoutPositive).isBetween(9L, 40L); // q0, q7, ..., q56 and the unlucky ones
    assertThat(got.get("queries_without_relevant")).isEqualTo(withoutPositive);
    assertThat(got.get("mrr@5")).isBetween(0.1, 0.99);
  }

  @Test
  void aPluginRankingEvaluatorGetsTheGroupedNumbers() {
    Evaluation expected = new TopLabelEvaluator().evaluate(ranking(), Parameters.empty());
    assertSame(SparkEvaluation.evaluate(data(), "top-label", Parameters.empty(), EvaluationColumns.DEFAULTS), expected);
  }

  @Test
  void theBinaryClassificationEvaluatorGetsScoresAndLabels() {
    List<Row> binary = new ArrayList<>();
    for (Row r : rows) {
      binary.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.getDouble(3) > 0 ? 1.0 : 0.0));
    }
    Dataset<Row> data = spark.createDataFrame(binary, SCHEMA).repartition(3);
    List<Row> inSparkOrder = data.collectAsList();
    Evaluation expected = EvaluatorRegistry.load().get("binary-classification").evaluate(new PointwisePredictions(
        inSparkOrder.stream().mapToDouble(r -> r.getDouble(2)).toArray(),
        inSparkOrder.stream().mapToDouble(r -> r.getDouble(3)).toArray()), Parameters.empty());
    assertSame(SparkEvaluation.evaluate(data, "binary-classification", Parameters.empty(), EvaluationColumns.DEFAULTS),
        expected);
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> SparkEvaluation.evaluate(data(), "no-such", Parameters.empty(), EvaluationColumns.DEFAULTS))
        .hasMessageContaining("no-such").hasMessageContaining("reranking");
    assertThatThrownBy(() -> SparkEvaluation.evaluate(data(), "reranking", Parameters.empty(),
            new EvaluationColumns("qid", "score", "label")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("query id column 'qid' is not in the dataset");
    List<Row> withNull = new ArrayList<>(rows.subList(0, 3));
    withNull.add(RowFactory.create("q-bad", "x", null, 1.0));
    assertThatThrownBy(() -> SparkEvaluation.evaluate(spark.createDataFrame(withNull, SCHEMA), "reranking",
            Parameters.empty(), EvaluationColumns.DEFAULTS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("the score column is null or not a number in a row of query 'q-bad'");
  }
}
