package dev.ce4j.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run folder may hold for a new run and for a resume, and its lock within one JVM. */
class RunFolderTest {
  @TempDir Path dir;

  @Test
  void aNewRunCreatesTheFolderAndWritesItsHolderIntoTheLockFile() throws Exception {
    Path out = dir.resolve("a/b/run");
    try (RunFolder f = RunFolder.forNewRun(out)) {
      assertThat(f.path()).isEqualTo(out);
      assertThat(Files.readString(out.resolve(RunFolder.LOCK_FILE)))
          .startsWith("process " + ProcessHandle.current().pid() + " on ");
    }
    assertThat(out.resolve(RunFolder.LOCK_FILE)).isEmptyFile();
  }

  @Test
  void aNewRunRefusesARunAndAnythingElse() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve("run.json"), "{}");
    assertThatThrownBy(() -> RunFolder.forNewRun(run)).hasMessageContaining("already holds a training run");
    Path ckpt = Files.createDirectories(dir.resolve("ckpt").resolve("checkpoint-3.tmp-1"));
    assertThatThrownBy(() -> RunFolder.forNewRun(ckpt.getParent())).hasMessageContaining("already holds a training run");
    Path other = Files.createDirectories(dir.resolve("other"));
    for (int i = 0; i < 7; i++) {
      Files.writeString(other.resolve("f" + i), "");
    }
    assertThatThrownBy(() -> RunFolder.forNewRun(other))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(it holds f0, f1, f2, f3, f4 and 2 more)");
  }

  @Test
  void aResumeNeedsARun() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(run.resolve("checkpoint-3"));
    try (RunFolder f = RunFolder.forResume(run)) {
      assertThat(f.path()).isEqualTo(run);
    }
    assertThatThrownBy(() -> RunFolder.forResume(dir.resolve("missing")))
        .hasMessageContaining("nothing to resume: the output folder " + dir.resolve("missing") + " does not exist");
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void aFileIsNotAFolderAndAFolderUnderAFileCannotBeMade() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThatThrownBy(() -> RunFolder.forNewRun(file)).hasMessageContaining("the output " + file + " is a file, not a folder");
    assertThatThrownBy(() -> RunFolder.forNewRun(file.resolve("sub")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot create the output folder " + file.resolve("sub") + ": ")
        .hasMessageContaining("Not a directory");
  }

  @Test
  void theLockIsHeldUntilClosed() {
    Path out = dir.resolve("run");
    RunFolder first = RunFolder.forNewRun(out);
    assertThatThrownBy(() -> RunFolder.forNewRun(out)).hasMessageContaining("is in use by another training run (process ");
    first.close();
    first.close(); // idempotent
    RunFolder.forNewRun(out).close();
  }
}
