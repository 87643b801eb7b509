package dev.ce4j.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {
  @TempDir Path out;

  private Checkpoint save(CheckpointDirectory cd, long step) throws Exception {
    try (PendingCheckpoint p = cd.begin(step)) {
      Files.createDirectories(p.model());
      Files.writeString(p.model().resolve("model.safetensors"), "weights " + step);
      Files.writeString(p.optimizer(), "moments " + step);
      Files.writeString(p.trainerStateFile(), "{}");
      return p.commit();
    }
  }

  @Test
  void commitRenamesATemporaryFolderIntoPlace() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out.resolve("run"));
    try (PendingCheckpoint p = cd.begin(5)) {
      assertThat(p.directory().getFileName().toString()).startsWith("checkpoint-5.tmp-");
      Files.writeString(p.optimizer(), "x");
      assertThat(cd.list()).isEmpty();
      Checkpoint c = p.commit();
      assertThat(c.directory()).isEqualTo(out.resolve("run/checkpoint-5"));
      assertThat(Files.readString(c.optimizer())).isEqualTo("x");
      assertThat(CompletionMarker.read(c.directory())).hasValueSatisfying(m -> {
        assertThat(m.step()).isEqualTo(5);
        // SHA-256 of "x", worked out independently (sha256sum)
        assertThat(m.sha256()).containsExactly(
            java.util.Map.entry("optimizer.safetensors", "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"));
      });
      assertThat(Files.exists(p.directory())).isFalse();
      assertThatThrownBy(p::commit).isInstanceOf(IllegalStateException.class);
    }
    assertThat(cd.latest()).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(5));
  }

  @Test
  void aCrashedWriteIsNeverTakenForACheckpoint() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out);
    save(cd, 10);
    // a process killed while writing checkpoint 20: its temporary folder stays behind
    PendingCheckpoint crashed = cd.begin(20);
    Files.writeString(crashed.optimizer(), "half");
    // a folder with the right name but no marker (say, copied by hand), and one whose marker names another step
    Files.createDirectories(out.resolve("checkpoint-30"));
    Files.createDirectories(out.resolve("checkpoint-40"));
    Files.writeString(out.resolve("checkpoint-40/COMPLETE"), "{\"step\": 41}\n");
    Files.createDirectories(out.resolve("checkpoint-50"));
    Files.writeString(out.resolve("checkpoint-50/COMPLETE"), "garbage");

    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(10L);
    assertThat(cd.latest()).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(10));
    assertThat(cd.find(30)).isEmpty();
    assertThat(cd.incomplete()).extracting(p -> p.getFileName().toString())
        .containsExactly(crashed.directory().getFileName().toString(), "checkpoint-30", "checkpoint-40", "checkpoint-50");
    assertThat(cd.removeIncomplete()).hasSize(4);
    assertThat(cd.incomplete()).isEmpty();
    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(10L);
  }

  @Test
  void closingWithoutCommitDeletesTheTemporaryFolder() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out);
    Path tmp;
    try (PendingCheckpoint p = cd.begin(3)) {
      tmp = p.directory();
      Files.writeString(p.trainerStateFile(), "{}");
    }
    assertThat(Files.exists(tmp)).isFalse();
    assertThat(cd.list()).isEmpty();
  }

  @Test
  void latestIsTheHighestStepNotTheNewestName() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out);
    save(cd, 100);
    save(cd, 20);
    save(cd, 3);
    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(3L, 20L, 100L);
    assertThat(cd.latest().orElseThrow().step()).isEqualTo(100);
  }

  @Test
  void committingTheSameStepAgainReplacesIt() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out);
    save(cd, 7);
    try (PendingCheckpoint p = cd.begin(7)) {
      Files.writeString(p.optimizer(), "second");
      p.commit();
    }
    assertThat(Files.readString(cd.find(7).orElseThrow().optimizer())).isEqualTo("second");
    assertThat(cd.incomplete()).isEmpty();
  }

  @Test
  void pruneKeepsTheNewestAndTheBest() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out);
    for (long s : List.of(10L, 20L, 30L, 40L, 50L)) {
      save(cd, s);
    }
    assertThat(cd.prune(0, OptionalLong.empty())).isEmpty();
    assertThat(cd.prune(2, OptionalLong.of(20))).containsExactly(10L, 30L);
    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(20L, 40L, 50L);
    assertThat(cd.prune(2, OptionalLong.of(50))).containsExactly(20L);
    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(40L, 50L);
    assertThat(cd.prune(1, OptionalLong.empty())).containsExactly(40L);
    assertThat(cd.incomplete()).isEmpty();
  }

  @Test
  void commitAndPruneRemovesOldOnesOnlyAfterTheNewOneIsWhole() throws Exception {
    CheckpointDirectory cd = new CheckpointDirectory(out);
    save(cd, 1);
    save(cd, 2);
    PendingCheckpoint p = cd.begin(3);
    Files.writeString(p.optimizer(), "x");
    // before the commit nothing was removed
    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(1L, 2L);
    cd.commitAndPrune(p, 1, OptionalLong.empty());
    assertThat(cd.list()).extracting(Checkpoint::step).containsExactly(3L);
  }

  @Test
  void trainerStateRoundTrips() throws Exception {
    TrainerState s = new TrainerState(
        42, new dev.ce4j.train.sampling.DataPosition(1, 7), 0.625, 40, 1,
        java.util.Map.of("engine", "AAEC", "dropout", "12345"),
        new TrainerStateExtra(java.util.Map.of("w", 3L), -0.0, 2, 40, 0.625,
            new TrainerStateExtra.ScheduleState("linear", 42, 4, 100, 0.75)));
    Path f = out.resolve("trainer_state.json");
    s.write(f);
    assertThat(TrainerState.read(f)).isEqualTo(s);
    TrainerState none = new TrainerState(
        0, dev.ce4j.train.sampling.DataPosition.START, Double.NaN, -1, 0, java.util.Map.of(), TrainerStateExtra.NONE);
    assertThat(none.toJson()).contains("\"bestMetric\" : null").contains("\"bestStep\" : null");
    assertThat(TrainerState.fromJson(none.toJson()).bestMetric()).isNaN();
    assertThatThrownBy(() -> TrainerState.read(out.resolve("nope.json"))).hasMessageContaining("trainer state not found");
    assertThatThrownBy(() -> TrainerState.fromJson("{\"formatVersion\": 1}")).hasMessageContaining("missing field 'globalStep'");
  }

  @Test
  void trainerStateDoublesRoundTripBitForBit() {
    double payloadNaN = Double.longBitsToDouble(0x7ff0000000000123L);
    double[] values = {payloadNaN, Double.NaN, -0.0, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, 0.1 + 0.2};
    for (double v : values) {
      TrainerState s = new TrainerState(1, dev.ce4j.train.sampling.DataPosition.START, Double.NaN, -1, 0,
          java.util.Map.of(), new TrainerStateExtra(java.util.Map.of(), v, 1, 1, v, null));
      TrainerState back = TrainerState.fromJson(s.toJson());
      long bits = Double.doubleToRawLongBits(v);
      assertThat(Double.doubleToRawLongBits(back.extra().lossSum())).isEqualTo(bits);
      assertThat(Double.doubleToRawLongBits(back.extra().bestCheckpointMetric())).isEqualTo(bits);
      assertThat(back.toJson()).isEqualTo(s.toJson());
    }
    String withoutEntries = new TrainerState(1, dev.ce4j.train.sampling.DataPosition.START, Double.NaN, -1, 0,
        java.util.Map.of(), TrainerStateExtra.NONE).toJson();
    assertThat(withoutEntries).contains("\"extra\" : {\n    \"bestCheckpoint.metric\" : \"7ff8000000000000\"");
    TrainerStateExtra defaults =
        TrainerState.fromJson(withoutEntries.replaceAll("(?s)\"extra\" : \\{.*?\\}", "\"extra\" : { }")).extra();
    assertThat(defaults).isEqualTo(TrainerStateExtra.NONE);
    assertThatThrownBy(() -> TrainerState.fromJson(withoutEntries.replace("7ff8000000000000", "xyz")))
        .isInstanceOf(dev.ce4j.api.InvalidInputException.class).hasMessageContaining("malformed trainer state");
  }
}
