package dev.ce4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import java.nio.file.Files;
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
  void forceWithoutResumeIsAUsageError() {
    CliRun r = CliRun.ce("train", "--config", TINY.toString(), "--output", dir.resolve("run").toString(), "--force");
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("--force goes with --resume");
    assertThat(dir.resolve("run")).doesNotExist();
  }

  @Test
  void resumingAFolderThatDoesNotExistIsABadInputAndCreatesNothing() {
    Path typo = dir.resolve("runn");
    CliRun r = CliRun.ce("train", "--config", TINY.toString(), "--output", typo.toString(), "--resume");
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("nothing to resume: the output folder " + typo + " does not exist");
    assertThat(r.errHasStackTrace()).isFalse();
    assertThat(typo).doesNotExist();
  }

  @Test
  void anOutputThatIsAFileIsNamedAsAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("out"), "keep me");
    CliRun r = CliRun.ce("train", "--config", TINY.toString(), "--output", file.toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("the output " + file + " is a file, not a folder").doesNotContain(file + ": " + file);
    assertThat(file).hasContent("keep me");
  }

  @Test
  void aFolderWithOtherFilesIsNotTrainedInto() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out").resolve("model"));
    Files.writeString(out.resolve("config.json"), "theirs");
    Files.writeString(out.getParent().resolve("metrics.csv"), "theirs");
    CliRun r = CliRun.ce("train", "--config", TINY.toString(), "--output", out.getParent().toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("is not empty and holds no training run of ce (it holds metrics.csv, model)");
    assertThat(out.resolve("config.json")).hasContent("theirs");
    assertThat(out.getParent().resolve("metrics.csv")).hasContent("theirs");
  }

  /** A copy of the tiny config with one field replaced, beside the original (its paths are relative). */
  private static Path tinyWith(Path dir, String field, String value) throws Exception {
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(TINY.toFile());
    c.set(field, new ObjectMapper().readTree(value));
    Path data = TINY.toAbsolutePath().getParent().resolve("../data/tiny").normalize();
    c.putObject("model").put("config", data.resolve("config.json").toString()).put("tokenizer", data.resolve("tokenizer.json").toString());
    ((ObjectNode) c.get("evaluators").get(0)).putObject("data").put("path", data.resolve("dev.jsonl").toString()).put("format", "listwise");
    if (!field.equals("trainData")) {
      c.put("trainData", data.resolve("train.jsonl").toString());
    }
    Path f = dir.resolve("config-" + field + ".json");
    Files.writeString(f, c.toString());
    return f;
  }

  @Test
  void labelsOutsideWhatTheLossTakesAreABadInputNamingFileAndLine() throws Exception {
    Path train = dir.resolve("train.jsonl");
    Files.writeString(train, "{\"pair\": [\"a\", \"b\"], \"label\": 1}\n{\"pair\": [\"c\", \"d\"], \"label\": 2}\n");
    Path out = dir.resolve("run");
    CliRun r = CliRun.ce("train", "--config", tinyWith(dir, "trainData", "\"" + train + "\"").toString(), "--output", out.toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains(train + ":2: \"label\" is 2 but loss 'bce' needs a label from 0 to 1");
    assertThat(out).doesNotExist();
  }

  @Test
  void aClassIndexBeyondTheModelsLabelsIsABadInputBeforeAnythingIsWritten() throws Exception {
    Path train = dir.resolve("train.jsonl");
    Files.writeString(train, "{\"pair\": [\"a\", \"b\"], \"label\": 1}\n{\"pair\": [\"c\", \"d\"], \"label\": 5}\n");
    Path config = tinyWith(dir, "trainData", "\"" + train + "\"");
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(config.toFile());
    c.put("loss", "cross_entropy");
    ((ObjectNode) c.get("model")).put("numLabels", 3);
    c.remove("evaluators");
    c.remove("metricForBestModel");
    Files.writeString(config, c.toString());
    Path out = dir.resolve("run");
    CliRun r = CliRun.ce("train", "--config", config.toString(), "--output", out.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains(train + ":2: \"label\" is 5 but loss 'cross_entropy' needs a class index, an integer"
        + " from 0 to 2 (the model has 3 outputs)");
    assertThat(r.err()).doesNotContain("internal error");
    assertThat(out).doesNotExist();
  }

  @Test
  void anUnknownMetricForBestModelIsABadInputBeforeTraining() throws Exception {
    Path out = dir.resolve("run");
    CliRun r = CliRun.ce("train", "--config", tinyWith(dir, "metricForBestModel", "\"dev/MAP\"").toString(),
        "--output", out.toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("metricForBestModel 'dev/MAP' is not a metric of this run").contains("dev/map");
    assertThat(r.err()).doesNotContain("step 1/");
    assertThat(out).doesNotExist();
    // the corrected config starts a new run in that folder, no --resume needed
    CliRun fixed = CliRun.ce("train", "--config", TINY.toString(), "--output", out.toString());
    assertThat(fixed.status()).as(fixed.err()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aDivergingRunWithAnEvaluatorEndsWithTheDivergenceMessage() throws Exception {
    Path config = tinyWith(dir, "learningRate", "1000000");
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(config.toFile());
    c.put("evalSteps", 1);
    Files.writeString(config, c.toString());
    CliRun r = CliRun.ce("train", "--config", config.toString(), "--output", dir.resolve("run").toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("ce train: training diverged at step ").contains("Lower learningRate")
        .doesNotContain("scores of query");
  }

  @Test
  void reproduceRefusesAWorkFolderThatIsNotEmptyAndAMissingRun() throws Exception {
    Path out = dir.resolve("run");
    assertThat(CliRun.ce("train", "--config", TINY.toString(), "--output", out.toString()).status()).isZero();
    CliRun same = CliRun.ce("reproduce", out.toString(), "--work", out.toString());
    assertThat(same.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(same.err()).contains("--work " + out + " is not empty");
    CliRun missing = CliRun.ce("reproduce", dir.resolve("nope").toString());
    assertThat(missing.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(missing.err()).contains(dir.resolve("nope") + " does not exist");
  }

  @Test
  void reproduceOfAFolderWithoutManifestIsABadInput() {
    CliRun r = CliRun.ce("reproduce", dir.toString());
    assertThat(r.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("holds no run.json");
  }
}
