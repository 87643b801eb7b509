package dev.ce4j.train.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.LossSpec;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every loss trains through the batch layout it needs (pairs, multi-class, multi-label, lists,
 * positive-first with in-batch negatives): four steps give finite losses, and two runs give the
 * same weights. Plus the loss factory's messages.
 */
class TrainingLayoutsTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();

  @TempDir Path dir;

  private TrainingResult train(TrainingArguments args, Path out, List<Double> losses) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).progress(quiet)
        .callback(new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            losses.add(loss);
          }
        }).build()) {
      return t.train();
    }
  }

  private TrainingArguments.Builder base(String loss) {
    return TrainingArguments.read(TINY).toBuilder()
        .setLoss(LossSpec.of(loss)).optEvaluators(List.of()).optMetricForBestModel(null).optMaxSteps(4).optSaveSteps(100)
        .optBatchSize(4).optGradientAccumulationSteps(1);
  }

  private void assertTrainsReproducibly(TrainingArguments args) {
    List<Double> losses = new ArrayList<>();
    TrainingResult a = train(args, dir.resolve("a"), losses);
    TrainingResult b = train(args, dir.resolve("b"), new ArrayList<>());
    assertThat(losses).hasSize(4).allSatisfy(l -> assertThat(l).isFinite());
    assertThat(a.steps()).isEqualTo(4);
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bce", "mse"})
  void pointwiseLossesTrainOnPairs(String loss) {
    assertTrainsReproducibly(base(loss).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"listnet", "listmle", "plistmle", "lambda", "ranknet", "margin_mse", "mnrl"})
  void listAndPositiveFirstLossesTrainOnListwiseData(String loss) {
    assertTrainsReproducibly(base(loss).setTrainData(DataFile.listwise(DATA.resolve("dev.jsonl"))).build());
  }

  @Test
  void crossEntropyTrainsAModelWithTwoLabels() {
    TrainingArguments args = base("cross_entropy").build();
    args = args.toBuilder().setModel(args.model().withNumLabels(2)).build();
    assertTrainsReproducibly(args);
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
    TrainingArguments args = base("multilabel_bce").setTrainData(DataFile.pairs(data)).build();
    args = args.toBuilder().setModel(args.model().withNumLabels(2)).build();
    assertTrainsReproducibly(args);
  }

  @Test
  void aListLossOnPairDataIsRejectedNamingTheFile() {
    TrainingArguments args = base("lambda").build();
    assertThatThrownBy(() -> train(args, dir.resolve("a"), new ArrayList<>()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("loss 'lambda' needs listwise training data")
        .hasMessageContaining("train.jsonl");
  }

  @Test
  void theLossFactoryNamesUnknownLossesAndParameters() {
    assertThatThrownBy(() -> Losses.create(LossSpec.of("hinge")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown loss 'hinge'; known losses: bce, mse");
    assertThatThrownBy(() -> Losses.create(new LossSpec("bce", Parameters.of(Map.of("scale", "2")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown parameter 'scale' for loss 'bce'");
    assertThatThrownBy(() -> Losses.create(new LossSpec("mse", Parameters.of(Map.of("activation_fn", "relu")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("activation_fn must be sigmoid, identity or tanh, got 'relu'");
    assertThatThrownBy(() -> Losses.create(new LossSpec("multilabel_bce", Parameters.of(Map.of("pos_weight", "1, x")))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("loss 'multilabel_bce': pos_weight must be numbers separated by commas, one per label; value 2 is 'x'");
    assertThat(Losses.create(new LossSpec("mnrl", Parameters.of(Map.of("num_negatives", "all")))).parameters())
        .containsEntry("scale", "10.0");
    for (String name : Losses.NAMES) {
      assertThat(Losses.create(LossSpec.of(name)).id()).isEqualTo(name);
    }
  }
}
