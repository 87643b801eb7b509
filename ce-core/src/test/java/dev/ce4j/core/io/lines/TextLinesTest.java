package dev.ce4j.core.io.lines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextLinesTest {
  @TempDir Path dir;

  /** The lines handed on, each as {@code "N text"}. */
  private List<String> lines(byte[] content, int max) throws IOException {
    Path file = Files.write(dir.resolve("f.txt"), content);
    List<String> out = new ArrayList<>();
    long n = TextLines.read(file, max, (number, line) -> out.add(number + " " + line));
    assertThat(n).isEqualTo(out.size());
    return out;
  }

  private List<String> lines(String content) throws IOException {
    return lines(content.getBytes(StandardCharsets.UTF_8), TextLines.MAX_LINE_BYTES);
  }

  /** (content, lines): each case worked out by hand; \r, \n and \r\n end a line alike. */
  static Stream<Arguments> splits() {
    return Stream.of(
        Arguments.of("", List.of()),
        Arguments.of("a", List.of("1 a")),
        Arguments.of("a\n", List.of("1 a")),
        Arguments.of("a\r", List.of("1 a")),
        Arguments.of("a\r\n", List.of("1 a")),
        Arguments.of("a\nb", List.of("1 a", "2 b")),
        Arguments.of("a\r\nb\r\n", List.of("1 a", "2 b")),
        Arguments.of("a\rb\n", List.of("1 a", "2 b")),
        Arguments.of("a\rb\rc", List.of("1 a", "2 b", "3 c")),
        Arguments.of("a\nb\r\nc\rd", List.of("1 a", "2 b", "3 c", "4 d")),
        Arguments.of("\r\r", List.of()),
        Arguments.of("\r\n\r\nx", List.of("3 x")),
        Arguments.of("\n\rx", List.of("3 x")),
        Arguments.of("a\r\r\nb", List.of("1 a", "3 b")),
        Arguments.of("a\n\rb", List.of("1 a", "3 b")),
        Arguments.of("a\r\rb\r\n", List.of("1 a", "3 b")),
        Arguments.of(" \t\f\u2003\nx", List.of("2 x")),
        Arguments.of("\t x \r", List.of("1 \t x ")),
        Arguments.of("\uFEFFa\n\uFEFFb\n", List.of("1 a", "2 \uFEFFb")),
        Arguments.of("\uFEFF\nb", List.of("2 b")),
        Arguments.of("caf\u00e9 \u6f22\u5b57 \uD83D\uDE00\n", List.of("1 caf\u00e9 \u6f22\u5b57 \uD83D\uDE00")));
  }

  @ParameterizedTest
  @MethodSource("splits")
  void splitsAtNewlinesCarriageReturnsAndBothSkippingBlankLinesButCountingThem(String text, List<String> expected)
      throws IOException {
    assertThat(lines(text)).isEqualTo(expected);
  }

  @Test
  void aCarriageReturnAtTheEndOfAReadChunkPairsWithTheNewlineAfterIt() throws IOException {
    // the reader reads 64 KiB at a time: the \r is the chunk's last byte, its \n the next chunk's first
    String first = "x".repeat((1 << 16) - 1);
    assertThat(lines(first + "\r\nsecond\r\n")).containsExactly("1 " + first, "2 second");
    // and a \r alone there is a line end of its own
    assertThat(lines(first + "\rsecond")).containsExactly("1 " + first, "2 second");
  }

  @Test
  void longLinesAcrossReadChunksStayWhole() throws IOException {
    String longLine = "x".repeat(200_000);
    assertThat(lines(longLine + "\nshort\n" + longLine)).containsExactly("1 " + longLine, "2 short", "3 " + longLine);
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedWithItsNumber() throws IOException {
    byte[] content = ("short\r" + "y".repeat(11) + "\n").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> lines(content, 10))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(dir.resolve("f.txt") + ", line 2: the line is longer than 10 bytes;"
            + " is this a text file with one entry per line?");
    assertThat(lines("y".repeat(10).getBytes(StandardCharsets.UTF_8), 10)).containsExactly("1 " + "y".repeat(10));
  }

  @Test
  void aLineLongerThan64MiBIsRefusedNamingIt() throws IOException {
    Path file = dir.resolve("huge.txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("first\r".getBytes(StandardCharsets.UTF_8));
      byte[] block = new byte[1 << 20];
      Arrays.fill(block, (byte) 'x');
      for (int i = 0; i <= 64; i++) {
        out.write(block);
      }
    }
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ", line 2: the line is longer than 64 MiB");
  }

  @Test
  void bytesThatAreNotUtf8AreReportedOnTheirOwnLine() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append("line ").append(i).append('\n');
    }
    byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] content = Arrays.copyOf(good, good.length + 3);
    content[good.length] = 'a';
    content[good.length + 1] = (byte) 0xE9; // Latin-1 e-acute
    content[good.length + 2] = '\n';
    Path file = Files.write(dir.resolve("bad.txt"), content);
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 5001: not valid UTF-8 text; save the file as UTF-8");
  }

  @Test
  void aUtf16FileIsNamedAsSuch() throws IOException {
    Path file = Files.write(dir.resolve("utf16.txt"), "\uFEFFparis\nberlin\n".getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 1: not UTF-8 text (it starts with a UTF-16 byte order mark);"
            + " save the file as UTF-8");
  }

  @Test
  void aNulByteIsNamedOnItsLine() throws IOException {
    Path file = Files.write(dir.resolve("nul.txt"), "paris\nber\u0000lin\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 2: holds a NUL byte (UTF-16 text or a binary file?); save the file as UTF-8 text");
  }

  @Test
  void aMissingFileOrAFolderIsNamed() {
    Path missing = dir.resolve("missing.txt");
    assertThatThrownBy(() -> TextLines.read(missing, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(missing + ": file not found");
    assertThatThrownBy(() -> TextLines.read(dir, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(dir + ": is a directory, not a file");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aNamedPipeIsRefusedInsteadOfWaitedOn() throws Exception {
    Path fifo = dir.resolve("train.jsonl");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
    assertThatThrownBy(() -> TextLines.read(fifo, (n, l) -> { }))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(fifo + ": not a regular file (a named pipe (FIFO)); give the path of an ordinary file");
  }

  @Test
  void whatTheHandlerThrowsIsPassedOn() throws IOException {
    Path file = Files.writeString(dir.resolve("h.txt"), "a\nb\n");
    assertThatThrownBy(() -> TextLines.read(file, (n, l) -> {
      throw new InvalidInputException(TextLines.location(file.toString(), n) + ": bad");
    })).isInstanceOf(InvalidInputException.class).hasMessage(file + ", line 1: bad");
  }
}
