package dev.ce4j.examples.usage.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.train.data.DataFiles;
import dev.ce4j.train.manifest.CheckpointFingerprint;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.reproduce.ReproduceReport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the replay example end to end (three tiny trainings): the faithful replay must match, the
 * replay on changed data must report the changed file and a diverging checkpoint, and the data
 * must be restored afterwards.
 */
class ReplayRunTest {
  @TempDir Path tmp;

  @Test
  void aFaithfulReplayMatchesAndAChangedDataFileDiverges() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReplayRun.Result r;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(OutputStream.nullOutputStream())) {
      r = ReplayRun.run(new ReplayRun.Options(tmp, 42), out, err);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    RunManifest manifest = RunManifest.read(tmp.resolve("run").resolve(RunManifest.FILE_NAME));
    assertThat(manifest.checkpoints()).extracting(CheckpointFingerprint::step).containsExactly(4L, 8L, 12L);
    assertThat(manifest.finalFingerprint()).isEqualTo(r.recorded().fingerprint());

    ReproduceReport faithful = r.faithful();
    assertThat(faithful.matches()).isTrue();
    assertThat(faithful.divergence()).isNull();
    assertThat(faithful.metricsMatch()).isTrue();
    assertThat(faithful.dataChanges()).isEmpty();
    assertThat(faithful.checkpointsCompared()).isEqualTo(3);

    ReproduceReport changed = r.changedData();
    assertThat(changed.matches()).isFalse();
    assertThat(changed.dataChanges()).singleElement().asString().contains("train.jsonl changed");
    ReproduceReport.Divergence d = changed.divergence();
    assertThat(d).isNotNull();
    assertThat(d.what()).isEqualTo("checkpoint");
    String recordedAtStep = manifest.checkpoints().stream().filter(c -> c.step() == d.step())
        .map(CheckpointFingerprint::fingerprint).findFirst().orElseThrow();
    assertThat(d.expected()).isEqualTo(recordedAtStep);
    assertThat(d.actual()).matches("[0-9a-f]{64}").isNotEqualTo(d.expected());

    assertThat(printed)
        .contains("checkpoints: 3 compared, all identical; final fingerprint identical", "  MATCH")
        .contains("DIVERGED at checkpoint step " + d.step() + ": recorded " + d.expected(), "NO MATCH");
    // the example restores the data it changed: the recorded digests hold again
    for (DataFileDigest digest : manifest.dataFiles()) {
      assertThat(DataFiles.sha256(Path.of(digest.path()))).as(digest.path()).isEqualTo(digest.sha256());
    }
  }

  @Test
  void flippingTheFirstLabelChangesThatLabelOnly() {
    String in = "{\"pair\": [\"q\", \"d\"], \"label\": 1}\n{\"pair\": [\"q2\", \"d2\"], \"label\": 0}\n";
    String out = new String(ReplayRun.flipFirstLabel(in.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    assertThat(out).isEqualTo("{\"pair\":[\"q\",\"d\"],\"label\":0}\n{\"pair\": [\"q2\", \"d2\"], \"label\": 0}\n");
  }
}
