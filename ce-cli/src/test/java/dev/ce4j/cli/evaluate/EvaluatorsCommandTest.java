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
  }
}
