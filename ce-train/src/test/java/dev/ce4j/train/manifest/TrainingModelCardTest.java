package dev.ce4j.train.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CeVersion;
import dev.ce4j.core.io.ModelCard;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run's final model carries a card that says what the manifest says, and how to replay it. */
class TrainingModelCardTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");

  @TempDir Path dir;

  @Test
  void theFinalModelsCardNamesTheDataTheLossTheSeedTheMetricsAndTheReplay() throws IOException {
    TrainingArguments args = TrainingArguments.read(TINY);
    Path out = dir.resolve("run");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    TrainingResult result;
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).progress(quiet).build()) {
      result = t.train();
    }
    RunManifest manifest = RunManifest.read(out.resolve(RunManifest.FILE_NAME));
    String card = Files.readString(out.resolve(CrossEncoderTrainer.FINAL_MODEL).resolve(ModelCard.FILE));

    assertThat(card).contains(result.fingerprint(), "**Loss:** `" + args.loss().name() + "`",
        "**Seed:** " + args.seed(), "ce reproduce run", CeVersion.get(), "## Evaluation");
    for (DataFileDigest d : manifest.dataFiles()) {
      assertThat(card).contains(d.sha256(), d.path());
    }
    MetricsRecord last = manifest.metrics().get(manifest.metrics().size() - 1);
    assertThat(card).contains("at step " + last.step());
    last.values().keySet().forEach(k -> assertThat(card).contains("| " + k + " |"));
    assertThat(card).contains(manifest.arguments().toJson()); // as run.json records them, greaterIsBetter resolved
    // checkpoints keep the plain card: the run's card belongs to its final model
    Path firstCheckpoint = Files.list(out).filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
        .findFirst().orElseThrow();
    assertThat(Files.readString(firstCheckpoint.resolve("model").resolve(ModelCard.FILE))).doesNotContain("## Training");
  }
}
