package dev.ce4j.eval.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.api.eval.RankingPredictions.Query;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RerankingEvaluatorTest {
  private static final double TOLERANCE = 1e-9;
  private static final String GOLDEN = "/golden/ranking/reranking_cases.json";

  private final RerankingEvaluator evaluator = new RerankingEvaluator();

  private static Query query(String id, double[] scores, double[] labels) {
    return new Query(id, scores, labels);
  }

  private static RankingPredictions predictions(Query... queries) {
    return new RankingPredictions(List.of(queries));
  }

  private static Parameters k(int k) {
    return Parameters.of(Map.of("k", Integer.toString(k)));
  }

  // ------------------------------------------------------------------ hand-worked fixtures

  @Test
  void handWorkedQueryWithoutTies() {
    // rank:   1    2    3    4    5
    // score:  0.9  0.8  0.7  0.6  0.5
    // label:  0    2    0    1    0
    // MRR@10 = 1/2 (first relevant at rank 2); MRR@1 = 0.
    // DCG@10 = 2/log2(3) + 1/log2(5) = 1.2618595071 + 0.4306765581 = 1.6925360652
    // IDCG@10 = 2/log2(2) + 1/log2(3) = 2 + 0.6309297536 = 2.6309297536
    // NDCG@10 = 1.6925360652 / 2.6309297536 = 0.6433224083
    // DCG@3 = 2/log2(3) = 1.2618595071, IDCG@3 = IDCG@10, NDCG@3 = 0.4796249331
    // AP: relevant at ranks 2 and 4, precisions 1/2 and 2/4: (1/2 + 1/2) / 2 = 0.5
    RankingPredictions p = predictions(query("q",
        new double[] {0.9, 0.8, 0.7, 0.6, 0.5}, new double[] {0, 2, 0, 1, 0}));

    Evaluation at10 = evaluator.evaluate(p);
    assertThat(at10.get("mrr@10")).isCloseTo(0.5, within(1e-15));
    assertThat(at10.get("ndcg@10")).isCloseTo(0.6433224083306327, within(1e-12));
    assertThat(at10.get("map")).isCloseTo(0.5, within(1e-15));
    assertThat(at10.get("queries")).isEqualTo(1.0);
    assertThat(at10.get("queries_without_relevant")).isEqualTo(0.0);

    Evaluation at3 = evaluator.evaluate(p, k(3));
    assertThat(at3.get("mrr@3")).isCloseTo(0.5, within(1e-15));
    assertThat(at3.get("ndcg@3")).isCloseTo(0.4796249331362629, within(1e-12));

    Evaluation at1 = evaluator.evaluate(p, k(1));
    assertThat(at1.get("mrr@1")).isZero();
    assertThat(at1.get("ndcg@1")).isZero();
    assertThat(at1.get("map")).isCloseTo(0.5, within(1e-15)); // MAP is not cut at k
  }

  @Test
  void oneRelevantTiedWithOneIrrelevantAtTheTopAveragesBothRanks() {
    // Both documents share rank 1-2; the relevant one is at rank 1 or 2 with chance 1/2 each.
    // MRR@10 = (1/1 + 1/2) / 2 = 0.75; MRR@1 = (1/1 + 0) / 2 = 0.5
    // NDCG@1: the tie group's mean gain (1 + 0) / 2 = 0.5 times discount 1, over IDCG@1 = 1
    // AP: one threshold holding both documents: precision 1/2 at recall 1 -> 0.5
    RankingPredictions p = predictions(query("q",
        new double[] {0.7, 0.7, 0.1}, new double[] {0, 1, 0}));

    assertThat(evaluator.evaluate(p).get("mrr@10")).isCloseTo(0.75, within(1e-15));
    Evaluation at1 = evaluator.evaluate(p, k(1));
    assertThat(at1.get("mrr@1")).isCloseTo(0.5, within(1e-15));
    assertThat(at1.get("ndcg@1")).isCloseTo(0.5, within(1e-15));
    assertThat(at1.get("map")).isCloseTo(0.5, within(1e-15));
  }

  @Test
  void twoRelevantInATieGroupOfThreeUseTheExpectedFirstRank() {
    // All three tied, two relevant: the first relevant is at rank 1 with chance 2/3 and at
    // rank 2 with chance 1/3 (the irrelevant one first): 2/3 * 1 + 1/3 * 1/2 = 5/6.
    RankingPredictions p = predictions(query("q",
        new double[] {3, 3, 3}, new double[] {1, 0, 2}));

    assertThat(evaluator.evaluate(p).get("mrr@10")).isCloseTo(5.0 / 6.0, within(1e-15));
  }

  @Test
  void queriesWithoutRelevantDocumentsAreSkippedAndCounted() {
    // q1: relevant first -> MRR 1, NDCG 1, AP 1. q2: relevant second -> MRR 1/2, AP 1/2,
    // NDCG = (1/log2(3)) / 1 = 0.6309297536. q3 has no relevant document: skipped.
    RankingPredictions p = predictions(
        query("q1", new double[] {2, 1}, new double[] {1, 0}),
        query("q2", new double[] {2, 1}, new double[] {0, 3}),
        query("q3", new double[] {2, 1}, new double[] {0, 0}));

    Evaluation e = evaluator.evaluate(p);
    assertThat(e.get("mrr@10")).isCloseTo(0.75, within(1e-15));
    assertThat(e.get("ndcg@10")).isCloseTo((1 + 0.6309297535714575) / 2, within(1e-12));
    assertThat(e.get("map")).isCloseTo(0.75, within(1e-15));
    assertThat(e.get("queries")).isEqualTo(2.0);
    assertThat(e.get("queries_without_relevant")).isEqualTo(1.0);
  }

  @Test
  void noQueryWithARelevantDocumentGivesNaNMetrics() {
    RankingPredictions p = predictions(
        query("q1", new double[] {0.5}, new double[] {0}),
        query("q2", new double[] {0.5, 0.1}, new double[] {0, 0}));

    Evaluation e = evaluator.evaluate(p);
    assertThat(e.get("mrr@10")).isNaN();
    assertThat(e.get("ndcg@10")).isNaN();
    assertThat(e.get("map")).isNaN();
    assertThat(e.get("queries")).isZero();
    assertThat(e.get("queries_without_relevant")).isEqualTo(2.0);
  }

  @Test
  void zeroPolicyCountsQueriesWithoutRelevantDocumentsAsZero() {
    // The queries of queriesWithoutRelevantDocumentsAreSkippedAndCounted, as sentence-transformers
    // averages them: q3 counts with MRR, NDCG and AP 0, so each mean is over 3 queries.
    // MRR = (1 + 1/2 + 0) / 3 = 0.5; NDCG = (1 + 0.6309297536 + 0) / 3 = 0.5436432512; MAP = 0.5
    RankingPredictions p = predictions(
        query("q1", new double[] {2, 1}, new double[] {1, 0}),
        query("q2", new double[] {2, 1}, new double[] {0, 3}),
        query("q3", new double[] {2, 1}, new double[] {0, 0}));

    Evaluation e = evaluator.evaluate(p, Parameters.of(Map.of("queries_without_relevant", "zero")));
    assertThat(e.get("mrr@10")).isCloseTo(0.5, within(1e-15));
    assertThat(e.get("ndcg@10")).isCloseTo(0.5436432511904858, within(1e-12));
    assertThat(e.get("map")).isCloseTo(0.5, within(1e-15));
    assertThat(e.get("queries")).isEqualTo(3.0);
    assertThat(e.get("queries_without_relevant")).isEqualTo(1.0);

    Evaluation skip = evaluator.evaluate(p, Parameters.of(Map.of("queries_without_relevant", "skip")));
    assertThat(skip).isEqualTo(evaluator.evaluate(p));
  }

  @Test
  void zeroPolicyGivesZeroWhenNoQueryHasARelevantDocument() {
    RankingPredictions p = predictions(
        query("q1", new double[] {0.5}, new double[] {0}),
        query("q2", new double[] {0.5, 0.1}, new double[] {0, 0}));

    Evaluation e = evaluator.evaluate(p, Parameters.of(Map.of("queries_without_relevant", "zero", "k", "3")));
    assertThat(e.get("mrr@3")).isZero();
    assertThat(e.get("ndcg@3")).isZero();
    assertThat(e.get("map")).isZero();
    assertThat(e.get("queries")).isEqualTo(2.0);
    assertThat(e.get("queries_without_relevant")).isEqualTo(2.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ZERO", "drop", "0", ""})
  void rejectsAnUnknownPolicyNamingIt(String policy) {
    RankingPredictions p = predictions(query("q", new double[] {1}, new double[] {1}));

    assertThatThrownBy(() -> evaluator.evaluate(p, Parameters.of(Map.of("queries_without_relevant", policy))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'queries_without_relevant'")
        .hasMessageContaining("'" + policy + "'")
        .hasMessageContaining("'skip' or 'zero'");
  }

  @Test
  void declaresItsMetricsForTheCutoffGiven() {
    assertThat(evaluator.metrics(k(5)))
        .extracting(MetricSpec::key, MetricSpec::kind, MetricSpec::direction)
        .containsExactly(
            tuple("mrr@5", MetricSpec.Kind.SCALAR, MetricSpec.Direction.HIGHER_IS_BETTER),
            tuple("ndcg@5", MetricSpec.Kind.SCALAR, MetricSpec.Direction.HIGHER_IS_BETTER),
            tuple("map", MetricSpec.Kind.SCALAR, MetricSpec.Direction.HIGHER_IS_BETTER),
            tuple("queries", MetricSpec.Kind.COUNT, MetricSpec.Direction.NONE),
            tuple("queries_without_relevant", MetricSpec.Kind.COUNT, MetricSpec.Direction.NONE));
    assertThat(evaluator.metrics(Parameters.empty())).first().extracting(MetricSpec::key).isEqualTo("mrr@10");
    assertThatThrownBy(() -> evaluator.metrics(Parameters.of(Map.of("k", "0"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'k'");
  }

  @Test
  void keysAreStableAndInOrder() {
    RankingPredictions p = predictions(query("q", new double[] {1}, new double[] {1}));

    assertThat(evaluator.evaluate(p).keys())
        .containsExactly("mrr@10", "ndcg@10", "map", "queries", "queries_without_relevant");
    assertThat(evaluator.evaluate(p, k(5)).keys())
        .containsExactly("mrr@5", "ndcg@5", "map", "queries", "queries_without_relevant");
    assertThat(RerankingEvaluator.mrrKey(10)).isEqualTo("mrr@10");
    assertThat(RerankingEvaluator.ndcgKey(3)).isEqualTo("ndcg@3");
    assertThat(evaluator.id()).isEqualTo("reranking");
    assertThat(evaluator.inputKind()).isEqualTo(InputKind.RANKING);
    assertThat(evaluator.description()).isNotBlank();
    assertThat(evaluator.parameters()).extracting(ParameterSpec::name, spec -> spec.defaultValue().orElseThrow())
        .containsExactly(tuple("k", "10"), tuple("queries_without_relevant", "skip"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void keyMethodsRejectNonPositiveK(int k) {
    assertThatThrownBy(() -> RerankingEvaluator.mrrKey(k))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RerankingEvaluator.ndcgKey(k))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isFoundByTheRegistry() {
    assertThat(EvaluatorRegistry.load().get("reranking")).isInstanceOf(RerankingEvaluator.class);
  }

  // ------------------------------------------------------------------ validation

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "abc", "2.5", ""})
  void rejectsBadK(String k) {
    RankingPredictions p = predictions(query("q", new double[] {1}, new double[] {1}));

    assertThatThrownBy(() -> evaluator.evaluate(p, Parameters.of(Map.of("k", k))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("'" + k + "'");
  }

  @Test
  void rejectsUnknownParameter() {
    RankingPredictions p = predictions(query("q", new double[] {1}, new double[] {1}));

    assertThatThrownBy(() -> evaluator.evaluate(p, Parameters.of(Map.of("cutoff", "5"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'cutoff'")
        .hasMessageContaining("known: k, queries_without_relevant");
  }

  @Test
  void rejectsNoQueries() {
    assertThatThrownBy(() -> evaluator.evaluate(new RankingPredictions(List.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no queries");
  }

  @Test
  void rejectsOtherKindsNamingTheExpectedOne() {
    PointwisePredictions p = new PointwisePredictions(new double[] {1}, new double[] {1});

    assertThatThrownBy(() -> evaluator.evaluate(p))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("RANKING")
        .hasMessageContaining("POINTWISE");
  }

  // ------------------------------------------------------------------ properties

  @Test
  void doesNotModifyItsInput() {
    double[] scores = {0.3, 0.9, 0.3, -0.0, 0.0};
    double[] labels = {1, 0, 2, 0, 3};
    RankingPredictions p = predictions(query("q", scores, labels));

    Evaluation first = evaluator.evaluate(p, k(3));
    Evaluation second = evaluator.evaluate(p, k(3));

    assertThat(p).isEqualTo(predictions(query("q",
        new double[] {0.3, 0.9, 0.3, -0.0, 0.0}, new double[] {1, 0, 2, 0, 3})));
    assertThat(p.queries().get(0).scores()).containsExactly(0.3, 0.9, 0.3, -0.0, 0.0);
    assertThat(scores).containsExactly(0.3, 0.9, 0.3, -0.0, 0.0);
    assertThat(labels).containsExactly(1, 0, 2, 0, 3);
    assertThat(second).isEqualTo(first);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCaseNames")
  void doesNotDependOnDocumentOrder(String name) {
    JsonNode c = goldenCase(name);
    Random random = new Random(name.hashCode());
    List<Query> shuffled = new ArrayList<>();
    for (Query q : queriesOf(c)) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < q.scores().length; i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      double[] s = new double[order.size()];
      double[] l = new double[order.size()];
      for (int i = 0; i < order.size(); i++) {
        s[i] = q.scores()[order.get(i)];
        l[i] = q.labels()[order.get(i)];
      }
      shuffled.add(query(q.id(), s, l));
    }
    Collections.shuffle(shuffled, random);
    for (int k : new int[] {1, 3, 10}) {
      Evaluation original = evaluator.evaluate(new RankingPredictions(queriesOf(c)), k(k));
      Evaluation permuted = evaluator.evaluate(new RankingPredictions(shuffled), k(k));
      for (String key : original.keys()) {
        assertSame(key, permuted.get(key), original.get(key), 1e-12);
      }
    }
  }

  // ------------------------------------------------------------------ golden: scikit-learn

  @ParameterizedTest(name = "{0} k={1}")
  @MethodSource("goldenCasesAndKs")
  void matchesScikitLearn(String name, int k) {
    JsonNode c = goldenCase(name);
    List<String> keys = List.of(RerankingEvaluator.mrrKey(k), RerankingEvaluator.ndcgKey(k),
        RerankingEvaluator.MAP, RerankingEvaluator.QUERIES,
        RerankingEvaluator.QUERIES_WITHOUT_RELEVANT);

    Evaluation all = evaluator.evaluate(new RankingPredictions(queriesOf(c)), k(k));
    assertThat(all.keys()).containsExactlyElementsOf(keys);
    for (String key : keys) {
      assertSame(name + " " + key, all.get(key), expected(c.get("expected"), key), TOLERANCE);
    }

    // each query on its own, against its own reference values
    List<Query> queries = queriesOf(c);
    for (int i = 0; i < queries.size(); i++) {
      Evaluation one = evaluator.evaluate(new RankingPredictions(List.of(queries.get(i))), k(k));
      JsonNode expected = c.get("queries").get(i).get("expected");
      for (String key : keys) {
        assertSame(name + " query " + i + " " + key, one.get(key), expected(expected, key),
            TOLERANCE);
      }
    }
  }

  private static void assertSame(String what, double actual, double expected, double tolerance) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as(what).isNaN();
    } else {
      assertThat(actual).as(what).isCloseTo(expected, within(tolerance));
    }
  }

  private static double expected(JsonNode values, String key) {
    JsonNode v = values.get(key);
    assertThat(v).as("golden value " + key).isNotNull();
    return v.isNull() ? Double.NaN : v.asDouble();
  }

  private static List<Query> queriesOf(JsonNode c) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode q : c.get("queries")) {
      queries.add(query(q.get("id").asText(), doubles(q.get("scores")), doubles(q.get("labels"))));
    }
    return queries;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  static Stream<String> goldenCaseNames() {
    List<String> names = new ArrayList<>();
    Golden.ROOT.get("cases").forEach(c -> names.add(c.get("name").asText()));
    assertThat(names).hasSizeGreaterThan(50);
    return names.stream();
  }

  static Stream<Arguments> goldenCasesAndKs() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : Golden.ROOT.get("cases")) {
      for (JsonNode k : Golden.ROOT.get("ks")) {
        out.add(Arguments.of(c.get("name").asText(), k.asInt()));
      }
    }
    return out.stream();
  }

  private static JsonNode goldenCase(String name) {
    for (JsonNode c : Golden.ROOT.get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no golden case " + name);
  }

  /** The golden file, read once. */
  private static final class Golden {
    static final JsonNode ROOT = read();

    private static JsonNode read() {
      try (InputStream in = RerankingEvaluatorTest.class.getResourceAsStream(GOLDEN)) {
        assertThat(in).as(GOLDEN).isNotNull();
        return new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
