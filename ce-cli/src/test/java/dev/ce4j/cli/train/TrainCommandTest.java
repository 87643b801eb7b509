package dev.ce4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ce train} and {@code ce reproduce} on the tiny example, in this JVM. */
class TrainCommandTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");

  @TempDir Path dir;

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void trainPrintsAJsonSummaryLastAndReproduceReportsAMatch() throws Exception {
    Path out = dir.resolve("run");
    CliRun train = CliRun.ce("train", "--config", TINY.toString(), "--output", out.toString(), "--seed", "0");

    assertThat(train.status()).as(train.err()).isEqualTo(ExitCodes.OK);
    JsonNode summary = new ObjectMapper().readTree(lastLine(train.out()));
    assertThat(summary.get("fingerprint").asText()).matches("[0-9a-f]{64}");
    assertThat(summary.get("steps").asLong()).isEqualTo(24);
    assertThat(summary.get("seed").asLong()).isZero();
    assertThat(train.err()).contains("step 24/24").contains("ce-train: step 3 train/loss");

    CliRun reproduce = CliRun.ce("reproduce", out.toString(), "--work", dir.resolve("replay").toString());
    assertThat(reproduce.status()).as(reproduce.err()).isEqualTo(ExitCodes.OK);
    assertThat(reproduce.out()).contains("MATCH").doesNotContain("NO MATCH");
    assertThat(new ObjectMapper().readTree(lastLine(reproduce.out())).get("match").asBoolean()).isTrue();
  }

  @Test
  void resumingAnOutputFolderWithAnotherSeedIsRefusedWithExitStatus2() {
    Path out = dir.resolve("run");
    CliRun first = CliRun.ce("train", "--config", TINY.toString(), "--output", out.toString());
    assertThat(first.status()).as(first.err()).isEqualTo(ExitCodes.OK);

    CliRun again = CliRun.ce("train", "--config", TINY.toString(), "--output", out.toString());
    assertThat(again.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(again.err()).contains("already holds a training run");

    CliRun other = CliRun.ce("train", "--config", TINY.toString(), "--output", out.toString(), "--seed", "5", "--resume");
    assertThat(other.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(other.err()).contains("seed differs: 42 vs 5").doesNotContain("\tat ");
  }

  @Test
  void reproduceOfAFolderWithoutManifestIsABadInput() {
    CliRun r = CliRun.ce("reproduce", dir.toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("holds no run.json");
  }
}
