package dev.ce4j.core.io.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Line ends, line numbers, JSON strictness and messages, for every JSON Lines file ce reads. */
class JsonLinesTest {
  private static final String EXPECTED = "a JSON object such as {\"a\": \"x\"}";

  @TempDir Path dir;

  private List<String> read(Path file) {
    List<String> out = new ArrayList<>();
    JsonLines.forEachObject(file, EXPECTED, (line, node) -> out.add(line + " " + node.get("a").asText()));
    return out;
  }

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("f.jsonl"), content, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "line end {0}")
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void everyLineEndIsALineEndAndLinesAreCountedAlike(String end) throws Exception {
    Path f = write("{\"a\": \"x\"}" + end + end + "{\"a\": \"y\"}" + end + " \t" + end + "{\"a\": \"z\"}");
    assertThat(read(f)).containsExactly("1 x", "3 y", "5 z");
  }

  @Test
  void aByteOrderMarkIsIgnoredAndTheCountIsReturned() throws Exception {
    Path f = write("\uFEFF{\"a\": \"x\"}\n\n{\"a\": \"y\"}\n");
    assertThat(read(f)).containsExactly("1 x", "3 y");
    assertThat(JsonLines.forEachObject(f, EXPECTED, (line, node) -> { })).isEqualTo(2);
    assertThat(JsonLines.forEachObject(write("\n \n"), EXPECTED, (line, node) -> { })).isZero();
  }

  @Test
  void aBadRecordAfterLoneCarriageReturnsIsNamedByItsLineAndColumn() throws Exception {
    Path f = write("{\"a\": \"x\"}\r{\"a\": \"y\"}\r{\"a\": }\r");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f + ", line 3, column 7: malformed JSON: Unexpected character ('}'")
        .hasMessageEndingWith("; each line must be " + EXPECTED)
        .hasMessageNotContainingAny("Source", "REDACTED", "`");
  }

  @Test
  void nanAndInfinityAreParsedSoThatCallersCanNameThem() throws Exception {
    Path f = write("{\"a\": NaN}\n{\"a\": Infinity}\n{\"a\": -Infinity}\n");
    List<Double> values = new ArrayList<>();
    JsonLines.forEachObject(f, EXPECTED, (line, node) -> values.add(node.get("a").doubleValue()));
    assertThat(values).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
  }

  /** (line, message after "FILE, line 1"): what a line must not hold. */
  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("{\"a\": 1, \"a\": 2}", ", column 13: malformed JSON: Duplicate field 'a'; each line must be "),
        Arguments.of("{\"a\": 1} {\"a\": 2}", ", column 10: unexpected text after the JSON object; each line must be "),
        Arguments.of("{\"a\": 1} x", ", column 10: malformed JSON: Unrecognized token 'x'"),
        Arguments.of("{'a': 1}", ", column 2: malformed JSON: Unexpected character ('''"),
        Arguments.of("[1, 2]", ": expected " + EXPECTED + ", got an array of 2 elements [1,2]"),
        Arguments.of("\"text\"", ": expected " + EXPECTED + ", got the string \"text\""),
        Arguments.of("null", ": expected " + EXPECTED + ", got null"));
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void duplicateKeysTrailingTextAndOtherValuesAreErrors(String line, String message) throws Exception {
    Path f = write(line + "\n");
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f + ", line 1" + message);
  }

  @Test
  void anyValueIsReadByForEachValue() throws Exception {
    Path f = write("[\"q\", \"d\"]\n\n{\"a\": 1}\n7\n");
    List<String> out = new ArrayList<>();
    JsonLines.forEachValue(f, "anything", (line, node) -> out.add(line + " " + node));
    assertThat(out).containsExactly("1 [\"q\",\"d\"]", "3 {\"a\":1}", "4 7");
    assertThatThrownBy(() -> JsonLines.parse("[1] [2]", "in.jsonl, line 7", "an array"))
        .hasMessage("in.jsonl, line 7, column 5: unexpected text after the JSON array; each line must be an array");
  }

  @Test
  void describeNamesTheTypeAndShortensLongValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertThat(JsonLines.describe(null)).isEqualTo("nothing");
    assertThat(JsonLines.describe(f.arrayNode().add("d"))).isEqualTo("an array of 1 element [\"d\"]");
    assertThat(JsonLines.describe(f.objectNode().put("q", "d"))).isEqualTo("an object {\"q\":\"d\"}");
    assertThat(JsonLines.describe(f.booleanNode(true))).isEqualTo("the boolean true");
    assertThat(JsonLines.describe(f.numberNode(42))).isEqualTo("42");
    assertThat(JsonLines.describe(f.textNode("x".repeat(100)))).isEqualTo("the string \"" + "x".repeat(36) + "...");
  }

  @Test
  void writeGivesOneCompactObjectPerLineInUtf8() throws Exception {
    Path f = dir.resolve("out.jsonl");
    Files.writeString(f, "old contents that are longer than the new ones\n");
    ObjectNode one = JsonNodeFactory.instance.objectNode().put("query", "caf\u00e9").put("label", 1.0);
    ObjectNode two = JsonNodeFactory.instance.objectNode();
    two.putArray("pair").add("q").add("d");
    JsonLines.write(f, List.<JsonNode>of(one, two));
    String expected = "{\"query\":\"caf\u00e9\",\"label\":1.0}\n{\"pair\":[\"q\",\"d\"]}\n";
    assertThat(Files.readAllBytes(f)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFolderIsNotAJsonLinesFile() {
    assertThatThrownBy(() -> read(dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(dir + ": is a directory, not a file");
  }
}
