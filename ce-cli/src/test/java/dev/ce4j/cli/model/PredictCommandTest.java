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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PredictCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Pairs of very different lengths, so that length sorting reorders them. */
  static final List<TextPair> PAIRS = List.of(
      TextPair.of("what is the capital of france", "paris is the capital and largest city of france"),
      TextPair.of("a", "b"),
      TextPair.of("how do plants make food", "photosynthesis turns light, water and carbon dioxide"
          + " into sugar and oxygen in the leaves of plants"),
      TextPair.of("java", "an island of indonesia"),
      TextPair.of("java", "a programming language that runs on a virtual machine"),
      TextPair.of("", "empty query"),
      TextPair.of("who wrote hamlet", "shakespeare \"the bard\" \u00e9crivain \u2014 \u6f22\u5b57"));

  @TempDir static Path shared;
  @TempDir Path dir;

  static Path oneLabel;
  static Path threeLabels;
  static Path input;

  @BeforeAll
  static void models() throws IOException {
    oneLabel = TinyModels.folder(shared.resolve("one"), 1, 7);
    threeLabels = TinyModels.folder(shared.resolve("three"), 3, 8);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < PAIRS.size(); i++) {
      text.append(JSON.writeValueAsString(List.of(PAIRS.get(i).query(), PAIRS.get(i).document()))).append('\n');
      if (i == 2) {
        text.append("   \n"); // a blank line is skipped
      }
    }
    input = Files.writeString(shared.resolve("pairs.jsonl"), text.toString());
  }

  static CliRun predict(Path model, Path file, String... more) {
    List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--input", file.toString()));
    args.addAll(List.of(more));
    return ce(args.toArray(String[]::new));
  }

  static List<String> lines(CliRun run) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    return run.out().lines().toList();
  }

  static double[][] direct(Path model, boolean activation) {
    try (CrossEncoder encoder = CrossEncoder.load(model)) {
      return encoder.predict(PAIRS, CrossEncoder.DEFAULT_BATCH_SIZE, activation);
    }
  }

  @Test
  void oneLabelPrintsOneNumberPerPairInInputOrder() {
    List<String> lines = lines(predict(oneLabel, input));
    double[][] expected = direct(oneLabel, true);
    assertThat(lines).hasSize(PAIRS.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).matches("-?[0-9.Ee-]+");
      assertThat(Double.parseDouble(lines.get(i))).as("pair %d", i).isEqualTo(expected[i][0]);
    }
    // the scores differ from pair to pair, so that an order mix-up would show
    assertThat(lines).doesNotHaveDuplicates();
  }

  @Test
  void severalLabelsPrintOneJsonArrayPerPair() throws IOException {
    List<String> lines = lines(predict(threeLabels, input));
    double[][] expected = direct(threeLabels, true);
    assertThat(lines).hasSize(PAIRS.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode row = JSON.readTree(lines.get(i));
      assertThat(row.isArray()).isTrue();
      assertThat(row.size()).isEqualTo(3);
      for (int j = 0; j < 3; j++) {
        assertThat(row.get(j).doubleValue()).isEqualTo(expected[i][j]);
      }
    }
  }

  @Test
  void rawIsTheLogitAndTheDefaultIsItsSigmoidForOneLabel() {
    List<String> scores = lines(predict(oneLabel, input));
    List<String> raw = lines(predict(oneLabel, input, "--raw"));
    assertThat(raw).hasSameSizeAs(scores).isNotEqualTo(scores);
    for (int i = 0; i < raw.size(); i++) {
      double logit = Double.parseDouble(raw.get(i));
      assertThat(Double.parseDouble(scores.get(i))).isEqualTo(1.0 / (1.0 + Math.exp(-logit)));
    }
  }

  @Test
  void rawEqualsTheDefaultForSeveralLabelsWhoseActivationIsIdentity() {
    assertThat(lines(predict(threeLabels, input, "--raw"))).isEqualTo(lines(predict(threeLabels, input)));
  }

  @Test
  void everyActivationIsAFunctionOfTheLogits() throws IOException {
    List<String> raw = lines(predict(threeLabels, input, "--activation", "none"));
    List<String> softmax = lines(predict(threeLabels, input, "--activation", "softmax"));
    List<String> sigmoid = lines(predict(threeLabels, input, "--activation", "SIGMOID"));
    assertThat(lines(predict(threeLabels, input, "--activation", "default"))).isEqualTo(raw); // identity here
    for (int i = 0; i < raw.size(); i++) {
      JsonNode z = JSON.readTree(raw.get(i));
      double norm = 0;
      for (int j = 0; j < 3; j++) {
        norm += Math.exp(z.get(j).doubleValue());
      }
      for (int j = 0; j < 3; j++) {
        double zj = z.get(j).doubleValue();
        assertThat(JSON.readTree(softmax.get(i)).get(j).doubleValue()).isCloseTo(Math.exp(zj) / norm, within(1e-12));
        assertThat(JSON.readTree(sigmoid.get(i)).get(j).doubleValue()).isCloseTo(1 / (1 + Math.exp(-zj)), within(1e-12));
      }
    }
  }

  @Test
  void badActivationsAreRefusedNamingWhy() {
    CliRun unknown = predict(oneLabel, input, "--activation", "tanh");
    assertThat(unknown.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(unknown.err()).contains("--activation", "known: default, sigmoid, softmax, none");
    CliRun both = predict(oneLabel, input, "--activation", "none", "--raw");
    assertThat(both.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(both.err()).contains("--raw and --activation cannot be used together");
    CliRun softmaxOfOne = predict(oneLabel, input, "--activation", "softmax");
    assertThat(softmaxOfOne.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(softmaxOfOne.out()).isEmpty();
    assertThat(softmaxOfOne.err()).contains("softmax needs a model with several labels", oneLabel.toString());
  }

  @Test
  void theTrainingLayoutsAreReadAsPairsWithTheirLabelsIgnored() throws IOException {
    Path training = Files.writeString(dir.resolve("train.jsonl"),
        "{\"pair\": [\"java\", \"an island of indonesia\"], \"label\": 1}\n"
            + "{\"query\": \"java\", \"documents\": [\"a programming language that runs on a virtual machine\","
            + " \"empty query\"], \"labels\": [1, 0]}\n"
            + "[\"a\", \"b\"]\n");
    Path arrays = Files.writeString(dir.resolve("arrays.jsonl"),
        "[\"java\", \"an island of indonesia\"]\n[\"java\", \"a programming language that runs on a virtual machine\"]\n"
            + "[\"java\", \"empty query\"]\n[\"a\", \"b\"]\n");
    assertThat(lines(predict(oneLabel, training))).isEqualTo(lines(predict(oneLabel, arrays)));
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "[\"a\", \"b\"]\n{\"query\": \"q\", \"documents\": []}\n");
    CliRun run = predict(oneLabel, bad);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(bad + ", line 2", "field 'documents' must be a non-empty array of strings");
  }

  @Test
  void shortRunsPrintNoProgressLine() {
    CliRun run = predict(oneLabel, input);
    assertThat(run.err().lines()).hasSize(1); // the device line only
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2", "5", "1000"})
  void theBatchSizeDoesNotChangeTheOrderOrTheScores(String batchSize) {
    List<String> reference = lines(predict(oneLabel, input));
    List<String> batched = lines(predict(oneLabel, input, "--batch-size", batchSize));
    assertThat(batched).hasSameSizeAs(reference);
    for (int i = 0; i < batched.size(); i++) {
      assertThat(Double.parseDouble(batched.get(i))).isCloseTo(Double.parseDouble(reference.get(i)), within(1e-6));
    }
  }

  @Test
  void theDeviceIsReportedOnStandardErrorInOneLine() {
    CliRun run = predict(oneLabel, input, "--device", "cpu");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .startsWith("ce predict: device cpu (PyTorch ");
  }

  @Test
  void windowsLineEndsAndAByteOrderMarkAreAccepted() throws IOException {
    Path crlf = dir.resolve("crlf.jsonl");
    Files.write(crlf, ("\uFEFF[\"a\", \"b\"]\r\n[\"java\", \"an island of indonesia\"]\r\n")
        .getBytes(StandardCharsets.UTF_8));
    List<String> lines = lines(predict(oneLabel, crlf));
    List<String> all = lines(predict(oneLabel, input));
    // other batch-mates, other padding: equal to float precision, not bitwise
    assertThat(lines).hasSize(2);
    assertThat(Double.parseDouble(lines.get(0))).isCloseTo(Double.parseDouble(all.get(1)), within(1e-6));
    assertThat(Double.parseDouble(lines.get(1))).isCloseTo(Double.parseDouble(all.get(3)), within(1e-6));
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("[\"q\", \"d\"]\n[\"q\", \"d\"\n", "line 2", "malformed JSON"),
        Arguments.of("[\"q\", \"d\"]\n{\"query\": \"q\", \"document\": \"d\"}\n", "line 2", "got an object"),
        Arguments.of("[\"q\", \"d\", \"e\"]\n", "line 1", "got an array of 3 elements"),
        Arguments.of("[\"q\"]\n", "line 1", "got an array of 1 element"),
        Arguments.of("\n\n[\"q\", 3]\n", "line 3", "the document (second element) must be a string, got 3"),
        Arguments.of("[null, \"d\"]\n", "line 1", "the query (first element) must be a string, got null"),
        Arguments.of("\"q d\"\n", "line 1", "got the string \"q d\""),
        Arguments.of("[\"q\", \"d\"] [\"e\", \"f\"]\n", "line 1", "unexpected text after the JSON array"),
        Arguments.of("\n  \n", "holds no pairs", "JSON array of two strings"),
        Arguments.of("", "holds no pairs", "JSON array of two strings"));
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void aBadLineExitsWith2NamingTheFileAndLine(String content, String where, String what) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.jsonl"), content);
    CliRun run = predict(oneLabel, file);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("ce predict: ").contains(file.toString(), where, what);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.errHasStackTrace()).as(run.err()).isFalse();
  }

  @Test
  void bytesThatAreNotUtf8AreReportedOnTheirLine() throws IOException {
    Path file = dir.resolve("latin1.jsonl");
    Files.write(file, "[\"q\", \"d\"]\n[\"caf\u00e9\", \"d\"]\n".getBytes(StandardCharsets.ISO_8859_1));
    CliRun run = predict(oneLabel, file);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(file + ", line 2: not valid UTF-8");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aMissingInputFileExitsWith2() {
    Path missing = dir.resolve("nope.jsonl");
    CliRun run = predict(oneLabel, missing);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(missing + ": file not found");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aMissingModelFolderExitsWith2NamingIt() {
    Path missing = dir.resolve("no-model");
    CliRun run = predict(missing, input);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(missing.toString(), "no such model folder");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aModelFolderWithoutConfigJsonExitsWith2NamingTheFile() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("half"));
    for (String f : List.of("model.safetensors", "tokenizer.json")) {
      Files.copy(oneLabel.resolve(f), folder.resolve(f));
    }
    CliRun run = predict(folder, input);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(folder.resolve("config.json").toString(), "not found");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3"})
  void aBatchSizeBelowOneExitsWith2(String batchSize) {
    CliRun run = predict(oneLabel, input, "--batch-size", batchSize);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--batch-size must be at least 1, got " + batchSize);
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aNonNumericBatchSizeIsAUsageError() {
    CliRun run = predict(oneLabel, input, "--batch-size", "many");
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--batch-size", "many");
  }

  @Test
  void anUnknownDeviceExitsWith2() {
    CliRun run = predict(oneLabel, input, "--device", "tpu");
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("unknown device 'tpu'");
  }

  @Test
  void aShorterMaxLengthTruncatesAndTooShortOneIsRefused() {
    List<String> full = lines(predict(oneLabel, input));
    List<String> cut = lines(predict(oneLabel, input, "--max-length", "8"));
    // pair 1 ("a", "b") is 5 tokens and unaffected; pair 2 is far longer than 8 tokens
    assertThat(Double.parseDouble(cut.get(1))).isCloseTo(Double.parseDouble(full.get(1)), within(1e-6));
    assertThat(cut.get(2)).isNotEqualTo(full.get(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1", "2", "3"})
  void aMaxLengthBelowFourIsAUsageErrorNamingTheOption(String n) {
    CliRun run = predict(oneLabel, input, "--max-length", n);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("ce predict: --max-length must be 0 (the model's own maximum) or at least 4"
        + " (a pair needs [CLS], [SEP] twice and one token of text), got " + n + "\n");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  /** 4 is the true minimum: every pair, the empty query included, is scored from at most 4 tokens. */
  @Test
  void maxLengthFourWorks() {
    List<String> full = lines(predict(oneLabel, input));
    List<String> four = lines(predict(oneLabel, input, "--max-length", "4"));
    List<String> five = lines(predict(oneLabel, input, "--max-length", "5"));
    assertThat(four).hasSize(PAIRS.size()).allSatisfy(s -> assertThat(Double.parseDouble(s)).isBetween(0.0, 1.0));
    // ("a", "b") is [CLS] a [SEP] b [SEP]: whole at 5 tokens, cut at 4
    assertThat(Double.parseDouble(five.get(1))).isCloseTo(Double.parseDouble(full.get(1)), within(1e-6));
    assertThat(four.get(1)).isNotEqualTo(five.get(1));
  }

  @Test
  void aMaxLengthAboveTheModelsPositionsIsAUsageErrorNamingTheLimit() {
    // TinyModels: max_position_embeddings 128
    assertThat(lines(predict(oneLabel, input, "--max-length", "128"))).hasSize(PAIRS.size());
    CliRun run = predict(oneLabel, input, "--max-length", "129");
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce predict: --max-length 129 is more than the 128 positions the model has"
        + " (max_position_embeddings in " + oneLabel.resolve("config.json") + "); give at most 128, or 0 for the"
        + " model's own maximum (64)");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void oldMacLineEndsAreLineEnds() throws IOException {
    Path cr = dir.resolve("cr.jsonl");
    Files.write(cr, "[\"a\", \"b\"]\r\r[\"java\", \"an island of indonesia\"]\r".getBytes(StandardCharsets.UTF_8));
    List<String> lines = lines(predict(oneLabel, cr));
    List<String> all = lines(predict(oneLabel, input));
    assertThat(lines).hasSize(2);
    assertThat(Double.parseDouble(lines.get(0))).isCloseTo(Double.parseDouble(all.get(1)), within(1e-6));
    assertThat(Double.parseDouble(lines.get(1))).isCloseTo(Double.parseDouble(all.get(3)), within(1e-6));
    Path bad = Files.write(dir.resolve("bad-cr.jsonl"), "[\"a\", \"b\"]\r\r[\"java\"]\r".getBytes(StandardCharsets.UTF_8));
    CliRun run = predict(oneLabel, bad);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce predict: " + bad + ", line 3: expected a JSON array of two strings");
  }
}
