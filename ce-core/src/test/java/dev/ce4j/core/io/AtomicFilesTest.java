package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private Stream<Path> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList().stream();
    }
  }

  @Test
  void writeReplacesAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("a.json");
    AtomicFiles.write(f, "one".getBytes());
    AtomicFiles.write(f, "two".getBytes());
    assertThat(Files.readString(f)).isEqualTo("two");
    assertThat(listing()).containsExactly(f);
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
  void contentsWrittenByACallbackReplaceTheTargetAndAFailureLeavesItUnchanged() throws Exception {
    Path f = dir.resolve("model.safetensors");
    AtomicFiles.write(f, tmp -> {
      assertThat(tmp.getParent()).isEqualTo(dir);
      assertThat(tmp.getFileName().toString()).startsWith(".model.safetensors.").endsWith(".tmp");
      Files.writeString(tmp, "weights");
    });
    assertThat(Files.readString(f)).isEqualTo("weights");
    assertThatThrownBy(() -> AtomicFiles.write(f, tmp -> {
      Files.writeString(tmp, "half");
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(Files.readString(f)).isEqualTo("weights");
    assertThat(listing()).containsExactly(f);
  }

  @Test
  void moveRenamesFoldersAndReplacesFiles() throws Exception {
    Path from = Files.createDirectories(dir.resolve(".tmp-1/sub"));
    Files.writeString(from.resolve("x"), "x");
    AtomicFiles.move(dir.resolve(".tmp-1"), dir.resolve("checkpoint-1"));
    assertThat(Files.readString(dir.resolve("checkpoint-1/sub/x"))).isEqualTo("x");
    Path a = Files.writeString(dir.resolve("a"), "a");
    Path b = Files.writeString(dir.resolve("b"), "b");
    AtomicFiles.move(a, b);
    assertThat(Files.readString(b)).isEqualTo("a");
    assertThat(a).doesNotExist();
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
