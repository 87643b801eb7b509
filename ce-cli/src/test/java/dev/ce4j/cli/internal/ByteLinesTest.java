package dev.ce4j.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ByteLinesTest {

  private static List<String> lines(byte[] content, int max) throws IOException {
    List<String> out = new ArrayList<>();
    long n = ByteLines.read(new ByteArrayInputStream(content), max, number -> new IllegalStateException("line " + number),
        (number, bytes, length) -> {
          assertThat(number).isEqualTo(out.size() + 1);
          out.add(new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
        });
    assertThat(n).isEqualTo(out.size());
    return out;
  }

  /** (content, lines): each case worked out by hand; \r, \n and \r\n end a line alike. */
  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("", List.of()),
        Arguments.of("a", List.of("a")),
        Arguments.of("a\n", List.of("a")),
        Arguments.of("a\r", List.of("a")),
        Arguments.of("a\r\n", List.of("a")),
        Arguments.of("a\rb\rc", List.of("a", "b", "c")),
        Arguments.of("a\nb\r\nc\rd", List.of("a", "b", "c", "d")),
        Arguments.of("\r\r", List.of("", "")),
        Arguments.of("\r\n\r\n", List.of("", "")),
        Arguments.of("\n\r", List.of("", "")),
        Arguments.of("a\r\r\nb", List.of("a", "", "b")),
        Arguments.of("a\n\rb", List.of("a", "", "b")),
        Arguments.of("\t x \r", List.of("\t x ")));
  }

  @ParameterizedTest
  @MethodSource("splits")
  void carriageReturnsNewlinesAndBothEndALine(String content, List<String> expected) throws IOException {
    assertThat(lines(content.getBytes(StandardCharsets.ISO_8859_1), 100)).isEqualTo(expected);
  }

  @Test
  void aCarriageReturnAtTheEndOfAReadChunkPairsWithTheNewlineAfterIt() throws IOException {
    // the reader reads 64 KiB at a time: the \r is the chunk's last byte, its \n the next chunk's first
    String first = "x".repeat((1 << 16) - 1);
    byte[] content = (first + "\r\nsecond\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(lines(content, 1 << 20)).containsExactly(first, "second");
    // and a \r alone there is a line end of its own
    byte[] alone = (first + "\rsecond").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(lines(alone, 1 << 20)).containsExactly(first, "second");
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedWithItsNumber() {
    byte[] content = ("short\r" + "y".repeat(11) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> lines(content, 10)).isInstanceOf(IllegalStateException.class).hasMessage("line 2");
    assertThat(catchLines("y".repeat(10), 10)).containsExactly("y".repeat(10));
  }

  private static List<String> catchLines(String content, int max) {
    try {
      return lines(content.getBytes(StandardCharsets.ISO_8859_1), max);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
