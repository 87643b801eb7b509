package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.DebugHooks;
import dev.ce4j.train.manifest.RunManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One output folder, one training at a time, across processes: a run in another JVM holds the
 * folder for its whole life (a second run, new or resumed, is refused at once naming the holder's
 * process), and two runs started together into one new folder never both train there.
 */
class RunFolderLockTest {
  @TempDir Path dir;

  private static TrainingResult trainHere(Path out, boolean resume) {
    TrainingArguments args = TrainingArguments.read(ChildJvm.TINY);
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume)
        .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build()) {
      return t.train();
    }
  }

  @Test
  void aRunningTrainingHoldsItsFolderUntilItEnds() {
    Path out = dir.resolve("run");
    ChildJvm running = ChildJvm.start(dir.resolve("logs"), "running", Map.of(DebugHooks.VARIABLE, "step:4"),
        ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out));
    try {
      running.awaitStderr("paused after step 4");
      for (boolean resume : new boolean[] {false, true}) {
        assertThatThrownBy(() -> trainHere(out, resume))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("the output folder " + out + " is in use by another training run (process "
                + running.pid() + " on ");
      }
      assertThat(RunManifest.read(out.resolve("run.json")).checkpoints()).hasSize(1);
    } finally {
      running.kill();
    }
    // killed, it holds nothing: the run resumes to its end
    assertThat(trainHere(out, true).steps()).isEqualTo(24);
  }

  @Test
  void twoRunsStartedTogetherIntoOneFolderNeverBothTrainThere() {
    Path out = dir.resolve("run");
    List<ChildJvm> children = List.of(
        ChildJvm.start(dir.resolve("logs"), "a", Map.of(), ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out)),
        ChildJvm.start(dir.resolve("logs"), "b", Map.of(), ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out)));
    int ok = 0;
    String winner = null;
    for (ChildJvm c : children) {
      if (c.awaitAnyExit() == 0) {
        ok++;
        winner = c.fingerprint();
      } else {
        assertThat(c.stderr()).containsAnyOf("is in use by another training run", "already holds a training run");
      }
    }
    assertThat(ok).as("runs that trained").isEqualTo(1);
    RunManifest m = RunManifest.read(out.resolve("run.json"));
    assertThat(m.finalFingerprint()).isEqualTo(winner);
    assertThat(m.checkpoints()).extracting(c -> c.step()).containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L);
  }
}
