package dev.ce4j.train.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.electra.ElectraConfig;
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
import dev.ce4j.train.internal.InitialModel;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ELECTRA trains through ce-train like BERT: every loss through the batch layout it needs (four
 * steps, finite losses, two runs to one fingerprint), from a config and a tokenizer and from a
 * reference folder, with resume after a stop ending at the uninterrupted run's fingerprint; an
 * {@code ElectraForPreTraining} folder (no classification head) fine-tunes with a seeded head.
 */
class ElectraTrainingTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();
  private static final Path FIXTURES =
      Path.of("..", "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "electra")
          .toAbsolutePath().normalize();
  /** embedding_size 16 projected to hidden 32, one label, max length 24. */
  private static final Path PROJECTED = FIXTURES.resolve("wordpiece-project-1label-len24");
  /** embedding_size = hidden 32, three labels, max length 64. */
  private static final Path THREE_LABELS = FIXTURES.resolve("wordpiece-3label-len64");

  @TempDir Path dir;

  private static TrainingResult train(TrainingArguments args, Path out, boolean resume, long stopAfter,
      List<Double> losses) {
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume)
        .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .callback(new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            if (step == stopAfter + 1) {
              throw new IllegalStateException("stopped");
            }
            losses.add(loss);
          }
        }).build()) {
      return t.train();
    }
  }

  private static TrainingArguments.Builder lossRun(String loss, ModelSource model) {
    return TrainingArguments.read(TINY).toBuilder()
        .setModel(model).setLoss(LossSpec.of(loss)).optEvaluators(List.of()).optMetricForBestModel(null)
        .optMaxSteps(4).optSaveSteps(100).optBatchSize(4).optGradientAccumulationSteps(1).optLearningRate(0.01);
  }

  private void assertTrainsReproducibly(TrainingArguments args) {
    List<Double> losses = new ArrayList<>();
    TrainingResult a = train(args, dir.resolve("a"), false, -1, losses);
    TrainingResult b = train(args, dir.resolve("b"), false, -1, new ArrayList<>());
    assertThat(losses).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    assertThat(a.steps()).isEqualTo(4);
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
    // it trained: the weights moved away from the folder's
    assertThat(a.fingerprint()).isNotEqualTo(ModelFingerprint.ofFolder(PROJECTED));
    try (CrossEncoder model = CrossEncoder.load(dir.resolve("a").resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      assertThat(model.config()).isInstanceOf(ElectraConfig.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bce", "mse"})
  void pointwiseLossesTrainOnPairs(String loss) {
    assertTrainsReproducibly(lossRun(loss, ModelSource.folder(PROJECTED)).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"listnet", "listmle", "plistmle", "lambda", "ranknet", "margin_mse", "mnrl"})
  void listAndPositiveFirstLossesTrainOnListwiseData(String loss) {
    assertTrainsReproducibly(lossRun(loss, ModelSource.folder(PROJECTED))
        .setTrainData(DataFile.listwise(DATA.resolve("dev.jsonl"))).build());
  }

  @Test
  void crossEntropyTrainsWithTwoLabelsOnANewOutputLayer() {
    assertTrainsReproducibly(lossRun("cross_entropy", ModelSource.folder(PROJECTED).withNumLabels(2)).build());
  }

  @Test
  void multiLabelBceTrainsOnLabelArrays() throws IOException {
    Path data = dir.resolve("multi.jsonl");
    Files.writeString(data, """
        {"pair": ["pasta sauce", "bake the pasta"], "label": [1, 0]}
        {"pair": ["pasta sauce", "the striker"], "label": [0, 1]}
        {"pair": ["a planet", "a comet in orbit"], "label": [1, 1]}
        {"pair": ["a planet", "flour and salt"], "label": [0, 0]}
        """);
    assertTrainsReproducibly(lossRun("multilabel_bce", ModelSource.folder(PROJECTED).withNumLabels(2))
        .setTrainData(DataFile.pairs(data)).build());
  }

  /** A run from a config and a tokenizer, and a fine-tuning run: reproducible, resumable. */
  @Test
  void fromScratchAndFineTuningRunsAreReproducibleAndResume() throws IOException {
    Path config = dir.resolve("electra-config.json");
    Files.writeString(config, "{\"model_type\": \"electra\", \"vocab_size\": 269, \"embedding_size\": 16,"
        + " \"hidden_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"intermediate_size\": 48,"
        + " \"max_position_embeddings\": 64, \"num_labels\": 1}");
    for (ModelSource source : List.of(
        ModelSource.fromScratch(config, PROJECTED.resolve("tokenizer.json")), ModelSource.folder(PROJECTED))) {
      Path runs = Files.createDirectories(dir.resolve(source.isFromScratch() ? "scratch" : "finetune"));
      TrainingArguments args = TrainingArguments.read(TINY).toBuilder().setModel(source).optMaxSteps(9)
          .optLearningRate(0.01).build();
      List<Double> losses = new ArrayList<>();
      TrainingResult first = train(args, runs.resolve("a"), false, -1, losses);
      assertThat(losses).hasSize(9).allSatisfy(l -> assertThat(l).isFinite());
      assertThat(first.finalMetrics()).containsKey("dev/map");
      assertThat(train(args, runs.resolve("b"), false, -1, new ArrayList<>()).fingerprint())
          .isEqualTo(first.fingerprint());
      Path stopped = runs.resolve("c");
      assertThatThrownBy(() -> train(args, stopped, false, 5, new ArrayList<>())).hasMessage("stopped");
      assertThat(train(args, stopped, true, -1, new ArrayList<>()).fingerprint()).isEqualTo(first.fingerprint());

      Path model = runs.resolve("a").resolve(CrossEncoderTrainer.FINAL_MODEL);
      assertThat(ModelFingerprint.ofFolder(model)).isEqualTo(first.fingerprint());
      ObjectNode written = (ObjectNode) new ObjectMapper().readTree(model.resolve(ModelFolder.CONFIG).toFile());
      assertThat(written.get("model_type").asText()).isEqualTo("electra");
      assertThat(written.get("architectures").get(0).asText()).isEqualTo("ElectraForSequenceClassification");
      try (CrossEncoder loaded = CrossEncoder.load(model)) {
        ElectraConfig c = (ElectraConfig) loaded.config();
        assertThat(c.embeddingSize()).isEqualTo(16);
        assertThat(c.hasEmbeddingProjection()).isTrue();
        double[][] s = loaded.predict(List.of(TextPair.of("what about star", "a star star comet"),
            TextPair.of("what about star", "oven recipe sauce")));
        assertThat(s[0][0]).isBetween(0.0, 1.0).isNotEqualTo(s[1][0]);
      }
    }
  }

  /**
   * A folder as {@code ElectraForPreTraining} saves it: the body, the replaced-token detector
   * ({@code discriminator_predictions.*}), a {@code position_ids} buffer, no {@code id2label}
   * (two labels by transformers' default). {@code CrossEncoder.load} refuses it for want of a head;
   * the trainer's starting model keeps its body, skips the detector and draws the head from the
   * seed, the same head for the same seed; and it fine-tunes.
   */
  @Test
  void anElectraForPreTrainingFolderFineTunesWithASeededHead() throws IOException {
    Path folder = pretrainingFolder();
    assertThatThrownBy(() -> CrossEncoder.load(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tensor 'classifier.dense.weight' is missing");

    LinkedHashMap<String, FloatTensor> body = ModelFolder.read(PROJECTED).weights();
    body.keySet().removeIf(n -> n.startsWith("classifier."));
    ModelSource source = ModelSource.folder(folder).withNumLabels(1);
    CrossEncoderOptions cpu = CrossEncoderOptions.defaults().withDevice("cpu");
    String fingerprint;
    try (CrossEncoder a = InitialModel.build(source, 11, cpu); CrossEncoder b = InitialModel.build(source, 11, cpu);
        CrossEncoder c = InitialModel.build(source, 12, cpu)) {
      ModelConfig config = a.config();
      assertThat(config.numLabels()).isEqualTo(1);
      LinkedHashMap<String, FloatTensor> w = a.weights().toHost();
      assertThat(w.keySet()).noneMatch(n -> n.startsWith("discriminator_predictions."));
      w.forEach((n, t) -> {
        FloatTensor want = n.startsWith("classifier.") ? WeightInit.initialTensor(config, n, 11) : body.get(n);
        assertThat(t.bitwiseEquals(want)).as(n).isTrue();
      });
      fingerprint = ModelFingerprint.of(a.weights());
      assertThat(ModelFingerprint.of(b.weights())).isEqualTo(fingerprint);
      assertThat(ModelFingerprint.of(c.weights())).isNotEqualTo(fingerprint);
    }
    List<Double> losses = new ArrayList<>();
    TrainingResult r = train(lossRun("bce", source).build(), dir.resolve("run"), false, -1, losses);
    assertThat(losses).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    assertThat(r.fingerprint()).isNotEqualTo(fingerprint);
    try (CrossEncoder tuned = CrossEncoder.load(dir.resolve("run").resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      assertThat(tuned.config().numLabels()).isEqualTo(1);
    }
  }

  /** The three-label reference folder fine-tunes into a one-label model (a new output layer). */
  @Test
  void aThreeLabelFolderFineTunesToOneLabel() {
    TrainingArguments args = lossRun("bce", ModelSource.folder(THREE_LABELS).withNumLabels(1)).build();
    List<Double> losses = new ArrayList<>();
    TrainingResult r = train(args, dir.resolve("one"), false, -1, losses);
    assertThat(losses).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    try (CrossEncoder tuned = CrossEncoder.load(dir.resolve("one").resolve(CrossEncoderTrainer.FINAL_MODEL))) {
      assertThat(tuned.config().numLabels()).isEqualTo(1);
      assertThat(((ElectraConfig) tuned.config()).hasEmbeddingProjection()).isFalse();
    }
    assertThat(r.fingerprint()).isNotEqualTo(ModelFingerprint.ofFolder(THREE_LABELS));
  }

  private Path pretrainingFolder() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("electra-discriminator"));
    try (Stream<Path> files = Files.list(PROJECTED)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().equals("reference.json")) {
          Files.copy(f, folder.resolve(f.getFileName()));
        }
      }
    }
    LinkedHashMap<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("electra.embeddings.position_ids", new FloatTensor(new long[] {1, 40}, new float[40]));
    ModelFolder.read(PROJECTED).weights().forEach((n, t) -> {
      if (!n.startsWith("classifier.")) {
        w.put(n, t);
      }
    });
    w.put("discriminator_predictions.dense.weight", filled(new long[] {32, 32}, 0.01f));
    w.put("discriminator_predictions.dense.bias", filled(new long[] {32}, 0.02f));
    w.put("discriminator_predictions.dense_prediction.weight", filled(new long[] {1, 32}, 0.03f));
    w.put("discriminator_predictions.dense_prediction.bias", filled(new long[] {1}, 0.04f));
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), w, DType.F32, Map.of("format", "pt"));
    Path config = folder.resolve(ModelFolder.CONFIG);
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = (ObjectNode) json.readTree(config.toFile());
    c.putArray("architectures").add("ElectraForPreTraining");
    c.remove("id2label");
    c.remove("label2id");
    Files.writeString(config, json.writeValueAsString(c));
    return folder;
  }

  private static FloatTensor filled(long[] shape, float v) {
    return WeightInit.filled(shape, v);
  }
}
