package dev.ce4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ce4j.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Line ends, line numbers and files that are not regular files, for every JSON Lines file ce trains on. */
class JsonLinesTest {
  @TempDir Path dir;

  private List<String> read(Path file) {
    List<String> out = new ArrayList<>();
    JsonLines.forEach(file, (node, origin) -> out.add(origin.line() + " " + node.get("a").asText()));
    return out;
  }

  @ParameterizedTest(name = "line end {0}")
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void everyLineEndIsALineEndAndLinesAreCountedAlike(String end) throws Exception {
    Path f = dir.resolve("f.jsonl");
    Files.writeString(f, "{\"a\": \"x\"}" + end + end + "{\"a\": \"y\"}" + end + "{\"a\": \"z\"}", StandardCharsets.UTF_8);
    assertThat(read(f)).containsExactly("1 x", "3 y", "4 z");
  }

  @Test
  void aBadRecordAfterLoneCarriageReturnsIsNamedByItsLine() throws Exception {
    Path f = dir.resolve("f.jsonl");
    Files.writeString(f, "{\"a\": \"x\"}\r{\"a\": \"y\"}\r{\"a\": }\r", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f + ":3: malformed JSON");
  }

  @Test
  void aFolderIsNotADataFile() {
    assertThatThrownBy(() -> read(dir))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(dir + ": not a regular file (a folder); give a JSON Lines file");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aNamedPipeIsRefusedInsteadOfWaitedOn() throws Exception {
    Path fifo = dir.resolve("train.jsonl");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    assertThatThrownBy(() -> read(fifo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(fifo + ": not a regular file (a pipe, socket or device); give a JSON Lines file");
    assertThatThrownBy(() -> DataFiles.sha256(fifo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a regular file");
  }
}
