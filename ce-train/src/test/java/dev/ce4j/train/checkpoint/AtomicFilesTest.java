package dev.ce4j.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
  void aWrittenFileHasTheDefaultPermissionsLikeAnyNewFileNotOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Path plain = Files.createFile(dir.resolve("plain"));
    Path f = dir.resolve("run.json");
    AtomicFiles.write(f, "{}".getBytes());
    assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
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
