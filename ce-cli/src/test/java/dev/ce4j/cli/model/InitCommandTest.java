package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path config;
  static Path config3;
  static Path tokenizer;
  static Path pairs;

  @BeforeAll
  static void files() throws IOException {
    config = Files.writeString(shared.resolve("config.json"), TinyModels.configJson(1));
    config3 = Files.writeString(shared.resolve("config3.json"), TinyModels.configJson(3));
    tokenizer = TinyModels.tokenizer(shared.resolve("tokenizer.json"));
    pairs = Files.writeString(shared.resolve("pairs.jsonl"),
        "[\"what is the capital of france\", \"paris\"]\n[\"a\", \"b\"]\n[\"java\", \"an island of indonesia\"]\n");
  }

  static CliRun init(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "init", "--config", config.toString(), "--tokenizer", tokenizer.toString(), "--output", output.toString()));
    args.addAll(List.of(more));
    return ce(args.toArray(String[]::new));
  }

  static String predictions(Path model) {
    CliRun run = ce("predict", "--model", model.toString(), "--input", pairs.toString(), "--raw");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out().lines()).hasSize(3);
    return run.out();
  }

  @Test
  void writesAFolderThatLoadsWithTheConfigsArchitecture() {
    Path out = dir.resolve("m");
    CliRun run = init(out);
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEmpty();
    List<String> err = run.err().lines().toList();
    assertThat(err).hasSize(2);
    assertThat(err.get(0)).startsWith("ce init: device ");
    assertThat(err.get(1)).isEqualTo("ce init: wrote " + out
        + ": 2 layers, hidden 32, 4 heads, vocab 30522, 1 label (sigmoid), max_length 128, seed 42");
    try (CrossEncoder model = CrossEncoder.load(out)) {
      assertThat(model.config().hiddenSize()).isEqualTo(32);
      assertThat(model.config().numLabels()).isEqualTo(1);
    }
  }

  @Test
  void theSameSeedGivesBitwiseTheSamePredictionsAndADifferentSeedOthers() {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    assertThat(init(a, "--seed", "5").status()).isEqualTo(ExitCodes.OK);
    assertThat(init(b, "--seed", "5").status()).isEqualTo(ExitCodes.OK);
    assertThat(init(c, "--seed", "6").status()).isEqualTo(ExitCodes.OK);
    assertThat(predictions(b)).isEqualTo(predictions(a));
    assertThat(ModelFingerprint.ofFolder(b)).isEqualTo(ModelFingerprint.ofFolder(a));
    List<String> pa = predictions(a).lines().toList();
    List<String> pc = predictions(c).lines().toList();
    for (int i = 0; i < pa.size(); i++) {
      assertThat(pc.get(i)).as("pair %d", i).isNotEqualTo(pa.get(i));
    }
    assertThat(ModelFingerprint.ofFolder(c)).isNotEqualTo(ModelFingerprint.ofFolder(a));
  }

  @Test
  void theLabelsComeFromTheConfig() {
    Path out = dir.resolve("m3");
    CliRun run = ce("init", "--config", config3.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(predictions(out).lines()).allMatch(line -> line.startsWith("[") && line.split(",").length == 3);
  }

  @Test
  void aNonEmptyOutputFolderIsRefusedUnlessForced() throws IOException {
    Path out = Files.createDirectories(dir.resolve("full"));
    Path keep = Files.writeString(out.resolve("notes.txt"), "mine");
    CliRun refused = init(out);
    assertThat(refused.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(refused.err()).contains("'" + out + "' is not empty", "--force");
    assertThat(refused.errHasStackTrace()).isFalse();
    assertThat(out.resolve("config.json")).doesNotExist();

    Files.writeString(out.resolve("special_tokens_map.json"), "{\"stale\": true}");
    CliRun forced = init(out, "--force");
    assertThat(forced.status()).as(forced.err()).isEqualTo(ExitCodes.OK);
    assertThat(out.resolve("config.json")).exists();
    assertThat(out.resolve("special_tokens_map.json")).doesNotExist();
    assertThat(keep).hasContent("mine");
  }

  @Test
  void anOutputThatIsAFileIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    CliRun run = init(file, "--force");
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("'" + file + "' is a file");
  }

  @Test
  void aBadConfigExitsWith2NamingTheFileAndField() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad-config.json"), "{\"model_type\": \"bert\", \"vocab_size\": 10}");
    CliRun run = ce("init", "--config", bad.toString(), "--tokenizer", tokenizer.toString(),
        "--output", dir.resolve("out").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(bad.toString(), "hidden_size");
    assertThat(run.errHasStackTrace()).isFalse();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMissingTokenizerExitsWith2NamingIt() {
    Path missing = dir.resolve("no-tokenizer.json");
    CliRun run = ce("init", "--config", config.toString(), "--tokenizer", missing.toString(),
        "--output", dir.resolve("out").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(missing.toString(), "not found");
    assertThat(run.errHasStackTrace()).isFalse();
  }
}
