package dev.ce4j.train.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.roberta.RobertaArchitecture;
import dev.ce4j.core.arch.roberta.RobertaConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.manifest.RunManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RoBERTa and XLM-RoBERTa train through every loss and every way a run starts, with the reference
 * fixtures of {@code ce-core} (a few steps of {@code ce-examples/configs/tiny.json}'s data): each
 * loss gives finite losses and two runs one fingerprint; a model created from a config and a
 * tokenizer, a fixture folder fine-tuned (as it is, with a new number of labels, without its head)
 * and a resumed run all end where they must; a pretrained encoder's folder (no classification head,
 * a masked-LM head and a pooler it does not use) gets its head from the run's weight seed.
 */
class RobertaTrainingTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch").toAbsolutePath().normalize();
  private static final String ROBERTA = "roberta/bpe-1label-len24";
  private static final String ROBERTA_3 = "roberta/bpe-3label-len62";
  private static final String XLMR = "xlm-roberta/unigram-1label-len32";

  @TempDir Path dir;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  /** A run's losses and result. */
  private record Run(TrainingResult result, List<Double> losses) {}

  private Run train(TrainingArguments args, Path out, boolean resume, long stopAfter) {
    List<Double> losses = new ArrayList<>();
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume)
        .progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
        .callback(new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            if (step == stopAfter + 1) {
              throw new IllegalStateException("stopped");
            }
            losses.add(loss);
          }
        }).build()) {
      return new Run(t.train(), losses);
    }
  }

  private Run train(TrainingArguments args, Path out) {
    return train(args, out, false, -1);
  }

  private static ModelSource scratch(String fixture) {
    return ModelSource.fromScratch(FIXTURES.resolve(fixture).resolve("config.json"),
        FIXTURES.resolve(fixture).resolve("tokenizer.json"));
  }

  /** tiny.json's schedule, cut to a few steps of 4 pairs, without evaluation. */
  private static TrainingArguments.Builder base(ModelSource model, String loss) {
    return TrainingArguments.read(TINY).toBuilder().setModel(model)
        .setLoss(LossSpec.of(loss)).optEvaluators(List.of()).optMetricForBestModel(null).optMaxSteps(4)
        .optSaveSteps(100).optBatchSize(4).optGradientAccumulationSteps(1);
  }

  private void assertTrainsReproducibly(TrainingArguments args) {
    Run a = train(args, dir.resolve("a"));
    Run b = train(args, dir.resolve("b"));
    assertThat(a.losses()).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    assertThat(a.result().steps()).isEqualTo(4);
    assertThat(b.result().fingerprint()).isEqualTo(a.result().fingerprint());
    assertThat(b.losses()).isEqualTo(a.losses());
  }

  static Stream<Arguments> lossesAndFamilies() {
    List<Arguments> out = new ArrayList<>();
    for (String fixture : List.of(ROBERTA, XLMR)) {
      for (String loss : List.of("bce", "mse", "cross_entropy", "multilabel_bce", "listnet", "listmle",
          "plistmle", "lambda", "ranknet", "margin_mse", "mnrl")) {
        out.add(Arguments.of(loss, fixture));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("lossesAndFamilies")
  void everyLossTrainsTheFamilyReproducibly(String loss, String fixture) throws IOException {
    TrainingArguments.Builder b = base(scratch(fixture), loss);
    switch (loss) {
      case "bce", "mse" -> { }
      case "cross_entropy" -> b.setModel(scratch(fixture).withNumLabels(2));
      case "multilabel_bce" -> {
        Path data = dir.resolve("multi.jsonl");
        Files.writeString(data, """
            {"pair": ["pasta sauce", "bake the pasta"], "label": [1, 0]}
            {"pair": ["pasta sauce", "the striker"], "label": [0, 1]}
            {"pair": ["a planet", "a comet in orbit"], "label": [1, 1]}
            {"pair": ["a planet", "flour and salt"], "label": [0, 0]}
            """);
        b.setModel(scratch(fixture).withNumLabels(2)).setTrainData(DataFile.pairs(data));
      }
      default -> b.setTrainData(DataFile.listwise(DATA.resolve("dev.jsonl")));
    }
    assertTrainsReproducibly(b.build());
  }

  @Test
  void aModelFromAConfigAndATokenizerTrainsResumesAndLoadsAsXlmRoberta() throws IOException {
    TrainingArguments args = TrainingArguments.read(TINY).toBuilder().setModel(scratch(XLMR))
        .optMaxSteps(8).optSaveSteps(2).optEvalSteps(4).build();
    Run whole = train(args, dir.resolve("whole"));
    assertThat(whole.losses()).hasSize(8).allSatisfy(l -> assertThat(l).isFinite());
    assertThat(whole.result().finalMetrics()).containsKey("dev/map");

    Path stopped = dir.resolve("stopped");
    assertThatThrownBy(() -> train(args, stopped, false, 5)).hasMessage("stopped");
    Run resumed = train(args, stopped, true, -1);
    assertThat(resumed.result().fingerprint()).isEqualTo(whole.result().fingerprint());
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("resuming from");

    Path model = dir.resolve("whole").resolve(CrossEncoderTrainer.FINAL_MODEL);
    JsonNode config = new ObjectMapper().readTree(model.resolve("config.json").toFile());
    assertThat(config.get("model_type").asText()).isEqualTo("xlm-roberta");
    assertThat(config.get("architectures").get(0).asText()).isEqualTo("XLMRobertaForSequenceClassification");
    assertThat(new ObjectMapper().readTree(model.resolve("tokenizer_config.json").toFile())
        .get("tokenizer_class").asText()).isEqualTo("XLMRobertaTokenizer");
    assertThat(ModelFingerprint.ofFolder(model)).isEqualTo(whole.result().fingerprint());
    try (CrossEncoder loaded = CrossEncoder.load(model)) {
      assertThat(loaded.config()).isInstanceOf(RobertaConfig.class);
      double[][] scores = loaded.predict(List.of(TextPair.of("what about star", "a star star comet"),
          TextPair.of("what about star", "oven recipe sauce")));
      assertThat(scores).hasDimensions(2, 1);
      assertThat(scores[0][0]).isBetween(0.0, 1.0).isNotEqualTo(scores[1][0]);
    }
  }

  @Test
  void aFixtureFolderIsFineTunedFromItsOwnWeightsAndResumes() throws IOException {
    Path folder = FIXTURES.resolve(ROBERTA);
    TrainingArguments args = TrainingArguments.read(TINY).toBuilder().setModel(ModelSource.folder(folder))
        .optMaxSteps(6).optSaveSteps(2).optEvalSteps(3).build();
    Run whole = train(args, dir.resolve("whole"));
    assertThat(initialFingerprints()).containsExactly(ModelFingerprint.ofFolder(folder));
    assertThat(whole.result().fingerprint()).isNotEqualTo(ModelFingerprint.ofFolder(folder));

    Path stopped = dir.resolve("stopped");
    assertThatThrownBy(() -> train(args, stopped, false, 3)).hasMessage("stopped");
    assertThat(train(args, stopped, true, -1).result().fingerprint()).isEqualTo(whole.result().fingerprint());

    Path model = dir.resolve("whole").resolve(CrossEncoderTrainer.FINAL_MODEL);
    JsonNode config = new ObjectMapper().readTree(model.resolve("config.json").toFile());
    assertThat(config.get("model_type").asText()).isEqualTo("roberta");
    assertThat(config.get("architectures").get(0).asText()).isEqualTo("RobertaForSequenceClassification");
    // the fixture's own tokenizer files travel with the model
    assertThat(Files.readAllBytes(model.resolve("tokenizer.json")))
        .isEqualTo(Files.readAllBytes(folder.resolve("tokenizer.json")));
  }

  @Test
  void anotherNumberOfLabelsReplacesOnlyTheOutputLayer() throws IOException {
    Path folder = FIXTURES.resolve(ROBERTA_3);
    TrainingArguments args = base(ModelSource.folder(folder).withNumLabels(1), "bce").build();
    Run run = train(args, dir.resolve("run"));
    assertThat(run.losses()).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    long weightSeed = RunManifest.read(dir.resolve("run").resolve(RunManifest.FILE_NAME))
        .seeds().derived().get(SeedPurpose.WEIGHT_INIT.key());
    RobertaConfig config = ((RobertaConfig) ModelFolder.readConfig(folder)).withNumLabels(1);
    LinkedHashMap<String, FloatTensor> expected = new LinkedHashMap<>();
    ModelFolder.readStoredWeights(folder, RobertaArchitecture.INSTANCE).forEach((name, t) ->
        expected.put(name, RobertaArchitecture.INSTANCE.isOutputLayer(name)
            ? WeightInit.initialTensor(config, name, weightSeed) : t));
    // classifier.dense is kept, out_proj drawn from the run's weight seed
    assertThat(initialFingerprints()).containsExactly(ModelFingerprint.of(expected));
    try (CrossEncoder loaded = CrossEncoder.load(dir.resolve("run").resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      assertThat(loaded.config().numLabels()).isEqualTo(1);
    }
  }

  @Test
  void aPretrainedEncoderFolderGetsTheHeadOfTheRunsWeightSeed() throws IOException {
    Path folder = dir.resolve("encoder");
    Files.createDirectories(folder);
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
      Files.copy(FIXTURES.resolve(XLMR).resolve(f), folder.resolve(f));
    }
    Architecture arch = RobertaArchitecture.INSTANCE;
    Map<String, FloatTensor> body = SafeTensors.readFloats(FIXTURES.resolve(XLMR).resolve("model.safetensors"),
        n -> !arch.isHead(n));
    // as a pretrained checkpoint (xlm-roberta-base) stores it: the encoder, a masked-LM head, a
    // pooler and the position_ids buffer of older transformers, all unused by the classifier
    LinkedHashMap<String, FloatTensor> stored = new LinkedHashMap<>(body);
    stored.put("roberta.embeddings.position_ids", new FloatTensor(new long[] {1, 34}, new float[34]));
    stored.put("roberta.pooler.dense.weight", new FloatTensor(new long[] {32, 32}, new float[32 * 32]));
    stored.put("roberta.pooler.dense.bias", new FloatTensor(new long[] {32}, new float[32]));
    stored.put("lm_head.dense.weight", new FloatTensor(new long[] {32, 32}, new float[32 * 32]));
    stored.put("lm_head.bias", new FloatTensor(new long[] {282}, new float[282]));
    SafeTensors.write(folder.resolve("model.safetensors"), stored, DType.F32, Map.of("format", "pt"));

    TrainingArguments args = base(ModelSource.folder(folder), "bce").build();
    Run a = train(args, dir.resolve("a"));
    Run b = train(args, dir.resolve("b"));
    assertThat(b.result().fingerprint()).isEqualTo(a.result().fingerprint());
    long weightSeed = RunManifest.read(dir.resolve("a").resolve(RunManifest.FILE_NAME))
        .seeds().derived().get(SeedPurpose.WEIGHT_INIT.key());
    RobertaConfig config = (RobertaConfig) ModelFolder.readConfig(folder);
    LinkedHashMap<String, FloatTensor> expected = new LinkedHashMap<>();
    for (String name : arch.tensorShapes(config).keySet()) {
      expected.put(name, body.containsKey(name) ? body.get(name) : WeightInit.initialTensor(config, name, weightSeed));
    }
    List<String> initial = initialFingerprints();
    assertThat(initial).hasSize(2).containsOnly(ModelFingerprint.of(expected));
  }

  /** The initial-weights fingerprints the trainer printed, in run order. */
  private List<String> initialFingerprints() {
    String prefix = "ce-train: initial weights fingerprint ";
    return progress.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).strip()).toList();
  }
}
