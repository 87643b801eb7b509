package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A resume never trains on from a damaged checkpoint: a run of the tiny example (24 steps, a
 * checkpoint every 3, the last 3 kept) is stopped after step 13, a byte of the newest checkpoint
 * is flipped, and the resumed run must pass over it and end with the uninterrupted run's
 * fingerprint; with every checkpoint damaged it must stop and name the files.
 */
class CheckpointIntegrityTest {
  private static final TrainingArguments ARGS = TrainingArguments.read(ChildJvm.TINY);
  private static String uninterrupted;

  @TempDir Path dir;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  @BeforeAll
  static void uninterruptedRun(@TempDir Path whole) {
    uninterrupted = train(whole, false, -1, new ByteArrayOutputStream()).fingerprint();
  }

  private TrainingResult train(Path out, boolean resume, long stopAfter) {
    return train(out, resume, stopAfter, progress);
  }

  /** Trains; with {@code stopAfter} at least 0, stops (as a crash would) after that step. */
  private static TrainingResult train(Path out, boolean resume, long stopAfter, ByteArrayOutputStream progress) {
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(ARGS, out).resume(resume)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
        .callback(new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            if (step == stopAfter + 1) {
              throw new IllegalStateException("stopped after step " + stopAfter);
            }
          }
        })
        .build()) {
      return t.train();
    }
  }

  private Path stoppedRun() throws IOException {
    Path out = dir.resolve("run");
    assertThatThrownBy(() -> train(out, false, 13)).hasMessage("stopped after step 13");
    assertThat(new CheckpointDirectory(out).list()).extracting(Checkpoint::step).containsExactly(6L, 9L, 12L);
    return out;
  }

  /** Flips every bit of one byte, {@code fromEnd} bytes before the end of the file (tensor data). */
  private static void flipByte(Path file, long fromEnd) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = f.length() - fromEnd;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xFF);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"model/model.safetensors", "optimizer.safetensors", "trainer_state.json", "model/config.json"})
  void aResumePassesOverADamagedCheckpointAndEndsAsTheUninterruptedRun(String file) throws IOException {
    Path out = stoppedRun();
    Path damaged = out.resolve("checkpoint-12").resolve(file);
    flipByte(damaged, file.endsWith(".json") ? 5 : 3);

    TrainingResult resumed = train(out, true, -1);

    assertThat(resumed.fingerprint()).isEqualTo(uninterrupted);
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("checkpoint " + out.resolve("checkpoint-12") + " is damaged (" + file
            + " is not the file that was written: SHA-256 ")
        .contains("resuming from " + out.resolve("checkpoint-9") + " (step 9)");
    // the checkpoints written after the resume are whole
    assertThat(new CheckpointDirectory(out).find(24).orElseThrow().damage()).isEmpty();
  }

  @Test
  void aMissingFileIsDamageToo() throws IOException {
    Path out = stoppedRun();
    Files.delete(out.resolve("checkpoint-12").resolve("optimizer.safetensors"));
    assertThat(train(out, true, -1).fingerprint()).isEqualTo(uninterrupted);
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("(optimizer.safetensors is missing)");
  }

  @Test
  void withEveryCheckpointDamagedTheResumeStopsNamingTheFilesAndTrainsNothing() throws IOException {
    Path out = stoppedRun();
    for (long step : List.of(6L, 9L, 12L)) {
      flipByte(out.resolve("checkpoint-" + step).resolve("model").resolve("model.safetensors"), 7);
    }
    byte[] manifest = Files.readAllBytes(out.resolve("run.json"));

    assertThatThrownBy(() -> train(out, true, -1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot resume " + out + ": every checkpoint is damaged")
        .hasMessageContaining(out.resolve("checkpoint-6") + ": model/model.safetensors is not the file that was written")
        .hasMessageContaining(out.resolve("checkpoint-12") + ": model/model.safetensors");
    assertThat(out.resolve("run.json")).hasBinaryContent(manifest);
    assertThat(out.resolve(CrossEncoderTrainer.FINAL_MODEL)).doesNotExist();
  }

  @Test
  void aCheckpointWhoseMarkerPredatesDigestsIsCheckedByItsModelFingerprint() throws IOException {
    Path out = stoppedRun();
    Path twelve = out.resolve("checkpoint-12");
    // a marker as ce wrote it before it recorded digests
    Files.writeString(twelve.resolve(Checkpoint.COMPLETE), "{\"step\": 12}\n");
    String before = ModelFingerprint.ofFolder(twelve.resolve("model"));
    flipByte(twelve.resolve("model").resolve("model.safetensors"), 3);
    assertThat(ModelFingerprint.ofFolder(twelve.resolve("model"))).isNotEqualTo(before);

    assertThat(train(out, true, -1).fingerprint()).isEqualTo(uninterrupted);
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("checkpoint " + twelve + " is damaged (model/ has the fingerprint ")
        .contains("but run.json recorded " + before + ")");
  }
}
