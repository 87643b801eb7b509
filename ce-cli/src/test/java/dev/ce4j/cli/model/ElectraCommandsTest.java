package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.electra.ElectraConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
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
 * ELECTRA on the command line: {@code ce init --model-type electra} from a config without {@code
 * model_type} writes a folder {@code ce predict} scores, and {@code ce predict} on the reference
 * folders prints the reference's scores (the sigmoid of the logit for one label, the logits for
 * three).
 */
class ElectraCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "electra")
          .toAbsolutePath().normalize();

  @TempDir Path dir;

  /** The reference's pairs as {@code ce predict} input, one JSON array per line. */
  private Path pairsFile(JsonNode reference) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonNode p : reference.get("pairs")) {
      text.append(JSON.writeValueAsString(List.of(p.get("query").asText(), p.get("document").asText()))).append('\n');
    }
    return Files.writeString(dir.resolve("pairs.jsonl"), text.toString());
  }

  private static List<String> lines(CliRun run) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    return run.out().lines().toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"wordpiece-project-1label-len24", "wordpiece-3label-len64"})
  void predictOnAReferenceFolderPrintsTheReferenceScores(String name) throws IOException {
    Path folder = FIXTURES.resolve(name);
    JsonNode reference = JSON.readTree(folder.resolve("reference.json").toFile());
    Path input = pairsFile(reference);
    List<String> scores = lines(ce("predict", "--model", folder.toString(), "--input", input.toString()));
    List<String> raw = lines(ce("predict", "--model", folder.toString(), "--input", input.toString(), "--raw"));
    JsonNode pairs = reference.get("pairs");
    assertThat(scores).hasSize(pairs.size());
    assertThat(raw).hasSize(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      JsonNode logits = pairs.get(i).get("logits");
      if (logits.size() == 1) {
        double logit = logits.get(0).asDouble();
        assertThat(Double.parseDouble(scores.get(i))).as("pair %d", i)
            .isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-5));
        assertThat(Double.parseDouble(raw.get(i))).as("pair %d raw", i).isCloseTo(logit, within(1e-5));
      } else {
        JsonNode row = JSON.readTree(scores.get(i));
        assertThat(row.size()).isEqualTo(logits.size());
        for (int j = 0; j < logits.size(); j++) {
          // sentence-transformers' default for several labels: the logits themselves
          assertThat(row.get(j).asDouble()).as("pair %d label %d", i, j)
              .isCloseTo(logits.get(j).asDouble(), within(1e-5));
        }
        assertThat(raw.get(i)).isEqualTo(scores.get(i));
      }
    }
  }

  @Test
  void initWithModelTypeElectraWritesAFolderThatPredicts() throws IOException {
    Path config = Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 269, \"embedding_size\": 16,"
        + " \"hidden_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"intermediate_size\": 64,"
        + " \"max_position_embeddings\": 64, \"num_labels\": 1}");
    Path tokenizer = FIXTURES.resolve("wordpiece-project-1label-len24").resolve("tokenizer.json");
    Path out = dir.resolve("model");
    CliRun init = ce("init", "--model-type", "electra", "--config", config.toString(), "--tokenizer",
        tokenizer.toString(), "--output", out.toString());
    assertThat(init.status()).as(init.err()).isEqualTo(ExitCodes.OK);
    assertThat(init.err().lines().toList()).last().isEqualTo("ce init: wrote " + out + ": electra, 2 layers, hidden 32,"
        + " 4 heads, intermediate 64, embedding 16, vocab 269, 1 label (sigmoid), max_length 64, seed 42");
    JsonNode written = JSON.readTree(out.resolve("config.json").toFile());
    assertThat(written.get("model_type").asText()).isEqualTo("electra");
    assertThat(written.get("architectures").get(0).asText()).isEqualTo("ElectraForSequenceClassification");
    assertThat(JSON.readTree(out.resolve("tokenizer_config.json").toFile()).get("tokenizer_class").asText())
        .isEqualTo("ElectraTokenizer");

    List<TextPair> pairs = List.of(TextPair.of("what is the capital of france", "paris is the capital of france"),
        TextPair.of("a", "b"), TextPair.of("java", "an island of indonesia"));
    StringBuilder text = new StringBuilder();
    for (TextPair p : pairs) {
      text.append(JSON.writeValueAsString(List.of(p.query(), p.document()))).append('\n');
    }
    Path input = Files.writeString(dir.resolve("three.jsonl"), text.toString());
    List<String> printed = lines(ce("predict", "--model", out.toString(), "--input", input.toString()));
    double[][] direct;
    try (CrossEncoder model = CrossEncoder.load(out)) {
      assertThat(model.config()).isInstanceOf(ElectraConfig.class);
      assertThat(((ElectraConfig) model.config()).hasEmbeddingProjection()).isTrue();
      direct = model.predict(pairs);
    }
    List<Double> values = new ArrayList<>();
    printed.forEach(l -> values.add(Double.parseDouble(l)));
    assertThat(values).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(values.get(i)).as("pair %d", i).isEqualTo(direct[i][0]).isBetween(0.0, 1.0);
    }
    assertThat(values).doesNotHaveDuplicates();

    // the same seed gives the same weights; the config must not name another model_type
    Path again = dir.resolve("again");
    assertThat(ce("init", "--model-type", "electra", "--config", config.toString(), "--tokenizer",
        tokenizer.toString(), "--output", again.toString()).status()).isEqualTo(ExitCodes.OK);
    assertThat(ModelFingerprint.ofFolder(again)).isEqualTo(ModelFingerprint.ofFolder(out));
    CliRun bert = ce("init", "--model-type", "bert", "--config", out.resolve("config.json").toString(), "--tokenizer",
        tokenizer.toString(), "--output", dir.resolve("bert").toString());
    assertThat(bert.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(bert.err()).contains("\"model_type\" is \"electra\" but --model-type says \"bert\"");
  }
}
