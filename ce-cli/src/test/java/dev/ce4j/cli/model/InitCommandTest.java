package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InitCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path dir;

  static Path config;
  static Path config3;
  static Path tokenizer;
  static Path pairs;

  @BeforeAll
  static void files() throws IOException {
    config = Files.writeString(shared.resolve("config.json"), TinyModels.configJson(1));
    config3 = Files.writeString(shared.resolve("config3.json"), TinyModels.configJson(3));
    tokenizer = TinyModels.tokenizer(shared.resolve("tokenizer.json"));
    pairs = Files.writeString(shared.resolve("pairs.jsonl"),
        "[\"what is the capital of france\", \"paris\"]\n[\"a\", \"b\"]\n[\"java\", \"an island of indonesia\"]\n");
  }

  static CliRun init(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "init", "--config", config.toString(), "--tokenizer", tokenizer.toString(), "--output", output.toString()));
    args.addAll(List.of(more));
    return ce(args.toArray(String[]::new));
  }

  static String predictions(Path model) {
    CliRun run = ce("predict", "--model", model.toString(), "--input", pairs.toString(), "--raw");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines()).hasSize(3);
    return run.out();
  }

  @Test
  void writesAFolderThatLoadsWithTheConfigsArchitecture() {
    Path out = dir.resolve("m");
    CliRun run = init(out);
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEmpty();
    List<String> err = run.err().lines().toList();
    assertThat(err).hasSize(2);
    assertThat(err.get(0)).startsWith("ce init: device ");
    assertThat(err.get(1)).isEqualTo("ce init: wrote " + out
        + ": bert, 2 layers, hidden 32, 4 heads, intermediate 64, vocab 30522, 1 label (sigmoid), max_length 128, seed 42");
    try (CrossEncoder model = CrossEncoder.load(out)) {
      assertThat(((BertConfig) model.config()).hiddenSize()).isEqualTo(32);
      assertThat(model.config().numLabels()).isEqualTo(1);
    }
  }

  @Test
  void theSameSeedGivesBitwiseTheSamePredictionsAndADifferentSeedOthers() {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    assertThat(init(a, "--seed", "5").status()).isEqualTo(ExitCodes.OK);
    assertThat(init(b, "--seed", "5").status()).isEqualTo(ExitCodes.OK);
    assertThat(init(c, "--seed", "6").status()).isEqualTo(ExitCodes.OK);
    assertThat(predictions(b)).isEqualTo(predictions(a));
    assertThat(ModelFingerprint.ofFolder(b)).isEqualTo(ModelFingerprint.ofFolder(a));
    List<String> pa = predictions(a).lines().toList();
    List<String> pc = predictions(c).lines().toList();
    for (int i = 0; i < pa.size(); i++) {
      assertThat(pc.get(i)).as("pair %d", i).isNotEqualTo(pa.get(i));
    }
    assertThat(ModelFingerprint.ofFolder(c)).isNotEqualTo(ModelFingerprint.ofFolder(a));
  }

  @Test
  void theLabelsComeFromTheConfig() {
    Path out = dir.resolve("m3");
    CliRun run = ce("init", "--config", config3.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(predictions(out).lines()).allMatch(line -> line.startsWith("[") && line.split(",").length == 3);
  }

  @Test
  void aNonEmptyOutputFolderIsRefusedUnlessForced() throws IOException {
    Path out = Files.createDirectories(dir.resolve("full"));
    Path keep = Files.writeString(out.resolve("notes.txt"), "mine");
    CliRun refused = init(out);
    assertThat(refused.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(refused.err()).contains("'" + out + "' is not empty", "--force");
    assertThat(refused.errHasStackTrace()).isFalse();
    assertThat(out.resolve("config.json")).doesNotExist();

    Files.writeString(out.resolve("special_tokens_map.json"), "{\"stale\": true}");
    CliRun forced = init(out, "--force");
    assertThat(forced.status()).as(forced.err()).isEqualTo(ExitCodes.OK);
    assertThat(out.resolve("config.json")).exists();
    assertThat(out.resolve("special_tokens_map.json")).doesNotExist();
    assertThat(keep).hasContent("mine");
  }

  @Test
  void anOutputThatIsAFileIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    CliRun run = init(file, "--force");
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("'" + file + "' is a file");
  }

  @Test
  void aBadConfigExitsWith2NamingTheFileAndField() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad-config.json"), "{\"model_type\": \"bert\", \"vocab_size\": 10}");
    CliRun run = ce("init", "--config", bad.toString(), "--tokenizer", tokenizer.toString(),
        "--output", dir.resolve("out").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(bad.toString(), "hidden_size");
    assertThat(run.errHasStackTrace()).isFalse();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  /** The tiny config with one field replaced (or removed, for a null value). */
  static Path configWith(Path dir, String field, Object value) throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree(TinyModels.configJson(1));
    if (value == null) {
      c.remove(field);
    } else {
      c.set(field, JSON.valueToTree(value));
    }
    return Files.writeString(dir.resolve("config-" + field + ".json"), JSON.writeValueAsString(c));
  }

  static void assertRefused(CliRun run, Path output, String... fragments) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(fragments).doesNotContain("internal error");
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.errHasStackTrace()).isFalse();
    assertThat(output).doesNotExist();
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        // was exit 1, "internal error: java.lang.ArithmeticException: integer overflow"
        Arguments.of("vocab_size", 2_000_000_000,
            "vocab_size 2000000000 x hidden_size 32 = 64000000000 values in the word embedding"),
        Arguments.of("intermediate_size", 100_000_000, "intermediate_size 100000000 x hidden_size 32"),
        Arguments.of("max_position_embeddings", 1_000_000_000, "max_position_embeddings 1000000000 x hidden_size 32"),
        Arguments.of("hidden_size", 3_000_000_000L, "\"hidden_size\" is 3000000000, outside the integers"),
        Arguments.of("hidden_size", 32.5, "\"hidden_size\" must be an integer, got 32.5"),
        Arguments.of("hidden_size", "32", "\"hidden_size\" must be an integer, got \"32\""),
        Arguments.of("hidden_size", -32, "hidden_size must be at least 1, got -32"),
        Arguments.of("num_attention_heads", 5, "hidden_size 32 is not a multiple of num_attention_heads 5"),
        Arguments.of("num_labels", 0, "\"num_labels\" must be at least 1, got 0"),
        Arguments.of("num_labels", 2_000_000_000, "\"num_labels\" 2000000000 is more than ce supports"),
        Arguments.of("num_hidden_layers", 2_000_000_000, "num_hidden_layers 2000000000 is more than ce supports"),
        Arguments.of("model_type", null, "no \"model_type\""),
        Arguments.of("model_type", "gpt2", "unsupported model_type \"gpt2\""),
        Arguments.of("max_position_embeddings", 2, "max_position_embeddings must be at least 4, got 2"),
        Arguments.of("type_vocab_size", 0, "type_vocab_size must be at least 1, got 0"),
        Arguments.of("initializer_range", 1e300, "initializer_range 1.0E300 is too large"),
        Arguments.of("id2label", java.util.Map.of("0", "a", "1", "b"),
            "\"num_labels\" is 1 but \"id2label\" names 2 labels"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badConfigs")
  void aBadConfigFieldExitsWith2NamingTheFileAndField(String field, Object value, String message)
      throws IOException {
    Path bad = configWith(dir, field, value);
    Path out = dir.resolve("out");
    CliRun run = ce("init", "--config", bad.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertRefused(run, out, "ce init: " + bad + ": ", message);
  }

  @Test
  void oneTokenTypeForBertsTwoSegmentsIsRefusedNamingBothFiles() throws IOException {
    Path bad = configWith(dir, "type_vocab_size", 1);
    Path out = dir.resolve("out");
    CliRun run = ce("init", "--config", bad.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertRefused(run, out, "ce init: " + tokenizer + ": the tokenizer gives a pair's tokens type id 1, but "
        + bad + " has type_vocab_size 1");
  }

  @Test
  void aTokenizerWhoseIdsExceedTheVocabularyIsRefusedNamingBothFiles() throws IOException {
    // the tiny example: a 117-token vocabulary, ids 0 to 116, of which 116 is "with"
    Path tiny = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
    Path small = Files.writeString(dir.resolve("vocab50.json"),
        Files.readString(tiny.resolve("config.json")).replace("\"vocab_size\": 117", "\"vocab_size\": 50"));
    Path out = dir.resolve("out");
    CliRun run = ce("init", "--config", small.toString(), "--tokenizer", tiny.resolve("tokenizer.json").toString(),
        "--output", out.toString());
    assertRefused(run, out, "ce init: " + tiny.resolve("tokenizer.json") + ": token id 116 ('with' in model.vocab)"
        + " does not fit " + small + ", whose vocab_size 50 gives ids 0 to 49");
  }

  @Test
  void aModelLargerThanTheHeapIsRefusedWithItsSize() throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree(TinyModels.configJson(1));
    c.put("num_hidden_layers", 1024).put("hidden_size", 4096).put("intermediate_size", 16384);
    Path huge = Files.writeString(dir.resolve("huge.json"), JSON.writeValueAsString(c));
    Path out = dir.resolve("out");
    CliRun run = ce("init", "--config", huge.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertRefused(run, out, "ce init: " + huge + ": a model of this configuration", " MiB as float32, more than the ",
        " MiB this Java VM may use");
  }

  @Test
  void aTokenizerThatIsNotOneIsNamedAsGiven() throws IOException {
    // ce init --tokenizer config.json: the message names config.json, not "tokenizer.json"
    Path out = dir.resolve("out");
    CliRun run = ce("init", "--config", config.toString(), "--tokenizer", config.toString(),
        "--output", out.toString());
    assertRefused(run, out, "ce init: " + config + ": not a valid Hugging Face tokenizer.json: ");
    Path truncated = Files.writeString(dir.resolve("t.json"), "{\"version\": \"1.0\", \"model\": {");
    CliRun broken = ce("init", "--config", config.toString(), "--tokenizer", truncated.toString(),
        "--output", out.toString());
    assertRefused(broken, out, "ce init: " + truncated + ": not a valid Hugging Face tokenizer.json: malformed JSON"
        + " at line 1, column 30: Unexpected end-of-input");
    assertThat(broken.err()).doesNotContain("Source", "REDACTED");
  }

  @Test
  void fifosAsConfigOrTokenizerAreRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("fifo.json");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo");
    Path out = dir.resolve("out");
    CliRun asConfig = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ce("init", "--config",
        fifo.toString(), "--tokenizer", tokenizer.toString(), "--output", out.toString()));
    assertRefused(asConfig, out, "ce init: " + fifo + ": not a regular file (a named pipe (FIFO))");
    CliRun asTokenizer = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> ce("init", "--config",
        config.toString(), "--tokenizer", fifo.toString(), "--output", out.toString()));
    assertRefused(asTokenizer, out, "ce init: " + fifo + ": not a regular file (a named pipe (FIFO))");
    CliRun directory = ce("init", "--config", dir.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertRefused(directory, out, "ce init: " + dir + ": is a directory, not a file");
  }

  @Test
  void aMissingTokenizerExitsWith2NamingIt() {
    Path missing = dir.resolve("no-tokenizer.json");
    CliRun run = ce("init", "--config", config.toString(), "--tokenizer", missing.toString(),
        "--output", dir.resolve("out").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(missing.toString(), "not found");
    assertThat(run.errHasStackTrace()).isFalse();
  }
}
