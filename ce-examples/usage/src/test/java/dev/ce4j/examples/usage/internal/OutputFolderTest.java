package dev.ce4j.examples.usage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
  @TempDir Path tmp;

  @Test
  void createsAFolderThenEmptiesItOnTheNextRun() throws Exception {
    Path dir = tmp.resolve("a/b");
    OutputFolder.prepare(dir);
    assertThat(dir.resolve(OutputFolder.MARKER)).isRegularFile();
    Files.createDirectories(dir.resolve("run/model"));
    Files.writeString(dir.resolve("run/model/x.txt"), "x");
    OutputFolder.prepare(dir);
    assertThat(dir.resolve("run")).doesNotExist();
    assertThat(dir.resolve(OutputFolder.MARKER)).isRegularFile();
  }

  @Test
  void refusesAFolderAnExampleDidNotWriteAndKeepsItsFiles() throws Exception {
    Files.writeString(tmp.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> OutputFolder.prepare(tmp))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(tmp.toString())
        .hasMessageContaining("not empty and was not written by an example");
    assertThat(tmp.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  void refusesAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("f"), "");
    assertThatThrownBy(() -> OutputFolder.prepare(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is a file");
  }
}
