package dev.ce4j.cli.evaluate;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorsCommandTest {

  @Test
  void listsEveryEvaluatorOfTheRegistryWithItsInputAndParameters() {
    CliRun run = ce("evaluators");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines()).containsAll(EvaluatorRegistry.load().ids());
    assertThat(run.out())
        .startsWith(EvaluatorRegistry.load().ids().get(0) + System.lineSeparator())
        .contains("test-pointwise", "test-multiclass", "test-multilabel", "test-ranking")
        .contains("Echoes pointwise input for tests.")
        .contains("input: pointwise", "{\"score\": 0.73, \"label\": 1}")
        .contains("input: ranking", "{\"query_id\": \"q7\", \"score\": 3.2, \"label\": 2}")
        .contains("scale  (default 1)   Multiplies every score; must be > 0.")
        .contains("note   (no default)  Ignored.")
        .contains("parameters: none");
  }

  @Test
  void listsTheDeclaredMetricsWithTheirKindAndDirection() {
    CliRun run = ce("evaluators");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    String reranking = run.out().substring(run.out().indexOf("reranking" + System.lineSeparator()));
    assertThat(reranking.lines())
        .contains("  metrics (with the default parameters):")
        .anySatisfy(l -> assertThat(l).matches("    mrr@10 +scalar +higher is better +mean reciprocal rank.*"))
        .anySatisfy(l -> assertThat(l).matches("    queries +count +- +queries averaged"));
    String multilabel = run.out().substring(run.out().indexOf("multilabel-classification" + System.lineSeparator()));
    assertThat(multilabel.lines())
        .anySatisfy(l -> assertThat(l).matches("    hamming_loss +scalar +lower is better .*"))
        .anySatisfy(l -> assertThat(l).matches("    support_per_label +count_per_label +- .*"));
    assertThat(run.out()).contains("  metrics: not declared (a number or a per-label array each; lower is better"
        + " for a key ending in 'loss', higher for the others)");
  }

  @Test
  void jsonListsTheSameEvaluators() throws IOException {
    CliRun run = ce("evaluators", "--json");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    JsonNode list = new ObjectMapper().readTree(run.out());
    List<String> ids = new ArrayList<>();
    JsonNode pointwise = null;
    for (JsonNode e : list) {
      ids.add(e.get("id").textValue());
      if (e.get("id").textValue().equals("test-pointwise")) {
        pointwise = e;
      }
    }
    assertThat(ids).isEqualTo(EvaluatorRegistry.load().ids());
    assertThat(pointwise).isNotNull();
    assertThat(pointwise.get("input_kind").textValue()).isEqualTo("pointwise");
    assertThat(pointwise.get("parameters").get(0).get("name").textValue()).isEqualTo("scale");
    assertThat(pointwise.get("parameters").get(0).get("default").textValue()).isEqualTo("1");
    assertThat(pointwise.get("parameters").get(1).get("default").isNull()).isTrue();
    assertThat(pointwise.get("metrics_declared").booleanValue()).isFalse();
    assertThat(pointwise.get("metrics")).isEmpty();

    JsonNode binary = null;
    for (JsonNode e : list) {
      if (e.get("id").textValue().equals("binary-classification")) {
        binary = e;
      }
    }
    assertThat(binary).isNotNull();
    assertThat(binary.get("metrics_declared").booleanValue()).isTrue();
    List<String> metrics = new ArrayList<>();
    for (JsonNode m : binary.get("metrics")) {
      metrics.add(m.get("key").textValue() + " " + m.get("kind").textValue() + " " + m.get("direction").textValue());
    }
    assertThat(metrics).containsExactly("fbeta scalar higher", "fbeta_threshold scalar none", "precision scalar higher",
        "recall scalar higher", "f1 scalar higher", "f1_threshold scalar none", "accuracy scalar higher",
        "accuracy_threshold scalar none", "average_precision scalar higher");
  }
}
