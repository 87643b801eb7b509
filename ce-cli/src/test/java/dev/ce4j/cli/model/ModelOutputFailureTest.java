package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ceWithFullDisk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.CliRun.FullDisk;
import dev.ce4j.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model commands on a standard output that cannot be written, in this JVM: the commands that
 * print results exit 2 naming the reason; the commands that print only to standard error are not
 * affected.
 */
class ModelOutputFailureTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path model;
  static Path pairs;
  static Path documents;

  @BeforeAll
  static void setUp() throws IOException {
    model = TinyModels.folder(shared.resolve("model"), 1, 3);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      text.append("[\"query ").append(i).append("\", \"document number ").append(i).append("\"]\n");
    }
    pairs = Files.writeString(shared.resolve("pairs.jsonl"), text.toString());
    documents = Files.writeString(shared.resolve("docs.txt"), "paris\nberlin\nrome\n");
  }

  private static List<String> errLines(CliRun run) {
    return run.err().lines().filter(l -> !l.contains(": device ")).toList();
  }

  private static void assertWriteFailure(CliRun run, String command) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(errLines(run)).containsExactly(
        command + ": cannot write the results to standard output: " + FullDisk.REASON);
  }

  @Test
  void predictOnAFullDisk() {
    CliRun none = ceWithFullDisk(0, "predict", "--model", model.toString(), "--input", pairs.toString());
    assertThat(none.out()).isEmpty();
    assertWriteFailure(none, "ce predict");

    // the disk fills up after a few lines: what fitted is there, the rest is reported missing
    CliRun all = CliRun.ce("predict", "--model", model.toString(), "--input", pairs.toString());
    assertThat(all.status()).isEqualTo(ExitCodes.OK);
    int room = all.out().length() / 3;
    CliRun some = ceWithFullDisk(room, "predict", "--model", model.toString(), "--input", pairs.toString());
    assertThat(some.out()).isEqualTo(all.out().substring(0, room));
    assertWriteFailure(some, "ce predict");
  }

  @Test
  void rankOnAFullDisk() {
    assertWriteFailure(
        ceWithFullDisk(0, "rank", "--model", model.toString(), "--query", "capital", "--documents", documents.toString()),
        "ce rank");
  }

  @Test
  void fingerprintOnAFullDisk() {
    assertWriteFailure(ceWithFullDisk(0, "fingerprint", model.toString()), "ce fingerprint");
  }

  @Test
  void initWritesNothingToStandardOutputSoAFullOneDoesNotMatter() {
    Path config = TinyModels.tokenizer(dir.resolve("tokenizer.json")).resolveSibling("config.json");
    try {
      Files.writeString(config, TinyModels.configJson(1));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Path out = dir.resolve("new-model");
    CliRun run = ceWithFullDisk(0, "init", "--config", config.toString(), "--tokenizer",
        dir.resolve("tokenizer.json").toString(), "--output", out.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).contains("ce init: wrote " + out).doesNotContain("standard output");
    assertThat(out.resolve("model.safetensors")).isRegularFile();
  }
}
