package dev.ce4j.train.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingArgumentsTest {
  @TempDir Path dir;

  private static TrainingArguments.Builder minimal() {
    return TrainingArguments.builder()
        .setSeed(42)
        .setModel(ModelSource.folder(Path.of("models/base")))
        .setTrainData(DataFile.pairs(Path.of("data/train.jsonl")))
        .setLoss(LossSpec.of("bce"));
  }

  private static final String MINIMAL_JSON =
      "{\"seed\": 42, \"model\": {\"path\": \"models/base\"}, \"trainData\": \"data/train.jsonl\", \"loss\": \"bce\"";

  private static TrainingArguments parse(String body) {
    return TrainingArguments.fromJson(MINIMAL_JSON + body + "}", null);
  }

  @Test
  void defaultsFollowTransformers() {
    TrainingArguments a = minimal().build();
    assertThat(a.learningRate()).isEqualTo(5e-5);
    assertThat(a.scheduler()).isEqualTo(SchedulerType.LINEAR);
    assertThat(a.maxGradNorm()).isEqualTo(1.0);
    assertThat(a.gradientAccumulationSteps()).isEqualTo(1);
    assertThat(a.determinism()).isEqualTo(Determinism.SEEDED);
    assertThat(a.sampler()).isEqualTo(SamplerType.RANDOM);
    assertThat(a.device()).isEqualTo("cpu");
    assertThat(a.epochs()).isEqualTo(1);
    assertThat(a.evaluators()).isEmpty();
  }

  @Test
  void seedIsRequiredAndZeroIsASeed() {
    assertThatThrownBy(() -> TrainingArguments.builder()
            .setModel(ModelSource.folder(Path.of("m"))).setTrainData(DataFile.pairs(Path.of("t")))
            .setLoss(LossSpec.of("bce")).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("seed is required");
    TrainingArguments zero = minimal().setSeed(0).build();
    assertThat(zero.seed()).isZero();
    assertThat(zero.effectiveDataSeed()).isZero();
    assertThat(zero.toJson()).contains("\"seed\" : 0");
    assertThatThrownBy(() -> TrainingArguments.fromJson("{\"model\": \"m\", \"trainData\": \"t\", \"loss\": \"bce\"}", null))
        .hasMessageContaining("missing required field 'seed'");
  }

  @Test
  void dataSeedDefaultsToSeedAndFollowsIt() {
    TrainingArguments a = minimal().build();
    assertThat(a.dataSeed()).isNull();
    assertThat(a.effectiveDataSeed()).isEqualTo(42);
    assertThat(a.withSeed(7).effectiveDataSeed()).isEqualTo(7);
    TrainingArguments b = minimal().optDataSeed(99L).build();
    assertThat(b.withSeed(7).effectiveDataSeed()).isEqualTo(99);
    assertThat(b.withSeed(-3).seed()).isEqualTo(-3);
  }

  @Test
  void jsonFileRoundTripsAndResolvesRelativePaths() throws Exception {
    Path file = dir.resolve("configs/run.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        {
          "seed": -5,
          "dataSeed": 11,
          "model": {"config": "../tiny/config.json", "tokenizer": "../tiny/tokenizer.json", "numLabels": 3},
          "trainData": [{"path": "train.jsonl", "format": "listwise"}, "extra.jsonl"],
          "loss": {"name": "lambdaloss", "params": {"k": 10, "scale": 0.5, "sigmoid": true, "name": "x"}},
          "evaluators": [{"id": "reranking", "name": "dev", "params": {"at_k": 10}, "data": {"path": "dev.jsonl", "format": "listwise"}}],
          "maxSteps": 100, "batchSize": 4, "learningRate": 1e-4, "scheduler": "cosine", "warmupSteps": 10,
          "weightDecay": 0.01, "gradientAccumulationSteps": 2, "maxGradNorm": 0, "evalSteps": 10, "saveSteps": 20,
          "saveTotalLimit": 2, "loadBestModelAtEnd": true, "metricForBestModel": "dev/ndcg@10",
          "earlyStoppingPatience": 3, "earlyStoppingMinDelta": 0.001, "loggingSteps": 5, "numThreads": 2,
          "device": "CPU", "determinism": "strict", "sampler": "no-duplicates"
        }
        """);
    TrainingArguments a = TrainingArguments.read(file);
    Path base = file.toAbsolutePath().getParent();
    assertThat(a.model().config()).isEqualTo(base.resolve("../tiny/config.json").normalize());
    assertThat(a.model().numLabels()).isEqualTo(3);
    assertThat(a.trainData()).containsExactly(
        DataFile.listwise(base.resolve("train.jsonl")), DataFile.pairs(base.resolve("extra.jsonl")));
    assertThat(a.loss().params().asMap()).containsEntry("k", "10").containsEntry("scale", "0.5").containsEntry("sigmoid", "true");
    assertThat(a.evaluators().get(0).name()).isEqualTo("dev");
    assertThat(a.scheduler()).isEqualTo(SchedulerType.COSINE);
    assertThat(a.determinism()).isEqualTo(Determinism.STRICT);
    assertThat(a.sampler()).isEqualTo(SamplerType.NO_DUPLICATES);
    assertThat(a.device()).isEqualTo("cpu");
    assertThat(a.greaterIsBetter()).as("unset: the trainer follows the metric's declaration").isNull();

    TrainingArguments back = TrainingArguments.fromJson(a.toJson(), null);
    assertThat(back).isEqualTo(a);
    assertThat(back.toJson()).isEqualTo(a.toJson());
    assertThat(back.sha256()).isEqualTo(a.sha256()).hasSize(64);
  }

  @Test
  void canonicalJsonHasEveryFieldInRecordOrderAndSortedParams() {
    TrainingArguments a = minimal()
        .setLoss(new LossSpec("bce", Parameters.of(Map.of("z", "1", "a", "2"))))
        .build();
    String json = a.toJson();
    int last = -1;
    for (String f : TrainingArgumentsJson.FIELDS) {
      int at = json.indexOf("\"" + f + "\" :");
      assertThat(at).as(f).isGreaterThan(last);
      last = at;
    }
    assertThat(json.indexOf("\"a\" : \"2\"")).isLessThan(json.indexOf("\"z\" : \"1\""));
    assertThat(json).contains("\"dataSeed\" : null").endsWith("}\n");
  }

  @Test
  void shaChangesWithAnyField() {
    assertThat(minimal().build().sha256()).isEqualTo(minimal().build().sha256());
    assertThat(minimal().optNumThreads(4).build().sha256()).isNotEqualTo(minimal().build().sha256());
  }

  @Test
  void differencesNameTheField() {
    TrainingArguments a = minimal().optNumThreads(2).build();
    TrainingArguments b = minimal().optNumThreads(4).build();
    assertThat(a.differences(b)).containsExactly("numThreads differs: 2 vs 4");
    assertThat(a.differences(a)).isEmpty();
    TrainingArguments c = minimal().optNumThreads(2).setLoss(new LossSpec("bce", Parameters.of(Map.of("pos_weight", "2")))).build();
    assertThat(a.differences(c)).containsExactly("loss.params.pos_weight differs: (absent) vs 2");
    TrainingArguments d = minimal().optNumThreads(2).setTrainData(DataFile.pairs(Path.of("other.jsonl"))).build();
    assertThat(a.differences(d)).containsExactly("trainData[0].path differs: data/train.jsonl vs other.jsonl");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"epochs\": 0                 | epochs must be at least 1, got 0",
        "\"maxSteps\": -1              | maxSteps must be at least 0, got -1",
        "\"batchSize\": 0              | batchSize must be at least 1, got 0",
        "\"learningRate\": 0           | learningRate must be a finite number above 0, got 0.0",
        "\"learningRate\": -1e-3       | learningRate must be a finite number above 0, got -0.001",
        "\"warmupRatio\": 1            | warmupRatio must be in [0, 1), got 1.0",
        "\"warmupSteps\": -2           | warmupSteps must be at least 0, got -2",
        "\"weightDecay\": -0.1         | weightDecay must be a finite number at least 0, got -0.1",
        "\"gradientAccumulationSteps\": 0 | gradientAccumulationSteps must be at least 1, got 0",
        "\"maxGradNorm\": -1           | maxGradNorm must be a finite number at least 0, got -1.0",
        "\"evalSteps\": -1             | evalSteps must be at least 0, got -1",
        "\"saveSteps\": -1             | saveSteps must be at least 0, got -1",
        "\"saveTotalLimit\": -1        | saveTotalLimit must be at least 0, got -1",
        "\"earlyStoppingPatience\": -1 | earlyStoppingPatience must be at least 0, got -1",
        "\"earlyStoppingMinDelta\": -1 | earlyStoppingMinDelta must be a finite number at least 0, got -1.0",
        "\"loggingSteps\": 0           | loggingSteps must be at least 1, got 0",
        "\"numThreads\": -1            | numThreads must be at least 0, got -1",
        "\"device\": \"tpu\"           | device must be auto, cpu, gpu or gpu:N (cuda is a synonym of gpu), got 'tpu'",
        "\"scheduler\": \"step\"       | field 'scheduler' must be one of constant, linear, cosine, got \"step\"",
        "\"determinism\": \"full\"     | field 'determinism' must be one of seeded, strict, got \"full\"",
        "\"sampler\": \"x\"            | field 'sampler' must be one of random, no-duplicates, group-by-length, got \"x\"",
        "\"batchSize\": \"16\"         | field 'batchSize' must be an integer (32-bit), got \"16\"",
        "\"batchSize\": 1.5            | field 'batchSize' must be an integer (32-bit), got 1.5",
        "\"seed\": 1e3                 | field 'seed' must be an integer, got 1000.0",
        "\"batchSize\": 3000000000     | field 'batchSize' must be an integer (32-bit), got 3000000000",
        "\"learningRate\": \"fast\"    | field 'learningRate' must be a finite number, got \"fast\"",
        "\"loadBestModelAtEnd\": 1     | field 'loadBestModelAtEnd' must be true or false, got 1",
        "\"lr\": 0.1                   | unknown field 'lr'; known fields: seed, dataSeed, model",
        "\"warmupRatio\": 0.1, \"warmupSteps\": 5 | set warmupRatio or warmupSteps, not both; got warmupRatio 0.1 and warmupSteps 5",
        "\"loadBestModelAtEnd\": true  | loadBestModelAtEnd needs metricForBestModel",
        "\"earlyStoppingPatience\": 2, \"metricForBestModel\": \"m\" | earlyStoppingPatience needs at least one evaluator",
      })
  void invalidValuesAreRejectedNamingFieldAndValue(String field, String message) {
    String body = ", " + field.trim();
    String json = body.startsWith(", \"seed\"")
        ? "{\"model\": \"m\", \"trainData\": \"t\", \"loss\": \"bce\"" + body + "}"
        : MINIMAL_JSON + body + "}";
    assertThatThrownBy(() -> TrainingArguments.fromJson(json, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void unknownNestedFieldsAreNamedWithTheirPath() {
    assertThatThrownBy(() -> TrainingArguments.fromJson(
            "{\"seed\": 1, \"model\": {\"path\": \"m\", \"num_labels\": 2}, \"trainData\": \"t\", \"loss\": \"bce\"}", null))
        .hasMessageContaining("unknown field 'model.num_labels'");
    assertThatThrownBy(() -> parse(", \"evaluators\": [{\"id\": \"reranking\", \"data\": \"d\", \"param\": {}}]"))
        .hasMessageContaining("unknown field 'evaluators[0].param'");
    assertThatThrownBy(() -> TrainingArguments.fromJson(
            "{\"seed\": 1, \"model\": \"m\", \"trainData\": \"t\", \"loss\": {\"name\": \"bce\", \"params\": {\"w\": [1]}}}", null))
        .hasMessageContaining("field 'loss.params.w' must be a string, number or boolean, got [1]");
  }

  @Test
  void malformedJsonNamesFileAndLine() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"seed\": 1,\n  \"model\": \n}\n");
    assertThatThrownBy(() -> TrainingArguments.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 4");
    assertThatThrownBy(() -> TrainingArguments.read(dir.resolve("missing.json")))
        .hasMessageContaining("config file not found");
  }

  @Test
  void modelSourceNeedsExactlyOneForm() {
    assertThatThrownBy(() -> parse(", \"x\": 1").model()).hasMessageContaining("unknown field 'x'");
    assertThatThrownBy(() -> TrainingArguments.fromJson(
            "{\"seed\": 1, \"model\": {\"config\": \"c.json\"}, \"trainData\": \"t\", \"loss\": \"bce\"}", null))
        .hasMessageContaining("both \"config\" (config.json) and \"tokenizer\"");
    assertThatThrownBy(() -> TrainingArguments.fromJson(
            "{\"seed\": 1, \"model\": {\"path\": \"p\", \"config\": \"c.json\"}, \"trainData\": \"t\", \"loss\": \"bce\"}", null))
        .hasMessageContaining("not both");
  }

  @Test
  void greaterIsBetterStaysUnsetUntilTheTrainerResolvesIt() {
    DataFile dev = DataFile.listwise(Path.of("dev.jsonl"));
    TrainingArguments loss = minimal().optEvaluators(List.of(EvaluatorSpec.of("reranking", dev)))
        .optEarlyStoppingPatience(2).optMetricForBestModel("dev/eval_loss").build();
    assertThat(loss.greaterIsBetter()).isNull();
    assertThat(loss.toJson()).contains("\"greaterIsBetter\" : null");
    TrainingArguments set = loss.toBuilder().optGreaterIsBetter(false).build();
    assertThat(set.greaterIsBetter()).isFalse();
    assertThat(set.differences(loss)).containsExactly("greaterIsBetter differs: false vs null");
    assertThat(TrainingArguments.fromJson(set.toJson(), null)).isEqualTo(set);
    assertThat(TrainingArguments.fromJson(loss.toJson(), null)).isEqualTo(loss);
  }

  @Test
  void loadBestModelNeedsCheckpointsAtEvaluations() {
    DataFile dev = DataFile.listwise(Path.of("dev.jsonl"));
    TrainingArguments.Builder b = minimal().optEvaluators(List.of(EvaluatorSpec.of("reranking", dev)))
        .optLoadBestModelAtEnd(true).optMetricForBestModel("reranking/ndcg@10");
    assertThatThrownBy(() -> b.optEvalSteps(10).optSaveSteps(15).build())
        .hasMessageContaining("saveSteps to be a multiple of evalSteps, got saveSteps 15 and evalSteps 10");
    assertThatThrownBy(() -> b.optEvalSteps(10).optSaveSteps(0).build())
        .hasMessageContaining("must both be 0");
    assertThat(b.optEvalSteps(10).optSaveSteps(20).build().saveSteps()).isEqualTo(20);
  }

  @Test
  void evaluatorNamesMustBeUnique() {
    DataFile dev = DataFile.listwise(Path.of("dev.jsonl"));
    assertThatThrownBy(() -> minimal().optEvaluators(List.of(EvaluatorSpec.of("reranking", dev), EvaluatorSpec.of("reranking", dev))).build())
        .hasMessageContaining("the name 'reranking' is used twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev/test", "dev,test", "dev test", "dev\ntest", "dév", "\"dev\""})
  void evaluatorNamesThatWouldBreakMetricKeysOrColumnsAreRefused(String name) {
    DataFile dev = DataFile.listwise(Path.of("dev.jsonl"));
    assertThatThrownBy(() -> new EvaluatorSpec(name, "reranking", Parameters.empty(), dev))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("evaluator name '" + name + "' may hold only letters, digits");
  }

  @Test
  void theThreadCountIsBounded() {
    assertThat(minimal().optNumThreads(TrainingArguments.MAX_THREADS).build().numThreads()).isEqualTo(1024);
    assertThatThrownBy(() -> minimal().optNumThreads(100_000).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("numThreads must be at most 1024 (0 = one per logical core), got 100000");
  }

  @Test
  void theEvaluatorNameTrainIsTakenByTheTrainingLoss() {
    assertThatThrownBy(() -> parse(", \"evaluators\": [{\"name\": \"train\", \"id\": \"reranking\", \"data\": \"d.jsonl\"}]"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("evaluator name 'train' is taken by the training loss (train/loss)");
    assertThat(new EvaluatorSpec("dev-2.a_b", "reranking", Parameters.empty(), DataFile.pairs(Path.of("d"))).name())
        .isEqualTo("dev-2.a_b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "auto", "gpu", "gpu:1", "cuda", "cuda:0", " GPU:2 "})
  void deviceNamesAreAccepted(String device) {
    assertThat(minimal().optDevice(device).build().device()).isEqualTo(device.trim().toLowerCase(java.util.Locale.ROOT));
  }
}
