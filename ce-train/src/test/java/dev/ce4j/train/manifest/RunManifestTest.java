package dev.ce4j.train.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.EvaluatorSpec;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
  @TempDir Path dir;

  private TrainingArguments args() {
    return TrainingArguments.builder()
        .setSeed(42)
        .optDataSeed(7L)
        .setModel(ModelSource.fromScratch(Path.of("tiny/config.json"), Path.of("tiny/tokenizer.json")))
        .setTrainData(DataFile.pairs(dir.resolve("train.jsonl")))
        .setLoss(LossSpec.of("bce"))
        .optEvaluators(List.of(new EvaluatorSpec("dev", "reranking", dev.ce4j.api.eval.Parameters.empty(), DataFile.listwise(dir.resolve("dev.jsonl")))))
        .optNumThreads(2)
        .build();
  }

  private static RuntimeEnvironment env() {
    return new RuntimeEnvironment("0.1.0", "0.36.0", "2.7.1", "17.0.2", "Vendor", "Linux", "6.1", "amd64", "Some CPU @ 2GHz", 8, 2, "cpu", "enabled");
  }

  private RunManifest manifest() throws Exception {
    Files.writeString(dir.resolve("train.jsonl"), "{\"pair\": [\"q\", \"d\"], \"label\": 1}\n");
    Files.writeString(dir.resolve("dev.jsonl"), "{\"query\": \"q\", \"documents\": [\"d\"], \"labels\": [1]}\n");
    TrainingArguments a = args();
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("dev/ndcg@10", 0.75);
    values.put("dev/map", Double.NaN);
    return RunManifest.start(
            a,
            List.of(DataFileDigest.of("train", a.trainData().get(0).path()), DataFileDigest.of("eval:dev", dir.resolve("dev.jsonl"))),
            env())
        .withCheckpoint(20, "b".repeat(64))
        .withCheckpoint(10, "a".repeat(64))
        .withMetrics(new MetricsRecord(10, 0.5, values))
        .withMetrics(new MetricsRecord(20, 1.0, Map.of("dev/ndcg@10", 0.8)))
        .withFinalFingerprint("c".repeat(64));
  }

  @Test
  void roundTripsThroughAFile() throws Exception {
    RunManifest m = manifest();
    Path file = dir.resolve(RunManifest.FILE_NAME);
    m.write(file);
    RunManifest back = RunManifest.read(file);
    assertThat(back.arguments()).isEqualTo(m.arguments());
    assertThat(back.seeds()).isEqualTo(m.seeds());
    assertThat(back.dataFiles()).isEqualTo(m.dataFiles());
    assertThat(back.environment()).isEqualTo(m.environment());
    assertThat(back.checkpoints()).extracting(CheckpointFingerprint::step).containsExactly(10L, 20L);
    assertThat(back.finalFingerprint()).isEqualTo("c".repeat(64));
    assertThat(back.metrics().get(0).values().get("dev/map")).isNaN();
    assertThat(back.metrics()).hasSize(2);
    assertThat(back.toJson()).isEqualTo(m.toJson());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(Files.readString(file)).contains("\"dev/map\" : null").contains("\"threads\" : 2")
        .contains("\"mklCpuDispatch\" : \"enabled\"");
  }

  @Test
  void perLabelArraysRoundTripAndOlderManifestsHaveNone() throws Exception {
    Map<String, double[]> perLabel = new LinkedHashMap<>();
    perLabel.put("dev/f1_per_label", new double[] {0.5, Double.NaN});
    RunManifest m = manifest().withMetrics(new MetricsRecord(30, 1.5, Map.of("dev/f1_macro", 0.5), perLabel));
    Path file = dir.resolve(RunManifest.FILE_NAME);
    m.write(file);
    assertThat(Files.readString(file)).containsOnlyOnce("perLabel");
    RunManifest back = RunManifest.read(file);
    assertThat(back.metrics()).isEqualTo(m.metrics());
    assertThat(back.metrics().get(0).perLabel()).isEmpty();
    assertThat(back.metrics().get(2).perLabel().get("dev/f1_per_label")).containsExactly(0.5, Double.NaN);
    assertThat(back.toJson()).isEqualTo(m.toJson());
  }

  @Test
  void aManifestRecordingGreaterIsBetterReadsItBackUnchanged() throws Exception {
    // run.json always records a resolved direction; one written before metrics were declared holds
    // the value guessed from the metric's name, and its argumentsSha256 still verifies
    TrainingArguments recorded = args().toBuilder().optMetricForBestModel("dev/ece").optGreaterIsBetter(true).build();
    RunManifest m = RunManifest.start(recorded, List.of(), env());
    Path file = dir.resolve(RunManifest.FILE_NAME);
    m.write(file);
    assertThat(Files.readString(file)).contains("\"greaterIsBetter\" : true");
    assertThat(RunManifest.read(file).arguments().greaterIsBetter()).isTrue();
    assertThat(RunManifest.read(file).arguments().sha256()).isEqualTo(recorded.sha256());
  }

  @Test
  void manifestsWithoutTheMklStateReadItAsUnknown() throws Exception {
    Path file = dir.resolve(RunManifest.FILE_NAME);
    manifest().write(file);
    Files.writeString(file, Files.readString(file).replaceAll(",\\s*\"mklCpuDispatch\" : \"enabled\"", ""));
    assertThat(Files.readString(file)).doesNotContain("mklCpuDispatch");
    assertThat(RunManifest.read(file).environment().mklCpuDispatch()).isEqualTo(RuntimeEnvironment.UNKNOWN);
  }

  @Test
  void recordsDataDigestsAndDerivedSeeds() throws Exception {
    RunManifest m = manifest();
    assertThat(m.dataFiles().get(0).sha256()).isEqualTo(dev.ce4j.train.data.DataFiles.sha256(dir.resolve("train.jsonl")));
    assertThat(m.seeds().master()).isEqualTo(42);
    assertThat(m.seeds().data()).isEqualTo(7);
    assertThat(m.seeds().derived())
        .containsEntry("weight-init", new DefaultSeedStrategy(42).seed(SeedPurpose.WEIGHT_INIT))
        .containsEntry("data-order", new DefaultSeedStrategy(7).seed(SeedPurpose.DATA_ORDER))
        .containsKeys("dropout", "negative-sampling", "evaluator-sampling");
    // ce-api's documented example: master 42, weight-init, index 0
    assertThat(m.seeds().derived().get("weight-init")).isEqualTo(2318848683828522353L);
  }

  @Test
  void truncationDropsLaterCheckpointsAndMetrics() throws Exception {
    RunManifest t = manifest().truncatedTo(10, env());
    assertThat(t.checkpoints()).extracting(CheckpointFingerprint::step).containsExactly(10L);
    assertThat(t.metrics()).extracting(MetricsRecord::step).containsExactly(10L);
    assertThat(t.finalFingerprint()).isNull();
  }

  @Test
  void editedArgumentsAreDetected() throws Exception {
    Path file = dir.resolve("run.json");
    manifest().write(file);
    Files.writeString(file, Files.readString(file).replace("\"numThreads\" : 2", "\"numThreads\" : 3"));
    assertThatThrownBy(() -> RunManifest.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("do not match their argumentsSha256");
  }

  @Test
  void otherFormatVersionsAreRefused() throws Exception {
    String json = manifest().toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
    assertThatThrownBy(() -> RunManifest.fromJson(json)).hasMessageContaining("format version 2 is not supported");
    assertThatThrownBy(() -> RunManifest.read(dir.resolve("none.json"))).hasMessageContaining("run manifest not found");
  }

  @Test
  void cpuModelIsReadFromCpuinfo() throws Exception {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nmodel name\t: other\n");
    assertThat(RuntimeEnvironment.cpuModel(cpuinfo)).isEqualTo("Intel(R) Xeon(R) CPU @ 2.20GHz");
    Path none = dir.resolve("cpuinfo2");
    Files.writeString(none, "processor : 0\n");
    assertThat(RuntimeEnvironment.cpuModel(none)).isEqualTo(RuntimeEnvironment.UNKNOWN);
    assertThat(RuntimeEnvironment.cpuModel(dir.resolve("absent"))).isEqualTo(RuntimeEnvironment.UNKNOWN);
  }

  @Test
  void detectsVersionsWithoutLoadingTheEngine() {
    RuntimeEnvironment e = RuntimeEnvironment.detect(3, "cpu", "2.7.1", "disabled");
    assertThat(e.ceVersion()).isNotEqualTo(RuntimeEnvironment.UNKNOWN).doesNotStartWith("${");
    assertThat(e.djlVersion()).isNotEqualTo(RuntimeEnvironment.UNKNOWN);
    assertThat(e.javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(e.logicalCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(e.threads()).isEqualTo(3);
    assertThat(e.mklCpuDispatch()).isEqualTo("disabled");
  }
}
