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
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.roberta.RobertaConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ce init} and {@code ce predict} with RoBERTa and XLM-RoBERTa: a model made from a config
 * without {@code model_type} (given by {@code --model-type}) and a fixture's tokenizer is written
 * as that family and scores; {@code ce predict} on each reference fixture of {@code ce-core} prints
 * the reference's scores (the sigmoid of the logit for one label, the logits otherwise).
 */
class RobertaCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch").toAbsolutePath().normalize();

  @TempDir Path dir;

  static Stream<String> fixtures() {
    return Stream.of("roberta/bpe-1label-len24", "roberta/bpe-3label-len62", "xlm-roberta/unigram-1label-len32",
        "xlm-roberta/unigram-2label-len62");
  }

  /** The reference's pairs as {@code ce predict} input: one JSON array per line. */
  private Path pairsFile(JsonNode reference) throws IOException {
    StringBuilder text = new StringBuilder();
    for (JsonNode p : reference.get("pairs")) {
      text.append(JSON.writeValueAsString(List.of(p.get("query").asText(), p.get("document").asText()))).append('\n');
    }
    return Files.writeString(dir.resolve("pairs.jsonl"), text.toString());
  }

  @Test
  void architecturesListsBothModelTypesUnderOneId() {
    CliRun run = ce("architectures");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines().filter(l -> l.startsWith("roberta ")))
        .singleElement().asString()
        .contains("model_type roberta, xlm-roberta", "RobertaForSequenceClassification",
            "XLMRobertaForSequenceClassification");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void initWithModelTypeThenPredict(String fixture) throws IOException {
    Path folder = FIXTURES.resolve(fixture);
    String modelType = fixture.substring(0, fixture.indexOf('/'));
    ObjectNode config = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
    config.remove("model_type");
    config.remove("architectures");
    Path configFile = Files.writeString(dir.resolve("config.json"), config.toString());
    Path out = dir.resolve("model");

    CliRun init = ce("init", "--model-type", modelType, "--config", configFile.toString(),
        "--tokenizer", folder.resolve("tokenizer.json").toString(), "--output", out.toString());

    assertThat(init.status()).as(init.err()).isEqualTo(ExitCodes.OK);
    JsonNode reference = JSON.readTree(folder.resolve("reference.json").toFile());
    int labels = reference.get("num_labels").asInt();
    int maxLength = reference.get("max_length").asInt();
    assertThat(init.err().lines().toList()).last().isEqualTo("ce init: wrote " + out + ": " + modelType
        + ", 2 layers, hidden 32, " + config.get("num_attention_heads").asInt() + " heads, intermediate 64, vocab "
        + config.get("vocab_size").asInt() + ", " + labels + (labels == 1 ? " label (sigmoid)" : " labels (identity)")
        + ", max_length " + maxLength + ", seed 42");
    JsonNode written = JSON.readTree(out.resolve("config.json").toFile());
    assertThat(written.get("model_type").asText()).isEqualTo(modelType);
    assertThat(written.get("architectures").get(0).asText()).isEqualTo(reference.get("architecture").asText());
    assertThat(JSON.readTree(out.resolve("tokenizer_config.json").toFile()).get("tokenizer_class"))
        .isEqualTo(JSON.readTree(folder.resolve("tokenizer_config.json").toFile()).get("tokenizer_class"));
    // the weights are the seed's (transformers' initialisation, ce's draws)
    ModelConfig parsed = ConfigJson.read(out.resolve("config.json"));
    assertThat(parsed).isInstanceOf(RobertaConfig.class);
    assertThat(ModelFingerprint.ofFolder(out)).isEqualTo(ModelFingerprint.of(WeightInit.initialWeights(parsed, 42)));

    CliRun predict = ce("predict", "--model", out.toString(), "--input", pairsFile(reference).toString());
    assertThat(predict.status()).as(predict.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = predict.out().lines().toList();
    assertThat(lines).hasSize(reference.get("pairs").size());
    try (CrossEncoder model = CrossEncoder.load(out)) {
      double[][] scores = model.predict(pairsFromReference(reference));
      for (int i = 0; i < lines.size(); i++) {
        double[] printed = parse(lines.get(i), labels);
        for (int j = 0; j < labels; j++) {
          assertThat(printed[j]).as("pair %d", i).isEqualTo(scores[i][j]);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void predictOnAFixturePrintsTheReferenceScores(String fixture) throws IOException {
    Path folder = FIXTURES.resolve(fixture);
    JsonNode reference = JSON.readTree(folder.resolve("reference.json").toFile());
    int labels = reference.get("num_labels").asInt();

    CliRun run = ce("predict", "--model", folder.toString(), "--input", pairsFile(reference).toString());

    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(reference.get("pairs").size());
    for (int i = 0; i < lines.size(); i++) {
      double[] printed = parse(lines.get(i), labels);
      JsonNode logits = reference.get("pairs").get(i).get("logits");
      for (int j = 0; j < labels; j++) {
        double logit = logits.get(j).asDouble();
        // sentence-transformers' default activation: sigmoid for one label, identity otherwise
        double expected = labels == 1 ? 1 / (1 + Math.exp(-logit)) : logit;
        assertThat(printed[j]).as("%s pair %d label %d", fixture, i, j).isCloseTo(expected, within(1e-5));
      }
    }
  }

  /**
   * RoBERTa's template adds four special tokens ({@code <s> A </s></s> B </s>}), so {@code
   * --max-length 4}, BERT's minimum, would score every pair from the same four tokens: it is a usage
   * error naming the option, and 5 scores.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aMaxLengthThatLeavesNoTokenForTextIsAUsageError(String fixture) throws IOException {
    Path folder = FIXTURES.resolve(fixture);
    JsonNode reference = JSON.readTree(folder.resolve("reference.json").toFile());
    Path pairs = pairsFile(reference);
    for (String command : List.of("predict", "rank")) {
      CliRun run = command.equals("predict")
          ? ce("predict", "--model", folder.toString(), "--input", pairs.toString(), "--max-length", "4")
          : ce("rank", "--model", folder.toString(), "--query", "q", "--documents", pairs.toString(), "--max-length", "4");
      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("ce " + command + ": --max-length 4 leaves no token for text: the model's"
          + " tokenizer (" + folder.resolve("tokenizer.json") + ") adds 4 special tokens to every pair; give at"
          + " least 5, or 0 for the model's own maximum (");
      assertThat(run.errHasStackTrace()).isFalse();
    }
    CliRun five = ce("predict", "--model", folder.toString(), "--input", pairs.toString(), "--max-length", "5");
    assertThat(five.status()).as(five.err()).isEqualTo(ExitCodes.OK);
    assertThat(five.out().lines()).hasSize(reference.get("pairs").size());
  }

  private static List<TextPair> pairsFromReference(JsonNode reference) {
    return StreamSupport.stream(reference.get("pairs").spliterator(), false)
        .map(p -> TextPair.of(p.get("query").asText(), p.get("document").asText()))
        .toList();
  }

  /** One output line: a number for one label, a JSON array otherwise. */
  private static double[] parse(String line, int labels) throws IOException {
    if (labels == 1) {
      return new double[] {Double.parseDouble(line)};
    }
    JsonNode row = JSON.readTree(line);
    assertThat(row.size()).isEqualTo(labels);
    double[] out = new double[labels];
    for (int j = 0; j < labels; j++) {
      out[j] = row.get(j).doubleValue();
    }
    return out;
  }
}
