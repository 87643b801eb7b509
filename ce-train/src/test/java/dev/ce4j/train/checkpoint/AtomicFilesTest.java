package dev.ce4j.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeReplacesAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("a.json");
    AtomicFiles.write(f, "one".getBytes());
    AtomicFiles.write(f, "two".getBytes());
    assertThat(Files.readString(f)).isEqualTo("two");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).containsExactly(f);
    }
  }

  @Test
  void deleteTreeRemovesNestedFoldersAndToleratesAbsence() throws Exception {
    Path root = dir.resolve("x");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/c.txt"), "c");
    AtomicFiles.fsyncTree(root);
    AtomicFiles.deleteTree(root);
    assertThat(Files.exists(root)).isFalse();
    AtomicFiles.deleteTree(root);
  }
}
