package dev.ce4j.cli.evaluate;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvaluateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD_POINTWISE =
      "{\"score\": 0.1, \"label\": 1}\n{\"score\": 0.2, \"label\": 0}\n";

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private CliRun evaluate(String evaluator, Path file, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "evaluate", "--evaluator", evaluator, "--predictions", file.toString()));
    args.addAll(List.of(more));
    return ce(args.toArray(String[]::new));
  }

  /** The single JSON object on stdout; fails unless stdout is exactly one line. */
  private static JsonNode json(CliRun run) throws IOException {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).isEmpty();
    assertThat(run.out().strip().lines()).hasSize(1);
    JsonNode node = JSON.readTree(run.out());
    assertThat(node.isObject()).isTrue();
    return node;
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
  void pointwiseOutputIsExactlyOneJsonObjectInTheEvaluatorsKeyOrder() throws IOException {
    CliRun run = evaluate("test-pointwise", write("p.jsonl", GOOD_POINTWISE));
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEqualTo(
        "{\"count\":2.0,\"score_sum\":0.30000000000000004,\"label_sum\":1.0,\"labels\":[1.0,0.0],"
            + "\"undefined\":null}" + System.lineSeparator());
    assertThat(run.err()).isEmpty();
  }

  @Test
  void numbersRoundTripExactly() throws IOException {
    JsonNode out = json(evaluate("test-pointwise", write("p.jsonl", GOOD_POINTWISE)));
    assertThat(out.get("score_sum").doubleValue()).isEqualTo(0.1 + 0.2);
  }

  @Test
  void pointwiseSkipsBlankLinesAndIgnoresOtherFields() throws IOException {
    Path file = write("p.jsonl", "\uFEFF{\"score\": 0.5, \"label\": 1, \"text\": \"ignored\"}\n"
        + "\n   \n"
        + "{\"label\": 0, \"score\": -3}\r\n"
        + "{\"score\": 2.5E1, \"label\": 1.5}");
    JsonNode out = json(evaluate("test-pointwise", file));
    assertThat(keys(out)).containsExactly("count", "score_sum", "label_sum", "labels", "undefined");
    assertThat(out.get("count").doubleValue()).isEqualTo(3);
    assertThat(out.get("score_sum").doubleValue()).isCloseTo(22.5, within(1e-12));
    assertThat(out.get("label_sum").doubleValue()).isCloseTo(2.5, within(1e-12));
    assertThat(doubles(out.get("labels"))).containsExactly(1, 0, 1.5);
    assertThat(out.get("undefined").isNull()).isTrue();
  }

  @Test
  void parametersReachTheEvaluator() throws IOException {
    Path file = write("p.jsonl", GOOD_POINTWISE);
    assertThat(json(evaluate("test-pointwise", file, "--param", "scale=10")).get("score_sum").doubleValue())
        .isCloseTo(3.0, within(1e-12));
    assertThat(json(evaluate("test-pointwise", file, "-p", "scale=10", "-p", "note=x")).get("score_sum")
        .doubleValue()).isCloseTo(3.0, within(1e-12));
  }

  @Test
  void multiclass() throws IOException {
    Path file = write("m.jsonl", """
        {"scores": [0.1, 2.3, -1.0], "label": 1}
        {"scores": [1, 0, 0], "label": 0}

        {"scores": [0, 0, 5e-1], "label": 2.0}
        {"scores": [0, 0, 0], "label": 1}
        """);
    JsonNode out = json(evaluate("test-multiclass", file));
    assertThat(out.get("count").doubleValue()).isEqualTo(4);
    assertThat(out.get("classes").doubleValue()).isEqualTo(3);
    assertThat(doubles(out.get("per_class"))).containsExactly(1, 2, 1);
    assertThat(out.get("score_sum").doubleValue()).isCloseTo(2.9, within(1e-12));
  }

  @Test
  void multilabel() throws IOException {
    Path file = write("ml.jsonl", """
        {"scores": [0.9, 0.2, 0.6], "labels": [1, 0, 1]}
        {"scores": [0.1, 0.8, 0.3], "labels": [0, 1, 1]}
        """);
    JsonNode out = json(evaluate("test-multilabel", file));
    assertThat(out.get("count").doubleValue()).isEqualTo(2);
    assertThat(out.get("labels").doubleValue()).isEqualTo(3);
    assertThat(doubles(out.get("positives"))).containsExactly(1, 1, 2);
    assertThat(out.get("score_sum").doubleValue()).isCloseTo(2.9, within(1e-12));
  }

  @Test
  void aNamedPipeIsReadOnceAsAStreamAsProcessSubstitutionGivesIt() throws Exception {
    Path fifo = dir.resolve("predictions.fifo");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo");
    String lines = "{\"score\": 0.9, \"label\": 1}\n{\"score\": 0.2, \"label\": 0}\n{\"score\": 0.4, \"label\": 1}\n";
    Thread writer = new Thread(() -> {
      try {
        Files.writeString(fifo, lines); // blocks until ce opens the pipe
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    CliRun run = ce("evaluate", "--evaluator", "binary-classification", "--predictions", fifo.toString());
    writer.join(10_000);
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    Path file = Files.writeString(dir.resolve("same.jsonl"), lines);
    assertThat(run.out())
        .isEqualTo(ce("evaluate", "--evaluator", "binary-classification", "--predictions", file.toString()).out());
  }

  @Test
  void rankingGroupsLinesByQueryInOrderOfFirstAppearance() throws IOException {
    Path file = write("r.jsonl", """
        {"query_id": "q7", "score": 3.2, "label": 2}
        {"query_id": 42, "score": 1.0, "label": 0}
        {"query_id": "q7", "score": -1.5, "label": 0}
        {"query_id": "abc", "score": 0.0, "label": 1}
        {"query_id": 42, "score": 2.0, "label": 3}
        {"query_id": "q7", "score": 0.5, "label": 1}
        """);
    JsonNode out = json(evaluate("test-ranking", file));
    assertThat(out.get("queries").doubleValue()).isEqualTo(3);
    assertThat(doubles(out.get("documents_per_query"))).containsExactly(3, 2, 1);
    assertThat(doubles(out.get("first_query_scores"))).containsExactly(3.2, -1.5, 0.5);
    assertThat(out.get("grade_sum").doubleValue()).isEqualTo(7);
    assertThat(doubles(out.get("id_lengths"))).containsExactly(2, 2, 3);
  }

  /** (evaluator, file content, line, fragments the message must contain). */
  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"label\": 1}\n{\"score\": 0.5, \"label\"\n", 2,
            List.of("malformed JSON")),
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"label\": 1} {\"score\": 1}\n", 1,
            List.of("column 28", "unexpected text after the JSON object")),
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"label\": 1} x\n", 1, List.of("malformed JSON")),
        Arguments.of("test-pointwise", "{'score': 0.5, 'label': 1}\n", 1, List.of("malformed JSON")),
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"score\": 0.6, \"label\": 1}\n", 1,
            List.of("malformed JSON", "score")),
        Arguments.of("test-pointwise", "[0.5, 1]\n", 1, List.of("expected a JSON object", "array")),
        Arguments.of("test-pointwise", "\n\n0.5\n", 3, List.of("expected a JSON object")),
        Arguments.of("test-pointwise", "{\"label\": 1}\n", 1, List.of("missing field 'score'")),
        Arguments.of("test-pointwise", "{\"score\": 1}\n", 1, List.of("missing field 'label'")),
        Arguments.of("test-pointwise", "{\"score\": \"high\", \"label\": 1}\n", 1,
            List.of("field 'score' must be a number", "\"high\"")),
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"label\": true}\n", 1,
            List.of("field 'label' must be a number", "boolean")),
        Arguments.of("test-pointwise", "{\"score\": null, \"label\": 1}\n", 1, List.of("field 'score' is null")),
        Arguments.of("test-pointwise", GOOD_POINTWISE + "{\"score\": NaN, \"label\": 1}\n", 3,
            List.of("field 'score'", "NaN", "finite")),
        Arguments.of("test-pointwise", "{\"score\": Infinity, \"label\": 1}\n", 1,
            List.of("field 'score'", "Infinity", "finite")),
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"label\": 1}\n{\"score\": 1e999, \"label\": 0}\n", 2,
            List.of("field 'score'", "Infinity", "finite")),
        Arguments.of("test-pointwise", "{\"score\": -1e999, \"label\": 0}\n", 1,
            List.of("field 'score'", "-Infinity")),
        Arguments.of("test-pointwise", "{\"score\": 0.5, \"label\": 1e400}\n", 1, List.of("field 'label'", "finite")),
        Arguments.of("test-multiclass", "{\"scores\": [1, 2, 3], \"label\": 0}\n\n{\"scores\": [1, 2], \"label\": 0}\n",
            3, List.of("'scores' has 2 values but line 1 has 3")),
        Arguments.of("test-multiclass", "{\"scores\": [1, 2, 3], \"label\": 3}\n", 1,
            List.of("field 'label' is 3", "class index from 0 to 2")),
        Arguments.of("test-multiclass", "{\"scores\": [1, 2, 3], \"label\": -1}\n", 1, List.of("field 'label' is -1")),
        Arguments.of("test-multiclass", "{\"scores\": [1, 2, 3], \"label\": 1.5}\n", 1,
            List.of("field 'label' must be a whole number", "1.5")),
        Arguments.of("test-multiclass", "{\"scores\": [], \"label\": 0}\n", 1, List.of("'scores' is an empty array")),
        Arguments.of("test-multiclass", "{\"scores\": 0.5, \"label\": 0}\n", 1,
            List.of("field 'scores' must be an array")),
        Arguments.of("test-multiclass", "{\"scores\": [1, \"x\"], \"label\": 0}\n", 1,
            List.of("'scores'[1] must be a number")),
        Arguments.of("test-multiclass", "{\"scores\": [1, NaN], \"label\": 0}\n", 1, List.of("'scores'[1]", "NaN")),
        Arguments.of("test-multilabel", "{\"scores\": [1, 2], \"labels\": [1, 0]}\n{\"scores\": [1], \"labels\": [1]}\n",
            2, List.of("'scores' has 1 values but line 1 has 2")),
        Arguments.of("test-multilabel", "{\"scores\": [1, 2], \"labels\": [1]}\n", 1,
            List.of("field 'labels' has 1 values but 'scores' has 2")),
        Arguments.of("test-multilabel", "{\"scores\": [1, 2], \"labels\": [1, 2]}\n", 1,
            List.of("'labels'[1] is 2", "0 or 1")),
        Arguments.of("test-multilabel", "{\"scores\": [1, 2], \"label\": [1, 0]}\n", 1,
            List.of("missing field 'labels'")),
        Arguments.of("test-ranking", "{\"score\": 1, \"label\": 1}\n", 1, List.of("missing field 'query_id'")),
        Arguments.of("test-ranking", "{\"query_id\": true, \"score\": 1, \"label\": 1}\n", 1,
            List.of("field 'query_id' must be a string")),
        Arguments.of("test-ranking", "{\"query_id\": \"q\", \"score\": 1, \"label\": -1}\n", 1,
            List.of("field 'label' is -1.0", ">= 0")));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void badFilesExitTwoWithOneMessageNamingFileAndLine(String evaluator, String content, int line,
      List<String> fragments) throws IOException {
    Path file = write("bad.jsonl", content);
    CliRun run = evaluate(evaluator, file);
    assertBadInput(run);
    assertThat(run.err()).containsPattern(Pattern.quote(file + ", line " + line) + "(, column \\d+)?: ");
    assertThat(run.err()).contains(fragments);
  }

  @Test
  void invalidUtf8NamesTheLine() throws IOException {
    Path file = dir.resolve("latin1.jsonl");
    Files.write(file, "{\"score\": 0.5, \"label\": 1}\n{\"score\": 0.5, \"label\": 1, \"t\": \"caf\u00e9\"}\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    CliRun run = evaluate("test-pointwise", file);
    assertBadInput(run);
    assertThat(run.err()).contains(file + ", line 2", "UTF-8");
  }

  @Test
  void utf16IsNotUtf8() throws IOException {
    Path file = dir.resolve("utf16.jsonl");
    Files.write(file, "\uFEFF{\"score\": 0.5, \"label\": 1}\n".getBytes(StandardCharsets.UTF_16LE));
    CliRun run = evaluate("test-pointwise", file);
    assertBadInput(run);
    assertThat(run.err()).contains(file + ", line 1: not UTF-8 text");
  }

  @Test
  void emptyFile() throws IOException {
    Path file = write("empty.jsonl", "");
    CliRun run = evaluate("test-pointwise", file);
    assertBadInput(run);
    assertThat(run.err()).contains("'" + file + "' is empty");
  }

  @Test
  void fileOfBlankLinesIsEmpty() throws IOException {
    Path file = write("blank.jsonl", "\n  \n\t\n");
    CliRun run = evaluate("test-pointwise", file);
    assertBadInput(run);
    assertThat(run.err()).contains("'" + file + "' is empty");
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("missing.jsonl");
    CliRun run = evaluate("test-pointwise", file);
    assertBadInput(run);
    assertThat(run.err()).contains(file + ": file not found");
  }

  @Test
  void directoryInsteadOfFile() {
    CliRun run = evaluate("test-pointwise", dir);
    assertBadInput(run);
    assertThat(run.err()).contains(dir + ": is a directory, not a file");
  }

  /** (extra arguments, fragments the message must contain). */
  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of(List.of("--param", "scale=0"), List.of("evaluator 'test-pointwise'", "parameter 'scale'", "> 0")),
        Arguments.of(List.of("--param", "scale=abc"), List.of("parameter 'scale' must be a number", "abc")),
        Arguments.of(List.of("--param", "bogus=1"),
            List.of("unknown parameter 'bogus'", "test-pointwise", "scale, note")),
        Arguments.of(List.of("--param", "scale"), List.of("parameter 'scale'", "KEY=VALUE")),
        Arguments.of(List.of("--param", "=2"), List.of("KEY=VALUE")),
        Arguments.of(List.of("-p", "scale=1", "-p", "scale=2"), List.of("parameter 'scale' is given twice")));
  }

  @ParameterizedTest
  @MethodSource("badArguments")
  void badParametersExitTwoNamingTheParameter(List<String> extra, List<String> fragments) throws IOException {
    CliRun run = evaluate("test-pointwise", write("p.jsonl", GOOD_POINTWISE), extra.toArray(String[]::new));
    assertBadInput(run);
    assertThat(run.err()).contains(fragments);
  }

  @Test
  void unknownParameterIsRejectedBeforeTheFileIsRead() {
    CliRun run = evaluate("test-pointwise", dir.resolve("missing.jsonl"), "--param", "bogus=1");
    assertBadInput(run);
    assertThat(run.err()).contains("unknown parameter 'bogus'").doesNotContain("missing.jsonl");
  }

  @Test
  void unknownEvaluatorListsTheKnownOnes() throws IOException {
    CliRun run = evaluate("no-such-evaluator", write("p.jsonl", GOOD_POINTWISE));
    assertBadInput(run);
    assertThat(run.err()).contains("unknown evaluator 'no-such-evaluator'",
        "test-pointwise", "test-multiclass", "test-multilabel", "test-ranking");
  }

  @Test
  void evaluatorRejectionOfASampleNamesItsLine() throws IOException {
    Path file = write("p.jsonl", GOOD_POINTWISE + "\n{\"score\": 0.3, \"label\": 7}\n");
    CliRun run = evaluate("test-pointwise", file);
    assertBadInput(run);
    assertThat(run.err()).contains("evaluator 'test-pointwise': labels[2] is 7.0",
        "(sample 2 is " + file + ", line 4)");
  }

  @Test
  void carriageReturnsNewlinesAndBothEndLinesAlike() throws IOException {
    Path file = write("mixed.jsonl", "{\"score\": 0.1, \"label\": 1}\r{\"score\": 0.2, \"label\": 0}\r\n\r"
        + "{\"score\": 0.3, \"label\": 1}\n");
    JsonNode out = json(evaluate("test-pointwise", file));
    assertThat(out.get("count").doubleValue()).isEqualTo(3);
    // the fifth line by any editor's count: \r, \r\n, \r (an empty line), \n
    Path bad = write("bad-mac.jsonl", "{\"score\": 0.1, \"label\": 1}\r{\"score\": 0.2, \"label\": 0}\r\n\r"
        + "{\"score\": 0.3, \"label\": 1}\n{\"score\": 0.3}\r");
    CliRun run = evaluate("test-pointwise", bad);
    assertBadInput(run);
    assertThat(run.err()).contains(bad + ", line 5: missing field 'label'");
  }

  @Test
  void aNumberAndAStringWithTheSameTextAreNotOneQuery() throws IOException {
    Path file = write("ids.jsonl", """
        {"query_id": 7, "score": 3.2, "label": 2}
        {"query_id": "q1", "score": 1.0, "label": 0}

        {"query_id": "7", "score": 0.5, "label": 1}
        """);
    CliRun run = evaluate("test-ranking", file);
    assertBadInput(run);
    assertThat(run.err()).isEqualTo("ce evaluate: " + file + ", line 4: field 'query_id' is the string \"7\" but line 1"
        + " has the number 7; ce does not take a number and a string for one query: write each query's id the same"
        + " way on all its lines\n");

    CliRun reversed = evaluate("test-ranking", write("ids2.jsonl", """
        {"query_id": "7", "score": 3.2, "label": 2}
        {"query_id": 7, "score": 0.5, "label": 1}
        """));
    assertBadInput(reversed);
    assertThat(reversed.err()).contains("line 2: field 'query_id' is the number 7 but line 1 has the string \"7\"");
  }

  @Test
  void numbersAndStringsOfDifferentTextAreDistinctQueriesAndMinusZeroIsZero() throws IOException {
    Path file = write("ids.jsonl", """
        {"query_id": 7, "score": 1.0, "label": 1}
        {"query_id": "q7", "score": 2.0, "label": 0}
        {"query_id": -0, "score": 3.0, "label": 1}
        {"query_id": 0, "score": 4.0, "label": 1}
        {"query_id": 123456789012345678901234567890, "score": 5.0, "label": 1}
        {"query_id": "07", "score": 6.0, "label": 1}
        """);
    JsonNode out = json(evaluate("test-ranking", file));
    assertThat(out.get("queries").doubleValue()).isEqualTo(5);
    assertThat(doubles(out.get("documents_per_query"))).containsExactly(1, 1, 2, 1, 1);
    assertThat(doubles(out.get("id_lengths"))).containsExactly(1, 2, 1, 30, 2);
  }

  static Stream<Arguments> badQueryIds() {
    return Stream.of(
        Arguments.of("\"\"", "field 'query_id' is an empty string"),
        Arguments.of("\"  \"", "field 'query_id' is blank"),
        Arguments.of("7.5", "must be a string such as \"q1\" or a whole number, got 7.5"),
        Arguments.of("7.0", "must be a string such as \"q1\" or a whole number, got 7.0"),
        Arguments.of("true", "got the boolean true"),
        Arguments.of("null", "field 'query_id' is null"),
        Arguments.of("{\"id\": 1}", "got an object"),
        Arguments.of("[\"q1\"]", "got an array"));
  }

  @ParameterizedTest
  @MethodSource("badQueryIds")
  void aQueryIdThatIsNotANonBlankStringOrAWholeNumberIsRejected(String id, String fragment) throws IOException {
    Path file = write("ids.jsonl", "{\"query_id\": \"q\", \"score\": 1, \"label\": 1}\n"
        + "{\"query_id\": " + id + ", \"score\": 1, \"label\": 1}\n");
    CliRun run = evaluate("test-ranking", file);
    assertBadInput(run);
    assertThat(run.err()).contains(file + ", line 2: ", fragment);
  }

  static Stream<Arguments> jacksonInternals() {
    return Stream.of(
        Arguments.of("{\"score\": 0.5, \"label\": 1", "Unexpected end-of-input: expected close marker for Object"),
        Arguments.of("{\"score\": 0.5, \"label\": [1}", "Unexpected close marker '}': expected ']' (for Array starting at column 25)"),
        Arguments.of("{\"score\": 1" + "0".repeat(1200) + ", \"label\": 1}", "Number value length (1201) exceeds the maximum allowed (1000)"),
        Arguments.of("{\"score\": 1, \"score\": 2, \"label\": 1}", "Duplicate field 'score'"));
  }

  @ParameterizedTest
  @MethodSource("jacksonInternals")
  void malformedJsonIsExplainedWithoutJacksonsInternals(String line, String what) throws IOException {
    CliRun run = evaluate("test-pointwise", write("bad.jsonl", line + "\n"));
    assertBadInput(run);
    assertThat(run.err()).contains("line 1", what).doesNotContain("Source", "REDACTED", "StreamRead", "`");
  }

  static void assertBadInput(CliRun run) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("ce evaluate: ");
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    assertThat(run.errHasStackTrace()).as(run.err()).isFalse();
    assertThat(run.err()).doesNotContain("[Source", "REDACTED");
  }
}
