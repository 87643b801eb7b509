package dev.ce4j.cli.evaluate;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end through the command line with the evaluators of ce-eval, on small files whose
 * metrics are worked out by hand in the comments.
 */
class RealEvaluatorsTest {
  private static final double EPS = 1e-12;
  private static final double INV_LOG2_3 = 1 / (Math.log(3) / Math.log(2));

  @TempDir Path dir;

  private JsonNode evaluate(String evaluator, String content, String... params) throws IOException {
    List<String> args = new ArrayList<>(List.of("evaluate", "--evaluator", evaluator,
        "--predictions", Files.writeString(dir.resolve("p.jsonl"), content).toString()));
    for (String p : params) {
      args.add("--param");
      args.add(p);
    }
    CliRun run = ce(args.toArray(String[]::new));
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().strip().lines()).hasSize(1);
    return new ObjectMapper().readTree(run.out());
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).doubleValue();
    }
    return values;
  }

  @Test
  void evaluatorsListsEveryBuiltInEvaluator() {
    CliRun run = ce("evaluators");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines()).contains("binary-classification", "multilabel-classification",
        "multiclass-classification", "reranking", "correlation");
    assertThat(run.out()).contains("beta", "zero_division", "threshold", "input: ranking");
  }

  // scores 0.9 0.7 0.6 0.3, labels 1 0 0 1. At threshold 0.5 the first three are predicted
  // positive: TP 1, FP 2, FN 1, TN 0. precision 1/3, recall 1/2, F1 = 2PR/(P+R) = 0.4,
  // F2 = 5PR/(4P+R) = (5/6)/(11/6) = 5/11, accuracy 1/4. Average precision over the ranking
  // 1 0 0 1: (1/2)*1 + (1/2)*(2/4) = 0.75.
  private static final String BINARY = """
      {"score": 0.9, "label": 1}
      {"score": 0.7, "label": 0}
      {"score": 0.6, "label": 0}
      {"score": 0.3, "label": 1}
      """;

  @Test
  void binaryClassificationAtAFixedThreshold() throws IOException {
    JsonNode out = evaluate("binary-classification", BINARY, "threshold=0.5", "beta=2");
    assertThat(keys(out)).containsExactly("fbeta", "fbeta_threshold", "precision", "recall", "f1",
        "f1_threshold", "accuracy", "accuracy_threshold", "average_precision");
    assertThat(out.get("precision").doubleValue()).isCloseTo(1.0 / 3, within(EPS));
    assertThat(out.get("recall").doubleValue()).isCloseTo(0.5, within(EPS));
    assertThat(out.get("f1").doubleValue()).isCloseTo(0.4, within(EPS));
    assertThat(out.get("fbeta").doubleValue()).isCloseTo(5.0 / 11, within(EPS));
    assertThat(out.get("accuracy").doubleValue()).isCloseTo(0.25, within(EPS));
    assertThat(out.get("average_precision").doubleValue()).isCloseTo(0.75, within(EPS));
    assertThat(out.get("fbeta_threshold").doubleValue()).isEqualTo(0.5);
  }

  // Best thresholds: F1 is 2/3 at 0.9 (P 1, R 1/2) and at 0.3 (P 1/2, R 1); the higher wins.
  // Accuracy is 3/4 at 0.9 (predicts 1 0 0 0), better than every other candidate.
  @Test
  void binaryClassificationSearchesTheBestThreshold() throws IOException {
    JsonNode out = evaluate("binary-classification", BINARY);
    assertThat(out.get("f1").doubleValue()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(out.get("f1_threshold").doubleValue()).isEqualTo(0.9);
    assertThat(out.get("accuracy").doubleValue()).isCloseTo(0.75, within(EPS));
    assertThat(out.get("accuracy_threshold").doubleValue()).isEqualTo(0.9);
  }

  // scores 1 2 3 10 vs labels 1 3 2 4: ranks agree except the middle pair, so Spearman =
  // Pearson of ranks = 4/5. Pearson of the values: deviations -3 -2 -1 6 and -1.5 0.5 -0.5 1.5,
  // sum of products 13, sums of squares 50 and 5: 13 / sqrt(250).
  @Test
  void correlation() throws IOException {
    JsonNode out = evaluate("correlation", """
        {"score": 1, "label": 1}
        {"score": 2, "label": 3}
        {"score": 3, "label": 2}
        {"score": 10, "label": 4}
        """);
    assertThat(keys(out)).containsExactly("pearson", "spearman");
    assertThat(out.get("pearson").doubleValue()).isCloseTo(13 / Math.sqrt(250), within(EPS));
    assertThat(out.get("spearman").doubleValue()).isCloseTo(0.8, within(EPS));
  }

  // arg-max predictions 1 0 1 2 for labels 1 0 2 2: accuracy 3/4. Per class (P, R, F1):
  // class 0 (1, 1, 1), class 1 (1/2, 1, 2/3), class 2 (1, 1/2, 2/3); support 1 1 2.
  // macro F1 = 7/9, weighted F1 = (1 + 2/3 + 2 * 2/3) / 4 = 3/4, micro F1 = accuracy.
  @Test
  void multiclassClassification() throws IOException {
    JsonNode out = evaluate("multiclass-classification", """
        {"scores": [0.1, 2.3, -1.0], "label": 1}
        {"scores": [3, 0, 0], "label": 0}
        {"scores": [0, 1, 0.5], "label": 2}
        {"scores": [0, 0, 2], "label": 2}
        """);
    assertThat(out.get("accuracy").doubleValue()).isCloseTo(0.75, within(EPS));
    assertThat(out.get("f1_micro").doubleValue()).isCloseTo(0.75, within(EPS));
    assertThat(out.get("f1_macro").doubleValue()).isCloseTo(7.0 / 9, within(EPS));
    assertThat(out.get("f1_weighted").doubleValue()).isCloseTo(0.75, within(EPS));
    assertThat(doubles(out.get("precision_per_label"))).containsExactly(new double[] {1, 0.5, 1}, within(EPS));
    assertThat(doubles(out.get("recall_per_label"))).containsExactly(new double[] {1, 1, 0.5}, within(EPS));
    assertThat(doubles(out.get("f1_per_label"))).containsExactly(new double[] {1, 2.0 / 3, 2.0 / 3}, within(EPS));
    assertThat(doubles(out.get("support_per_label"))).containsExactly(1, 1, 2);
  }

  // threshold 0.5: predictions 101, 010, 101 for labels 101, 011, 001. Per label (TP, FP, FN):
  // 0 (1, 1, 0), 1 (1, 0, 0), 2 (2, 0, 1); F1 2/3, 1, 4/5. Micro: TP 4, FP 1, FN 1, so 0.8.
  // Per sample F1: 1, 2/3, 2/3. Subset accuracy 1/3; 2 wrong indicators of 9.
  @Test
  void multilabelClassification() throws IOException {
    JsonNode out = evaluate("multilabel-classification", """
        {"scores": [0.9, 0.2, 0.6], "labels": [1, 0, 1]}
        {"scores": [0.1, 0.8, 0.3], "labels": [0, 1, 1]}
        {"scores": [0.7, 0.4, 0.9], "labels": [0, 0, 1]}
        """);
    assertThat(out.get("f1_micro").doubleValue()).isCloseTo(0.8, within(EPS));
    assertThat(out.get("precision_micro").doubleValue()).isCloseTo(0.8, within(EPS));
    assertThat(out.get("f1_macro").doubleValue()).isCloseTo((2.0 / 3 + 1 + 0.8) / 3, within(EPS));
    assertThat(out.get("f1_samples").doubleValue()).isCloseTo(7.0 / 9, within(EPS));
    assertThat(doubles(out.get("f1_per_label"))).containsExactly(new double[] {2.0 / 3, 1, 0.8}, within(EPS));
    assertThat(out.get("subset_accuracy").doubleValue()).isCloseTo(1.0 / 3, within(EPS));
    assertThat(out.get("hamming_loss").doubleValue()).isCloseTo(2.0 / 9, within(EPS));
  }

  // q1 ranks labels 1 0 2: RR 1, DCG 1 + 2/log2(4) = 2, IDCG 2 + 1/log2(3), AP (1 + 2/3)/2 = 5/6.
  // q2 ranks labels 0 2 (its lines are not adjacent): RR 1/2, NDCG (2/log2 3)/2, AP 1/2.
  // q3 has no relevant document and is left out of the means.
  private static final String RANKING = """
      {"query_id": "q1", "score": 3, "label": 1}
      {"query_id": "q2", "score": 0.5, "label": 2}
      {"query_id": "q1", "score": 2, "label": 0}
      {"query_id": "q3", "score": 1, "label": 0}
      {"query_id": "q2", "score": 0.9, "label": 0}
      {"query_id": "q1", "score": 1, "label": 2}
      """;

  @Test
  void reranking() throws IOException {
    JsonNode out = evaluate("reranking", RANKING);
    assertThat(out.get("mrr@10").doubleValue()).isCloseTo(0.75, within(EPS));
    assertThat(out.get("ndcg@10").doubleValue())
        .isCloseTo((2 / (2 + INV_LOG2_3) + INV_LOG2_3) / 2, within(EPS));
    assertThat(out.get("map").doubleValue()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(out.get("queries").doubleValue()).isEqualTo(2);
    assertThat(out.get("queries_without_relevant").doubleValue()).isEqualTo(1);
    // counts are declared as such and printed as integers
    assertThat(out.get("queries").isIntegralNumber()).isTrue();
    assertThat(out.toString()).endsWith(",\"queries\":2,\"queries_without_relevant\":1}");
    assertThat(out.get("map").isIntegralNumber()).isFalse();
  }

  // queries_without_relevant=zero: q3 counts with RR, NDCG and AP 0, so each sum above is over 3
  // queries: MRR (1 + 1/2) / 3 = 1/2, MAP (5/6 + 1/2) / 3 = 4/9.
  @Test
  void rerankingCountsQueriesWithoutRelevantAsZeroOnRequest() throws IOException {
    JsonNode out = evaluate("reranking", RANKING, "queries_without_relevant=zero");
    assertThat(out.get("mrr@10").doubleValue()).isCloseTo(0.5, within(EPS));
    assertThat(out.get("ndcg@10").doubleValue())
        .isCloseTo((2 / (2 + INV_LOG2_3) + INV_LOG2_3) / 3, within(EPS));
    assertThat(out.get("map").doubleValue()).isCloseTo(4.0 / 9, within(EPS));
    assertThat(out.get("queries").toString()).isEqualTo("3");
    assertThat(out.get("queries_without_relevant").toString()).isEqualTo("1");
  }

  // k=1: MRR@1 = (1 + 0)/2; NDCG@1: q1 1/2 (label 1 on top, best 2), q2 0.
  @Test
  void rerankingCutoff() throws IOException {
    JsonNode out = evaluate("reranking", RANKING, "k=1");
    assertThat(out.get("mrr@1").doubleValue()).isCloseTo(0.5, within(EPS));
    assertThat(out.get("ndcg@1").doubleValue()).isCloseTo(0.25, within(EPS));
    assertThat(out.has("mrr@10")).isFalse();
  }

  /** (evaluator, file, parameters, fragments of the one-line message). */
  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("binary-classification", BINARY, List.of("beta=0"), List.of("parameter 'beta'", "> 0")),
        Arguments.of("binary-classification", BINARY, List.of("beta=-1"), List.of("parameter 'beta'")),
        Arguments.of("binary-classification", BINARY, List.of("gamma=1"), List.of("unknown parameter 'gamma'")),
        Arguments.of("binary-classification", BINARY, List.of("threshold=abc"), List.of("parameter 'threshold'")),
        Arguments.of("binary-classification", BINARY + "{\"score\": 0.5, \"label\": 2}\n", List.of(),
            List.of("labels[4] is 2.0", "line 5")),
        Arguments.of("binary-classification", BINARY + "{\"score\": 1e999, \"label\": 1}\n", List.of(),
            List.of("line 5", "field 'score'", "finite")),
        Arguments.of("multiclass-classification", "{\"scores\": [1, 2], \"label\": 0}\n", List.of("beta=0"),
            List.of("parameter 'beta'")),
        Arguments.of("multilabel-classification", "{\"scores\": [1, 2], \"labels\": [0, 1]}\n",
            List.of("zero_division=2"), List.of("zero_division")),
        Arguments.of("reranking", RANKING, List.of("k=0"), List.of("parameter 'k'")),
        Arguments.of("correlation", "{\"score\": 1, \"label\": 1}\n", List.of(), List.of("correlation", "2")));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputExitsTwoWithOneMessage(String evaluator, String content, List<String> params,
      List<String> fragments) throws IOException {
    List<String> args = new ArrayList<>(List.of("evaluate", "--evaluator", evaluator,
        "--predictions", Files.writeString(dir.resolve("bad.jsonl"), content).toString()));
    for (String p : params) {
      args.add("--param");
      args.add(p);
    }
    CliRun run = ce(args.toArray(String[]::new));
    EvaluateCommandTest.assertBadInput(run);
    assertThat(run.err()).contains(fragments);
  }
}
