package dev.ce4j.cli.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

class TextLinesTest {
  @TempDir Path dir;

  private List<String> lines(byte[] content) throws IOException {
    Path file = Files.write(dir.resolve("f.txt"), content);
    List<String> out = new ArrayList<>();
    long n = TextLines.read(file, (number, line) -> {
      assertThat(number).isEqualTo(out.size() + 1);
      out.add(line);
    });
    assertThat(n).isEqualTo(out.size());
    return out;
  }

  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("", List.of()),
        Arguments.of("a", List.of("a")),
        Arguments.of("a\n", List.of("a")),
        Arguments.of("a\nb", List.of("a", "b")),
        Arguments.of("a\r\nb\r\n", List.of("a", "b")),
        Arguments.of("\n\n", List.of("", "")),
        Arguments.of("a\rb\n", List.of("a", "b")),
        Arguments.of("a\rb\rc", List.of("a", "b", "c")),
        Arguments.of("a\r\rb\r\n", List.of("a", "", "b")),
        Arguments.of("\uFEFFa\n\uFEFFb\n", List.of("a", "\uFEFFb")),
        Arguments.of("caf\u00e9 \u6f22\u5b57 \uD83D\uDE00\n", List.of("caf\u00e9 \u6f22\u5b57 \uD83D\uDE00")));
  }

  @ParameterizedTest
  @MethodSource("splits")
  void splitsAtNewlinesCarriageReturnsAndBothDroppingALeadingByteOrderMark(String text, List<String> expected)
      throws IOException {
    assertThat(lines(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }

  @Test
  void longLinesAcrossReadChunksStayWhole() throws IOException {
    String longLine = "x".repeat(200_000);
    assertThat(lines((longLine + "\nshort\n" + longLine).getBytes(StandardCharsets.UTF_8)))
        .containsExactly(longLine, "short", longLine);
  }

  @Test
  void bytesThatAreNotUtf8AreReportedOnTheirOwnLine() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append("line ").append(i).append('\n');
    }
    byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[good.length + 3];
    System.arraycopy(good, 0, content, 0, good.length);
    content[good.length] = 'a';
    content[good.length + 1] = (byte) 0xE9; // Latin-1 e-acute
    content[good.length + 2] = '\n';
    Path file = Files.write(dir.resolve("bad.txt"), content);
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 5001: not valid UTF-8 text; save the file as UTF-8");
  }

  @Test
  void aMissingFileOrADirectoryIsNamed() {
    Path missing = dir.resolve("missing.txt");
    assertThatThrownBy(() -> TextLines.read(missing, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("file '" + missing + "' does not exist");
    assertThatThrownBy(() -> TextLines.read(dir, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("'" + dir + "' is a directory, not a text file");
  }

  @Test
  void aUtf16FileIsNamedAsSuch() throws IOException {
    Path file = Files.write(dir.resolve("utf16.txt"), "\uFEFFparis\nberlin\n".getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 1: not UTF-8 text (it starts with a UTF-16 byte order mark); save the file as UTF-8");
  }

  @Test
  void aNulByteIsNamedOnItsLine() throws IOException {
    Path file = Files.write(dir.resolve("nul.txt"), "paris\nber\u0000lin\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 2: holds a NUL byte (UTF-16 text or a binary file?); save the file as UTF-8 text");
  }

  @Test
  void aLineLongerThan64MiBIsRefusedNamingIt() throws IOException {
    Path file = dir.resolve("huge.txt");
    try (var out = Files.newOutputStream(file)) {
      out.write("first\r".getBytes(StandardCharsets.UTF_8));
      byte[] block = new byte[1 << 20];
      java.util.Arrays.fill(block, (byte) 'x');
      for (int i = 0; i <= 64; i++) {
        out.write(block);
      }
    }
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ", line 2: the line is longer than 64 MiB");
  }
}
