package dev.ce4j.cli.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PairsReaderTest {
  private static final Path FILE = Path.of("in.jsonl");

  @TempDir Path dir;

  @Test
  void readsPairsInFileOrderSkippingBlankLines() throws IOException {
    Path file = Files.writeString(dir.resolve("p.jsonl"),
        "[\"q1\", \"d1\"]\n\n  [ \"\" , \"\\u00e9\\n\\\"x\\\"\" ]  \n\t\n[\"q3\",\"d3\"]");
    assertThat(PairsReader.read(file)).containsExactly(
        TextPair.of("q1", "d1"), TextPair.of("", "\u00e9\n\"x\""), TextPair.of("q3", "d3"));
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("[\"q\", \"d\"", "in.jsonl, line 7, column ", "malformed JSON"),
        Arguments.of("nonsense", "in.jsonl, line 7, column ", "malformed JSON"),
        Arguments.of("[\"q\", \"d\"] \"x\"", "in.jsonl, line 7, column ", "unexpected text after the JSON array"),
        Arguments.of("[]", "in.jsonl, line 7: ", "got an array of 0 elements []"),
        Arguments.of("[\"q\", [\"d\"]]", "in.jsonl, line 7: ", "the document (second element) must be a string, got an array of 1 element [\"d\"]"),
        Arguments.of("[true, \"d\"]", "in.jsonl, line 7: ", "the query (first element) must be a string, got the boolean true"),
        Arguments.of("{\"q\": \"d\"}", "in.jsonl, line 7: ", "got an object {\"q\":\"d\"}"),
        Arguments.of("42", "in.jsonl, line 7: ", "got 42"),
        Arguments.of("[\"" + "x".repeat(100) + "\"]", "in.jsonl, line 7: ", "got an array of 1 element [\"xxxx"));
  }

  @ParameterizedTest
  @MethodSource("bad")
  void aBadLineIsNamedWithWhatIsWrongAndTheExpectedFormat(String line, String prefix, String what) {
    assertThatThrownBy(() -> PairsReader.parse(line, FILE, 7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(prefix)
        .hasMessageContaining(what)
        .hasMessageContaining("[\"query\", \"document\"]");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    assertThatThrownBy(() -> PairsReader.parse("[\"" + "x".repeat(100) + "\"]", FILE, 1))
        .hasMessageContaining("...")
        .hasMessageNotContaining("x".repeat(50));
  }

  @Test
  void carriageReturnsAloneEndLinesAndLineNumbersCountThem() throws IOException {
    Path file = Files.writeString(dir.resolve("mac.jsonl"), "[\"q1\", \"d1\"]\r\r[\"q2\", \"d2\"]\r\n[\"q3\" \"d3\"]\r");
    assertThatThrownBy(() -> PairsReader.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ", line 4, column ");
    Path good = Files.writeString(dir.resolve("good.jsonl"), "[\"q1\", \"d1\"]\r\r[\"q2\", \"d2\"]\r\n[\"q3\", \"d3\"]");
    assertThat(PairsReader.read(good)).containsExactly(TextPair.of("q1", "d1"), TextPair.of("q2", "d2"), TextPair.of("q3", "d3"));
  }

  static Stream<Arguments> jacksonInternals() {
    return Stream.of(
        Arguments.of("[\"q\", \"d\"", "malformed JSON: Unexpected end-of-input: expected close marker for Array (it starts at column 1)"),
        Arguments.of("[\"q\", 1" + "0".repeat(1500) + "]", "malformed JSON: Number value length (1501) exceeds the maximum allowed (1000)"),
        Arguments.of("[\"q\", {\"a\": 1]", "malformed JSON: Unexpected close marker ']': expected '}' (for Object starting at column 7)"));
  }

  /** Jackson's own wording stays; its source references and method names do not reach the user. */
  @ParameterizedTest
  @MethodSource("jacksonInternals")
  void messagesHoldNoJacksonInternals(String line, String what) {
    assertThatThrownBy(() -> PairsReader.parse(line, FILE, 7))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(what)
        .hasMessageNotContainingAny("Source", "REDACTED", "StreamRead", "`");
  }
}
