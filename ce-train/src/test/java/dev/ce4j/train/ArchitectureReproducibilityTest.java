package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.progress.MetricsWriter;
import dev.ce4j.train.reproduce.ReproduceReport;
import dev.ce4j.train.reproduce.Reproducer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducibility guarantees of {@link CrossEncoderTrainer} for a model of another architecture
 * than BERT, in separate JVMs, as {@link ReproducibilityTest} checks them for BERT: a model created
 * from a reference fixture's {@code config.json} and {@code tokenizer.json} (under ce-core's {@code
 * arch/} test resources) trains on the tiny example's data (12 steps, a checkpoint every 3); the same
 * config and seed in a new JVM give the same fingerprint and metric log; a run killed with SIGKILL
 * and resumed ends with the uninterrupted run's fingerprint; {@link Reproducer} (what {@code ce
 * reproduce} runs) reports a match. A subclass names the fixture and the configuration it expects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchitectureReproducibilityTest {
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();

  private Path dir;

  /**
   * The fixture folder, relative to ce-core's {@code dev/ce4j/core/arch/} test resources.
   *
   * @return such as {@code xlm-roberta/unigram-1label-len32}
   */
  abstract String fixture();

  /**
   * The configuration class the trained model loads as.
   *
   * @return the class
   */
  abstract Class<? extends ModelConfig> configClass();

  /**
   * The trained model's {@code model_type}.
   *
   * @return such as {@code xlm-roberta}
   */
  abstract String modelType();

  private Path config;
  private Path reference;
  private String referenceFingerprint;

  /** tiny.json's settings with the fixture's config and tokenizer, cut to 12 steps. */
  @BeforeAll
  void trainReference(@TempDir Path tempDir) throws IOException {
    dir = tempDir;
    Path fixture = Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch")
        .resolve(fixture()).toAbsolutePath().normalize();
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = (ObjectNode) json.readTree(ChildJvm.TINY.toFile());
    ObjectNode model = c.putObject("model");
    model.put("config", ChildJvm.path(fixture.resolve("config.json")));
    model.put("tokenizer", ChildJvm.path(fixture.resolve("tokenizer.json")));
    c.put("trainData", ChildJvm.path(DATA.resolve("train.jsonl")));
    ((ObjectNode) c.get("evaluators").get(0).get("data")).put("path", ChildJvm.path(DATA.resolve("dev.jsonl")));
    c.put("maxSteps", 12);
    c.put("saveSteps", 3);
    c.put("evalSteps", 6);
    config = Files.writeString(dir.resolve("run.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(c));

    reference = dir.resolve("reference");
    ChildJvm run = ChildJvm.start(dir.resolve("logs"), "reference", Map.of(), ChildJvm.path(config),
        ChildJvm.path(reference));
    run.awaitExit(0);
    referenceFingerprint = run.fingerprint();
  }

  @Test
  void theReferenceRunIsAModelOfTheArchitecture() throws IOException {
    Path model = reference.resolve(CrossEncoderTrainer.FINAL_MODEL);
    assertThat(ModelFingerprint.ofFolder(model)).isEqualTo(referenceFingerprint);
    try (CrossEncoder loaded = CrossEncoder.load(model)) {
      assertThat(loaded.config()).isInstanceOf(configClass());
      assertThat(loaded.config().modelType()).isEqualTo(modelType());
    }
    RunManifest m = RunManifest.read(reference.resolve(RunManifest.FILE_NAME));
    assertThat(m.checkpoints()).hasSize(4);
    assertThat(m.metrics()).hasSize(2);
  }

  @Test
  void sameConfigAndSeedInANewJvmGiveTheSameFingerprint() throws IOException {
    Path again = dir.resolve("again");
    String fp = ChildJvm.run(dir.resolve("logs"), "again", ChildJvm.path(config), ChildJvm.path(again));

    assertThat(fp).matches("[0-9a-f]{64}").isEqualTo(referenceFingerprint);
    assertSameRun(again);
  }

  @Test
  void aRunKilledMidRunAndResumedEndsWithTheUninterruptedRunsFingerprint() throws IOException {
    Path out = dir.resolve("killed");
    // step 7: one step past checkpoint 6, one step after an evaluation
    ChildJvm victim = ChildJvm.start(dir.resolve("logs"), "victim", Map.of("CE_TRAIN_PAUSE_AT", "step:7"),
        ChildJvm.path(config), ChildJvm.path(out));
    victim.awaitStderr("ce-train: paused");
    victim.kill();
    assertThat(RunManifest.read(out.resolve(RunManifest.FILE_NAME)).finalFingerprint()).isNull();

    ChildJvm resumed = ChildJvm.start(dir.resolve("logs"), "resumed", Map.of(), ChildJvm.path(config),
        ChildJvm.path(out), "--resume");
    resumed.awaitExit(0);

    assertThat(resumed.stderr()).contains("ce-train: resuming from");
    assertThat(resumed.fingerprint()).isEqualTo(referenceFingerprint);
    assertSameRun(out);
  }

  @Test
  void reproduceReplaysTheRecordedRunAndReportsAMatch() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    ReproduceReport r = Reproducer.reproduce(reference, dir.resolve("replay"), quiet);

    assertThat(r.matches()).as(String.join("\n", r.lines())).isTrue();
    assertThat(r.divergence()).isNull();
    assertThat(r.checkpointsCompared()).isEqualTo(4);
    assertThat(r.lines()).last().isEqualTo("MATCH");
    assertThat(RunManifest.read(dir.resolve("replay").resolve(RunManifest.FILE_NAME)).finalFingerprint())
        .isEqualTo(referenceFingerprint);
  }

  /** The manifest's checkpoint fingerprints, final fingerprint and metrics, and the metric files. */
  private void assertSameRun(Path out) throws IOException {
    RunManifest expected = RunManifest.read(reference.resolve(RunManifest.FILE_NAME));
    RunManifest actual = RunManifest.read(out.resolve(RunManifest.FILE_NAME));
    assertThat(actual.checkpoints()).isEqualTo(expected.checkpoints());
    assertThat(actual.finalFingerprint()).isEqualTo(expected.finalFingerprint());
    assertThat(actual.metrics()).isEqualTo(expected.metrics());
    for (String f : new String[] {MetricsWriter.JSONL, MetricsWriter.CSV}) {
      assertThat(Files.readString(out.resolve(f), StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(reference.resolve(f), StandardCharsets.UTF_8));
    }
  }
}
