package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.modernbert.ModernBertConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ModernBERT through the command line: {@code ce architectures} lists it, {@code ce init --model-type
 * modernbert} from a config that names no model type, {@code ce predict} on what it wrote, and
 * {@code ce predict} on ce-core's ModernBERT reference folders printing the reference's scores.
 */
class ModernBertCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "modernbert")
          .toAbsolutePath().normalize();

  @TempDir Path dir;

  /** The pairs of a fixture's reference.json as {@code ce predict} input, one JSON array a line. */
  private Path pairsOf(JsonNode ref) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonNode p : ref.get("pairs")) {
      text.append(JSON.writeValueAsString(List.of(p.get("query").asText(), p.get("document").asText()))).append('\n');
    }
    return Files.writeString(dir.resolve("pairs.jsonl"), text.toString());
  }

  private static List<TextPair> textPairs(JsonNode ref) {
    List<TextPair> out = new ArrayList<>();
    for (JsonNode p : ref.get("pairs")) {
      out.add(TextPair.of(p.get("query").asText(), p.get("document").asText()));
    }
    return out;
  }

  @Test
  void architecturesListsModernBert() {
    CliRun run = ce("architectures");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines().filter(l -> l.startsWith("modernbert ")))
        .singleElement().asString()
        .contains("model_type modernbert", "ModernBertForSequenceClassification");
  }

  @Test
  void initWithTheModelTypeOnTheCommandLineWritesAFolderThatPredicts() throws IOException {
    Path fixture = FIXTURES.resolve("bpe-cls-gelu-1label-len32");
    ObjectNode config = (ObjectNode) JSON.readTree(fixture.resolve("config.json").toFile());
    config.remove("model_type");
    config.remove("architectures");
    Path configFile = Files.writeString(dir.resolve("config.json"), config.toString());
    Path out = dir.resolve("model");
    CliRun init = ce("init", "--model-type", "modernbert", "--config", configFile.toString(),
        "--tokenizer", fixture.resolve("tokenizer.json").toString(), "--output", out.toString(), "--device", "cpu");
    assertThat(init.status()).as(init.err()).isEqualTo(ExitCodes.OK);
    assertThat(init.err().lines().toList()).last().asString().startsWith("ce init: wrote " + out
        + ": modernbert, 3 layers, hidden 32, 4 heads, intermediate 48, global attention every 3 layers, window 8,"
        + " cls pooling").endsWith("seed 42");
    // the folder holds transformers' initialisation drawn from seed 42, and names its type and tokenizer
    ModernBertConfig written = (ModernBertConfig) ConfigJson.read(configFile, "modernbert");
    assertThat(ModelFingerprint.ofFolder(out)).isEqualTo(ModelFingerprint.of(WeightInit.initialWeights(written, 42)));
    assertThat(JSON.readTree(out.resolve("config.json").toFile()).get("model_type").asText()).isEqualTo("modernbert");
    assertThat(JSON.readTree(out.resolve("tokenizer_config.json").toFile()).get("tokenizer_class").asText())
        .isEqualTo("PreTrainedTokenizerFast");

    JsonNode ref = JSON.readTree(fixture.resolve("reference.json").toFile());
    Path pairs = pairsOf(ref);
    CliRun predict = ce("predict", "--model", out.toString(), "--input", pairs.toString(), "--raw");
    assertThat(predict.status()).as(predict.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = predict.out().lines().toList();
    assertThat(lines).hasSize(ref.get("pairs").size());
    double[][] direct;
    try (CrossEncoder model = CrossEncoder.load(out)) {
      direct = model.predict(textPairs(ref), CrossEncoder.DEFAULT_BATCH_SIZE, false);
    }
    for (int i = 0; i < lines.size(); i++) {
      assertThat(Double.parseDouble(lines.get(i))).as("pair %d", i).isEqualTo(direct[i][0]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bpe-cls-gelu-1label-len32", "bpe-mean-biases-3label-len48"})
  void predictOnAReferenceFolderPrintsTheReferenceScores(String name) throws IOException {
    Path fixture = FIXTURES.resolve(name);
    JsonNode ref = JSON.readTree(fixture.resolve("reference.json").toFile());
    CliRun run = ce("predict", "--model", fixture.toString(), "--input", pairsOf(ref).toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(ref.get("pairs").size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode logits = ref.get("pairs").get(i).get("logits");
      if (logits.size() == 1) {
        // one label: sentence-transformers' default activation, the sigmoid
        double want = 1 / (1 + Math.exp(-logits.get(0).doubleValue()));
        assertThat(Double.parseDouble(lines.get(i))).as("pair %d", i).isCloseTo(want, within(1e-5));
      } else {
        // several labels: the logits themselves (identity)
        JsonNode row = JSON.readTree(lines.get(i));
        assertThat(row.size()).isEqualTo(logits.size());
        for (int j = 0; j < logits.size(); j++) {
          assertThat(row.get(j).doubleValue()).as("pair %d label %d", i, j)
              .isCloseTo(logits.get(j).doubleValue(), within(1e-5));
        }
      }
    }
  }
}
