package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.progress.MetricsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reproducibility guarantees of {@link CrossEncoderTrainer}, each checked with real training
 * of {@code ce-examples/configs/tiny.json} (24 steps, a checkpoint every 3) in separate JVMs:
 * same seed in a new JVM gives the same weights and metrics; a run killed with SIGKILL at several
 * points and resumed ends bitwise identical to the uninterrupted run; another seed gives other
 * weights, another data seed alone another order from the same initial weights.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReproducibilityTest {
  @TempDir static Path dir;

  private Path reference;
  private ChildJvm referenceRun;
  private String referenceFingerprint;

  @BeforeAll
  void trainReference() {
    reference = dir.resolve("reference");
    referenceRun = ChildJvm.start(dir.resolve("logs"), "reference", Map.of(), ChildJvm.path(ChildJvm.TINY), ChildJvm.path(reference));
    referenceRun.awaitExit(0);
    referenceFingerprint = referenceRun.fingerprint();
  }

  @Test
  void sameSeedInANewJvmGivesTheSameFingerprintAndMetricLog() throws IOException {
    Path again = dir.resolve("again");
    String fp = ChildJvm.run(dir.resolve("logs"), "again", ChildJvm.path(ChildJvm.TINY), ChildJvm.path(again));

    assertThat(fp).matches("[0-9a-f]{64}").isEqualTo(referenceFingerprint);
    assertSameRun(again);
  }

  @Test
  void strictDeterminismSwitchesOnLibtorchsDeterministicAlgorithmsAndGivesTheSameRun() throws IOException {
    Path strict = dir.resolve("strict");
    ChildJvm run = ChildJvm.start(dir.resolve("logs"), "strict", Map.of(),
        ChildJvm.path(ChildJvm.TINY), ChildJvm.path(strict), "--strict");
    run.awaitExit(0);

    assertThat(run.stderr()).contains(
        "DETERMINISM Flags[deterministicAlgorithms=true, warnOnly=false, deterministicCudnn=true,"
            + " benchmarkCudnn=false]");
    assertThat(run.fingerprint()).isEqualTo(referenceFingerprint);
    assertSameRun(strict);
  }

  /**
   * Kill points: after step 7 (one step past checkpoint 6, second epoch), after step 10
   * (mid-epoch, two steps after an evaluation), and inside the write of checkpoint 12 (files
   * written, not committed).
   */
  @ParameterizedTest
  @ValueSource(strings = {"step:7", "step:10", "checkpoint:12"})
  void aRunKilledAndResumedEndsIdenticalToTheUninterruptedRun(String killPoint) throws IOException {
    Path out = dir.resolve("killed-" + killPoint.replace(':', '-'));
    ChildJvm victim =
        ChildJvm.start(dir.resolve("logs"), "victim-" + killPoint.replace(':', '-'),
            Map.of("CE_TRAIN_PAUSE_AT", killPoint), ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out));
    victim.awaitStderr("ce-train: paused");
    victim.kill();
    if (killPoint.startsWith("checkpoint:")) {
      assertThat(new CheckpointDirectory(out).incomplete()).as("a half-written checkpoint is left").hasSize(1);
      assertThat(new CheckpointDirectory(out).find(12)).isEmpty();
    }

    ChildJvm resumed =
        ChildJvm.start(dir.resolve("logs"), "resumed-" + killPoint.replace(':', '-'), Map.of(),
            ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out), "--resume");
    resumed.awaitExit(0);

    assertThat(resumed.stderr()).contains("ce-train: resuming from");
    assertThat(resumed.fingerprint()).isEqualTo(referenceFingerprint);
    assertSameRun(out);
    assertThat(new CheckpointDirectory(out).incomplete()).isEmpty();
  }

  @Test
  void aRunKilledTwiceAtAnUnplannedMomentAndResumedEndsIdentical() throws IOException {
    Path out = dir.resolve("killed-twice");
    ChildJvm first =
        ChildJvm.start(dir.resolve("logs"), "twice-1", Map.of(), ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out));
    // kill as soon as checkpoint 3 is complete: the moment within step 4 is not planned
    first.awaitCondition(() -> Files.exists(out.resolve("checkpoint-3").resolve("COMPLETE")), "checkpoint 3");
    first.kill();
    ChildJvm second =
        ChildJvm.start(dir.resolve("logs"), "twice-2", Map.of("CE_TRAIN_PAUSE_AT", "step:17"),
            ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out), "--resume");
    second.awaitStderr("ce-train: paused");
    second.kill();
    String fp = ChildJvm.run(dir.resolve("logs"), "twice-3", ChildJvm.path(ChildJvm.TINY), ChildJvm.path(out), "--resume");

    assertThat(fp).isEqualTo(referenceFingerprint);
    assertSameRun(out);
  }

  @Test
  void anotherSeedGivesAnotherFingerprintAndAnotherDataSeedAloneKeepsTheInitialWeights() {
    ChildJvm seed = ChildJvm.start(dir.resolve("logs"), "seed7", Map.of(),
        ChildJvm.path(ChildJvm.TINY), ChildJvm.path(dir.resolve("seed7")), "--seed", "7");
    seed.awaitExit(0);
    ChildJvm data = ChildJvm.start(dir.resolve("logs"), "data99", Map.of(),
        ChildJvm.path(ChildJvm.TINY), ChildJvm.path(dir.resolve("data99")), "--data-seed", "99");
    data.awaitExit(0);

    assertThat(seed.initialFingerprint()).isNotEqualTo(referenceRun.initialFingerprint());
    assertThat(seed.fingerprint()).isNotEqualTo(referenceFingerprint);

    assertThat(data.initialFingerprint()).isEqualTo(referenceRun.initialFingerprint());
    assertThat(data.fingerprint()).isNotEqualTo(referenceFingerprint);
    RunManifest ref = RunManifest.read(reference.resolve(RunManifest.FILE_NAME));
    RunManifest other = RunManifest.read(dir.resolve("data99").resolve(RunManifest.FILE_NAME));
    assertThat(other.seeds().derived().get("weight-init")).isEqualTo(ref.seeds().derived().get("weight-init"));
    assertThat(other.seeds().derived().get("data-order")).isNotEqualTo(ref.seeds().derived().get("data-order"));
  }

  /** The manifest's checkpoint fingerprints, final fingerprint and metrics, and the metric files. */
  private void assertSameRun(Path out) throws IOException {
    RunManifest expected = RunManifest.read(reference.resolve(RunManifest.FILE_NAME));
    RunManifest actual = RunManifest.read(out.resolve(RunManifest.FILE_NAME));
    assertThat(actual.checkpoints()).isEqualTo(expected.checkpoints());
    assertThat(actual.finalFingerprint()).isEqualTo(expected.finalFingerprint());
    assertThat(actual.metrics()).isEqualTo(expected.metrics());
    assertThat(actual.metrics()).hasSize(8);
    for (String f : new String[] {MetricsWriter.JSONL, MetricsWriter.CSV}) {
      assertThat(Files.readString(out.resolve(f), StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(reference.resolve(f), StandardCharsets.UTF_8));
    }
  }
}
