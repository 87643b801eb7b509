package dev.ce4j.train.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.manifest.RunManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Reproducer} replays a recorded run of the tiny example (6 steps, checkpoints at 2, 4, 6)
 * and reports a match, or the first divergence when the manifest or the data was tampered with.
 */
class ReproducerTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");
  private static final Path TRAIN = Path.of("..", "ce-examples", "data", "tiny", "train.jsonl");

  @TempDir Path dir;

  private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private TrainingResult record(Path out, Path trainData) {
    TrainingArguments args = TrainingArguments.read(TINY).toBuilder()
        .setTrainData(DataFile.pairs(trainData.toAbsolutePath().normalize()))
        .optMaxSteps(6).optSaveSteps(2).optEvalSteps(2).build();
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).progress(quiet).build()) {
      return t.train();
    }
  }

  @Test
  void aFaithfulReplayMatchesEveryFingerprintAndTheMetricLog() {
    TrainingResult recorded = record(dir.resolve("run"), TRAIN);

    ReproduceReport r = Reproducer.reproduce(dir.resolve("run"), dir.resolve("replay"), quiet);

    assertThat(r.matches()).isTrue();
    assertThat(r.divergence()).isNull();
    assertThat(r.checkpointsCompared()).isEqualTo(3);
    assertThat(r.dataChanges()).isEmpty();
    assertThat(r.environmentChanges()).isEmpty();
    assertThat(r.lines())
        .containsExactly(
            "checkpoints: 3 compared, all identical; final fingerprint identical",
            "metrics: identical",
            "MATCH");
    assertThat(RunManifest.read(dir.resolve("replay").resolve("run.json")).finalFingerprint())
        .isEqualTo(recorded.fingerprint());
  }

  @Test
  void aTamperedManifestDivergesAtTheTamperedCheckpoint() throws IOException {
    record(dir.resolve("run"), TRAIN);
    Path manifestFile = dir.resolve("run").resolve("run.json");
    RunManifest m = RunManifest.read(manifestFile);
    String genuine = m.checkpoints().get(1).fingerprint();
    String forged = "0".repeat(64);
    m.withCheckpoint(4, forged).write(manifestFile);

    ReproduceReport r = Reproducer.reproduce(dir.resolve("run"), dir.resolve("replay"), quiet);

    assertThat(r.matches()).isFalse();
    assertThat(r.divergence()).isEqualTo(new ReproduceReport.Divergence(4, "checkpoint", forged, genuine));
    assertThat(r.lines())
        .contains("DIVERGED at checkpoint step 4: recorded " + forged + ", replayed " + genuine)
        .last()
        .isEqualTo("NO MATCH");
    assertThat(r.checkpointsCompared()).isEqualTo(2);
  }

  @Test
  void changedDataIsReportedAndDivergesAtTheFirstCheckpoint() throws IOException {
    Path data = dir.resolve("train.jsonl");
    Files.copy(TRAIN, data);
    record(dir.resolve("run"), data);
    // flip every label, so that the first step already sees changed data
    Files.writeString(data, Files.readString(data).replace("\"label\": 1", "\"label\": x")
        .replace("\"label\": 0", "\"label\": 1").replace("\"label\": x", "\"label\": 0"));

    ReproduceReport r = Reproducer.reproduce(dir.resolve("run"), dir.resolve("replay"), quiet);

    assertThat(r.matches()).isFalse();
    assertThat(r.dataChanges()).singleElement().asString().contains("train").contains("changed");
    assertThat(r.divergence().step()).isEqualTo(2);
    assertThat(r.divergence().what()).isEqualTo("checkpoint");
    assertThat(r.divergence().actual()).isNotEqualTo(r.divergence().expected());
  }

  @Test
  void aRecordOfOtherMklKernelsIsReported() throws IOException {
    record(dir.resolve("run"), TRAIN);
    Path manifestFile = dir.resolve("run").resolve("run.json");
    String json = Files.readString(manifestFile);
    String now = RunManifest.read(manifestFile).environment().mklCpuDispatch();
    String other = now.equals("enabled") ? "disabled" : "enabled";
    Files.writeString(
        manifestFile,
        json.replace("\"mklCpuDispatch\" : \"" + now + "\"", "\"mklCpuDispatch\" : \"" + other + "\""));

    ReproduceReport r = Reproducer.reproduce(dir.resolve("run"), dir.resolve("replay"), quiet);

    assertThat(r.environmentChanges())
        .singleElement()
        .asString()
        .contains("MKL kernel choice differs: " + other + " then, " + now + " now");
  }
}
