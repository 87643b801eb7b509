package dev.ce4j.train.toyarch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.Architectures;
import dev.ce4j.core.arch.bert.BertArchitecture;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.TrainingCallback;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The architecture seam is real: {@link ToyArchitecture}, defined only in this test module and
 * registered in its {@code META-INF/services}, is discovered next to BERT, and a model of it trains
 * reproducibly, resumes, is saved and loads and scores through the same code as BERT, with nothing
 * about it in {@code ce-core}.
 */
class ArchitecturePluginTest {
  private static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");
  private static final Path TINY_DATA = Path.of("..", "ce-examples", "data", "tiny").toAbsolutePath().normalize();

  @TempDir Path dir;

  private TrainingArguments args;

  @BeforeEach
  void toyConfig() throws Exception {
    Path config = dir.resolve("toy-config.json");
    Files.writeString(config, "{\"model_type\": \"toy-bow\", \"vocab_size\": 117, \"hidden_size\": 16,"
        + " \"max_position_embeddings\": 64, \"num_labels\": 1}");
    args = TrainingArguments.read(TINY).toBuilder()
        .setModel(ModelSource.fromScratch(config, TINY_DATA.resolve("tokenizer.json")))
        .optMaxSteps(12).optLearningRate(0.05).build();
  }

  private TrainingResult train(Path out, boolean resume, long stopAfter) {
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(args, out).resume(resume)
        .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .callback(new TrainingCallback() {
          @Override
          public void onStep(long step, double loss, double learningRate) {
            if (step == stopAfter + 1) {
              throw new IllegalStateException("stopped");
            }
          }
        }).build()) {
      return t.train();
    }
  }

  @Test
  void aPluginArchitectureIsDiscoveredNextToBert() {
    Architectures all = Architectures.load();
    assertThat(all.modelTypes()).contains("bert", ToyArchitecture.MODEL_TYPE);
    assertThat(all.forModelType("toy-bow", "x")).isInstanceOf(ToyArchitecture.class);
    assertThat(all.get("bert")).isInstanceOf(BertArchitecture.class);
  }

  @Test
  void itTrainsReproduciblyResumesSavesLoadsAndScores() throws Exception {
    TrainingResult first = train(dir.resolve("a"), false, -1);
    TrainingResult again = train(dir.resolve("b"), false, -1);
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(first.finalMetrics()).containsKey("dev/map");

    Path stopped = dir.resolve("c");
    assertThatThrownBy(() -> train(stopped, false, 7)).hasMessage("stopped");
    assertThat(train(stopped, true, -1).fingerprint()).isEqualTo(first.fingerprint());

    Path model = dir.resolve("a").resolve(CrossEncoderTrainer.FINAL_MODEL);
    assertThat(new ObjectMapper().readTree(model.resolve("config.json").toFile()).get("model_type").asText())
        .isEqualTo("toy-bow");
    assertThat(ModelFingerprint.ofFolder(model)).isEqualTo(first.fingerprint());
    try (CrossEncoder loaded = CrossEncoder.load(model)) {
      assertThat(loaded.config()).isInstanceOf(ToyConfig.class);
      assertThat(loaded.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.EAGER);
      double[][] scores = loaded.predict(List.of(TextPair.of("what about star", "a star star comet"),
          TextPair.of("what about star", "oven recipe sauce")));
      assertThat(scores).hasDimensions(2, 1);
      assertThat(scores[0][0]).isBetween(0.0, 1.0).isNotEqualTo(scores[1][0]);
    }
  }

  @Test
  void discoveryRefusesTwoArchitecturesWithOneIdOrModelType() {
    assertThatThrownBy(() -> Architectures.of(List.of(new BertArchitecture(), new BertArchitecture())))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("two architectures claim the id 'bert'");
    assertThatThrownBy(() -> Architectures.of(List.of(new ToyArchitecture(), new ToyArchitecture() {
      @Override
      public String id() {
        return "toy2";
      }
    })))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("two architectures claim the model_type 'toy-bow'");
  }

  @Test
  void anUnknownModelTypeIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> Architectures.load().forModelType("gpt2", "config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("config.json: unsupported model_type \"gpt2\"; the architectures on the class path serve"
            + " bert, distilbert, toy-bow (see ce architectures)");
  }
}
