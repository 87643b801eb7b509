package dev.ce4j.train.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.train.checkpoint.TrainerState;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.manifest.RunManifest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Files written by format version 1 (see {@code compat/v1/README.md}) read back, and writing what
 * was read gives the same bytes: {@code run.json} (with its {@code argumentsSha256}), {@code
 * trainer_state.json}, the canonical arguments, and every config file's canonical JSON or error
 * message.
 */
class FormatV1CompatibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path root() throws URISyntaxException {
    return Path.of(FormatV1CompatibilityTest.class.getResource("/dev/ce4j/train/compat/v1/README.md").toURI())
        .getParent();
  }

  private static List<Path> files(String name) throws Exception {
    try (Stream<Path> s = Files.walk(root())) {
      return s.filter(p -> p.getFileName().toString().equals(name)).sorted().toList();
    }
  }

  @Test
  void manifestsReadBackAndWriteTheSameBytes() throws Exception {
    List<Path> manifests = files(RunManifest.FILE_NAME);
    assertThat(manifests).hasSize(7);
    for (Path file : manifests) {
      RunManifest m = RunManifest.read(file);
      assertThat(m.toJson()).as(file.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
      assertThat(m.arguments().sha256()).isEqualTo(JSON.readTree(file.toFile()).get("argumentsSha256").asText());
    }
  }

  @Test
  void manifestValuesReadAsWritten() throws Exception {
    RunManifest m = RunManifest.read(root().resolve("synthetic/run.json"));
    assertThat(m.metrics().get(0).values().get("train/loss")).isNaN();
    assertThat(m.metrics().get(0).values().get("dev/map")).isNaN(); // infinite is written as null
    assertThat(m.metrics().get(0).values().get("cls/tiny")).isEqualTo(Double.MIN_VALUE);
    assertThat(m.metrics().get(0).perLabel().get("cls/f1_per_class")).containsExactly(0.5, Double.NaN, 1.0 / 3);
    assertThat(m.metrics().get(1).epoch()).isEqualTo(1.0 / 3);
    assertThat(m.finalFingerprint()).isNull();
    assertThat(m.environment().cpuModel()).isEqualTo("CPU\twith tab");
    assertThat(m.arguments().seed()).isEqualTo(Long.MIN_VALUE);
    assertThat(m.arguments().device()).isEqualTo("cuda:1");
    RunManifest done = RunManifest.read(root().resolve("evaluated/run.json"));
    assertThat(done.finalFingerprint()).hasSize(64);
    assertThat(done.checkpoints()).hasSize(2);
  }

  @Test
  void badArgumentsInAManifestAreNamedAsInAConfigFile() throws Exception {
    String json = Files.readString(root().resolve("synthetic/run.json"), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RunManifest.fromJson(json.replace("\"epochs\" : 3,", "\"epochs\" : 3, \"x\" : 1,")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("training arguments: unknown field 'x'; known fields: seed, dataSeed,");
    assertThatThrownBy(() -> RunManifest.fromJson(json.replace("\"epochs\" : 3,", "\"epochs\" : \"3\",")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("training arguments: field 'epochs' must be an integer (32-bit), got \"3\"");
  }

  @Test
  void trainerStatesReadBackAndWriteTheSameBytes() throws Exception {
    List<Path> states = files("trainer_state.json");
    assertThat(states).hasSize(5);
    for (Path file : states) {
      TrainerState s = TrainerState.read(file);
      assertThat(s.toJson()).as(file.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
    TrainerState evaluated = TrainerState.read(root().resolve("evaluated/checkpoint-4/trainer_state.json"));
    assertThat(evaluated.globalStep()).isEqualTo(4);
    assertThat(evaluated.bestMetric()).isEqualTo(0.6041666666666666);
    assertThat(evaluated.bestStep()).isEqualTo(2);
    TrainerState start = TrainerState.read(root().resolve("synthetic/trainer_state.json"));
    assertThat(start.bestMetric()).isNaN();
    assertThat(start.bestStep()).isEqualTo(-1);
  }

  @Test
  void canonicalArgumentsAreUnchanged() throws Exception {
    for (String name : List.of("arguments", "arguments-minimal")) {
      Path dir = root().resolve("synthetic");
      String pretty = Files.readString(dir.resolve(name + ".json"), StandardCharsets.UTF_8);
      TrainingArguments a = TrainingArguments.fromJson(pretty, null);
      assertThat(a.toJson()).isEqualTo(pretty);
      assertThat(a.toString()).isEqualTo(Files.readString(dir.resolve(name + ".compact.json"), StandardCharsets.UTF_8));
    }
    String canonical = Files.readString(root().resolve("synthetic/arguments.json"), StandardCharsets.UTF_8);
    TrainingArguments a = TrainingArguments.fromJson(canonical, null);
    assertThat(a.sha256() + "\n").isEqualTo(Files.readString(root().resolve("synthetic/arguments.sha256")));
  }

  @Test
  void configFilesGiveTheSameJsonOrTheSameError() throws IOException, URISyntaxException {
    List<String> lines = Files.readAllLines(root().resolve("configs.jsonl"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(94);
    for (String line : lines) {
      JsonNode c = JSON.readTree(line);
      String config = c.get("config").asText();
      String got;
      try {
        TrainingArguments a = TrainingArguments.fromJson(config, Path.of("/base/dir"));
        got = a.toJson() + "|" + a.sha256();
        assertThat(TrainingArguments.fromJson(a.toJson(), null)).as(config).isEqualTo(a);
      } catch (RuntimeException e) {
        got = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      String want =
          c.has("error") ? c.get("error").asText() : c.get("canonical").asText() + "|" + c.get("sha256").asText();
      assertThat(got).as(config).isEqualTo(want);
    }
  }
}
