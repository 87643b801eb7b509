package dev.ce4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import org.junit.jupiter.api.Test;

/** {@code ce architectures}: what is on the class path, as text and as JSON. */
class ArchitecturesCommandTest {
  @Test
  void listsBertWithItsModelTypeAndJar() {
    CliRun run = CliRun.ce("architectures");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines().filter(l -> l.startsWith("bert ")))
        .singleElement().asString()
        .contains("model_type bert", "BertForSequenceClassification")
        // the jar in a packaged build, the classes folder when the reactor runs tests before packaging
        .containsAnyOf("ce-core", "(classes)");
  }

  @Test
  void jsonListsEveryField() throws Exception {
    CliRun run = CliRun.ce("architectures", "--json");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    JsonNode all = new ObjectMapper().readTree(run.out());
    assertThat(all.isArray()).isTrue();
    JsonNode bert = null;
    for (JsonNode a : all) {
      if (a.get("id").asText().equals("bert")) {
        bert = a;
      }
    }
    assertThat(bert).isNotNull();
    assertThat(bert.get("model_types").get(0).asText()).isEqualTo("bert");
    assertThat(bert.get("class").asText()).isEqualTo("dev.ce4j.core.arch.bert.BertArchitecture");
    assertThat(bert.get("description").asText()).contains("BertForSequenceClassification");
  }
}
