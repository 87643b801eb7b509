package dev.ce4j.core.arch.electra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.arch.Architectures;
import dev.ce4j.core.arch.encoder.EncoderLayout;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ElectraConfig} and the parts of {@link ElectraArchitecture} that are tables: transformers'
 * defaults, validation naming the key, config.json written and read back, the encoder layout, and
 * seeded initialisation as transformers' {@code _init_weights}.
 */
class ElectraConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ElectraConfig small() {
    return ElectraConfig.builder().vocabSize(269).embeddingSize(16).hiddenSize(32).numHiddenLayers(2)
        .numAttentionHeads(4).intermediateSize(64).maxPositionEmbeddings(40).build();
  }

  @Test
  void itIsDiscoveredForItsModelType() {
    assertThat(Architectures.load().forModelType("electra", "config.json")).isInstanceOf(ElectraArchitecture.class);
    assertThat(Architectures.load().get("electra")).isInstanceOf(ElectraArchitecture.class);
    assertThat(ElectraArchitecture.INSTANCE.description()).contains("ElectraForSequenceClassification");
  }

  /** The defaults documented for transformers' {@code ElectraConfig}. */
  @Test
  void aConfigWithOnlyTheSizesTakesTransformersDefaults() {
    ElectraConfig c = (ElectraConfig) ConfigJson.parse("{\"model_type\": \"electra\", \"vocab_size\": 100,"
        + " \"embedding_size\": 8, \"hidden_size\": 16, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
        + " \"intermediate_size\": 24}", "config.json");
    assertThat(c.hiddenAct()).isEqualTo("gelu");
    assertThat(c.hiddenDropoutProb()).isEqualTo(0.1);
    assertThat(c.attentionProbsDropoutProb()).isEqualTo(0.1);
    assertThat(c.maxPositionEmbeddings()).isEqualTo(512);
    assertThat(c.typeVocabSize()).isEqualTo(2);
    assertThat(c.initializerRange()).isEqualTo(0.02);
    assertThat(c.layerNormEps()).isEqualTo(1e-12);
    assertThat(c.padTokenId()).isZero();
    assertThat(c.classifierDropout()).isNull();
    assertThat(c.effectiveClassifierDropout()).isEqualTo(0.1);
    assertThat(c.numLabels()).isEqualTo(2); // transformers' num_labels default
    assertThat(c.activation()).isEqualTo(ScoreActivation.IDENTITY);
    assertThat(c.maxLength()).isEqualTo(512);
    // and the builder's defaults are transformers' ElectraConfig() (electra-small-discriminator)
    ElectraConfig d = ElectraConfig.builder().build();
    assertThat(List.of(d.vocabSize(), d.embeddingSize(), d.hiddenSize(), d.numHiddenLayers(), d.numAttentionHeads(),
        d.intermediateSize(), d.maxPositionEmbeddings(), d.typeVocabSize()))
        .containsExactly(30522, 128, 256, 12, 4, 1024, 512, 2);
    assertThat(d.describeSizes()).isEqualTo("12 layers, hidden 256, 4 heads, intermediate 1024, embedding 128");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        invalid(b -> b.embeddingSize(0), "embedding_size must be at least 1, got 0"),
        invalid(b -> b.vocabSize(-1), "vocab_size must be at least 1"),
        invalid(b -> b.numAttentionHeads(5), "hidden_size 32 is not a multiple of num_attention_heads 5"),
        invalid(b -> b.numHiddenLayers(1025), "num_hidden_layers 1025 is more than ce supports"),
        invalid(b -> b.hiddenAct("gelu_new"), "hidden_act 'gelu_new' is not supported"),
        invalid(b -> b.hiddenDropoutProb(1), "hidden_dropout_prob must be in [0, 1), got 1.0"),
        invalid(b -> b.attentionProbsDropoutProb(-0.1), "attention_probs_dropout_prob must be in [0, 1)"),
        invalid(b -> b.classifierDropout(Double.NaN), "classifier_dropout must be in [0, 1), got NaN"),
        invalid(b -> b.maxPositionEmbeddings(3), "max_position_embeddings must be at least 4, got 3"),
        invalid(b -> b.maxLength(41), "max_length 41 must be between 4"),
        invalid(b -> b.typeVocabSize(0), "type_vocab_size must be at least 1, got 0"),
        invalid(b -> b.initializerRange(0), "initializer_range must be positive, got 0.0"),
        invalid(b -> b.layerNormEps(Double.POSITIVE_INFINITY), "layer_norm_eps must be positive"),
        invalid(b -> b.padTokenId(269), "pad_token_id 269 is outside [0, vocab_size 269)"),
        invalid(b -> b.vocabSize(100_000_000).embeddingSize(64),
            "vocab_size 100000000 x embedding_size 64 = 6400000000 values in the word embedding"),
        invalid(b -> b.embeddingSize(1 << 16).hiddenSize(1 << 16).numAttentionHeads(1),
            "hidden_size 65536 x embedding_size 65536"));
  }

  private static Arguments invalid(UnaryOperator<ElectraConfig.Builder> edit, String message) {
    return Arguments.of(edit, message);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidFieldsAreRefusedNamingTheKey(UnaryOperator<ElectraConfig.Builder> edit, String message) {
    assertThatThrownBy(() -> edit.apply(small().toBuilder()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<ElectraConfig> variants() {
    return Stream.of(
        small(),
        small().toBuilder().embeddingSize(32).numLabels(3).classifierDropout(0.25).build(),
        small().withLabels(List.of("irrelevant", "relevant")).withActivation(ScoreActivation.SIGMOID).withMaxLength(24),
        small().toBuilder().layerNormEps(1e-5).initializerRange(0.05).padTokenId(3).typeVocabSize(4)
            .hiddenDropoutProb(0).attentionProbsDropoutProb(0.2).build());
  }

  @ParameterizedTest
  @MethodSource("variants")
  void writtenConfigsReadBackEqual(ElectraConfig config) throws Exception {
    String json = ConfigJson.toJson(config);
    assertThat(ConfigJson.parse(json, "written")).isEqualTo(config);
    ObjectNode node = (ObjectNode) JSON.readTree(json);
    assertThat(node.get("architectures").get(0).asText()).isEqualTo("ElectraForSequenceClassification");
    assertThat(node.get("model_type").asText()).isEqualTo("electra");
    for (String key : List.of("vocab_size", "embedding_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
        "intermediate_size", "hidden_act", "hidden_dropout_prob", "attention_probs_dropout_prob",
        "max_position_embeddings", "type_vocab_size", "initializer_range", "layer_norm_eps", "pad_token_id",
        "classifier_dropout", "summary_type", "summary_use_proj", "summary_activation", "summary_last_dropout",
        "position_embedding_type", "use_cache")) {
      assertThat(node.has(key)).as(key).isTrue();
    }
  }

  @Test
  void withMethodsChangeOnlyWhatTheyName() {
    ElectraConfig c = small();
    ElectraConfig three = c.withNumLabels(3);
    assertThat(three.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
    assertThat(three.toBuilder().labels(c.labels()).build()).isEqualTo(c);
    ElectraConfig quiet = c.withDropout(0, 0, 0.0);
    assertThat(List.of(quiet.hiddenDropoutProb(), quiet.attentionProbsDropoutProb(), quiet.effectiveClassifierDropout()))
        .containsExactly(0.0, 0.0, 0.0);
    assertThat(quiet.withDropout(0.1, 0.1, null)).isEqualTo(c);
    assertThat(c.withMaxLength(24).maxLength()).isEqualTo(24);
    assertThatThrownBy(() -> c.withMaxLength(41)).hasMessageContaining("max_position_embeddings 40");
    assertThat(c.withActivation(ScoreActivation.TANH).activation()).isEqualTo(ScoreActivation.TANH);
  }

  @Test
  void theLayoutIsElectrasTable() {
    EncoderLayout projected = ElectraArchitecture.layout(small());
    assertThat(projected.embeddings().size()).isEqualTo(16);
    assertThat(projected.embeddings().projection()).isEqualTo("electra.embeddings_project");
    assertThat(projected.embeddings().tokenType()).isEqualTo("electra.embeddings.token_type_embeddings.weight");
    assertThat(projected.embeddings().positions()).isEqualTo(EncoderLayout.Positions.FROM_ZERO);
    assertThat(projected.feedForward()).isEqualTo(EncoderLayout.Activation.GELU);
    assertThat(projected.head())
        .isEqualTo(new EncoderLayout.Head("classifier.dense", EncoderLayout.Activation.GELU, "classifier.out_proj", true));
    assertThat(projected.dropout()).isEqualTo(new EncoderLayout.Dropout(0.1, 0.1, 0.1, true));
    EncoderLayout same = ElectraArchitecture.layout(small().toBuilder().embeddingSize(32).classifierDropout(0.3).build());
    assertThat(same.embeddings().projection()).isNull();
    assertThat(same.embeddings().size()).isEqualTo(32);
    assertThat(same.dropout().head()).isEqualTo(0.3);
    assertThat(ElectraArchitecture.INSTANCE.tensorShapes(small().toBuilder().embeddingSize(32).build()))
        .doesNotContainKey("electra.embeddings_project.weight");
  }

  @Test
  void theHeadIsTheClassifierAndItsOutputLayerIsOutProj() {
    ElectraArchitecture a = ElectraArchitecture.INSTANCE;
    for (String n : a.tensorShapes(small()).keySet()) {
      assertThat(a.isHead(n)).as(n).isEqualTo(n.startsWith("classifier."));
      assertThat(a.isOutputLayer(n)).as(n).isEqualTo(n.startsWith("classifier.out_proj."));
      assertThat(a.isIgnoredBuffer(n)).as(n).isFalse();
      assertThat(a.isNoDecay(n)).as(n).isEqualTo(n.endsWith(".bias") || n.contains("LayerNorm"));
    }
    for (String buffer : List.of("electra.embeddings.position_ids", "electra.embeddings.token_type_ids",
        "discriminator_predictions.dense.weight", "discriminator_predictions.dense_prediction.bias")) {
      assertThat(a.isIgnoredBuffer(buffer)).as(buffer).isTrue();
    }
    assertThat(a.isIgnoredBuffer("generator_lm_head.weight")).isFalse();
  }

  /** As transformers' {@code ElectraPreTrainedModel._init_weights}. */
  @Test
  void initialWeightsAreSeededAsTransformersInitialisesThem() {
    ElectraConfig c = small().toBuilder().padTokenId(3).numLabels(2).build();
    Map<String, FloatTensor> a = WeightInit.initialWeights(c, 5);
    Map<String, FloatTensor> b = WeightInit.initialWeights(c, 5);
    Map<String, FloatTensor> other = WeightInit.initialWeights(c, 6);
    assertThat(a.keySet()).containsExactlyElementsOf(ElectraArchitecture.INSTANCE.tensorShapes(c).keySet());
    a.forEach((n, t) -> {
      assertThat(t.shape()).as(n).containsExactly(ElectraArchitecture.INSTANCE.tensorShapes(c).get(n));
      assertThat(t.bitwiseEquals(b.get(n))).as(n + " same seed").isTrue();
      float[] d = t.data();
      if (n.contains("LayerNorm.")) {
        float want = n.endsWith(".weight") ? 1f : 0f;
        for (float v : d) {
          assertThat(v).as(n).isEqualTo(want);
        }
      } else if (n.endsWith(".bias")) {
        for (float v : d) {
          assertThat(v).as(n).isZero();
        }
      } else {
        assertThat(t.bitwiseEquals(other.get(n))).as(n + " other seed").isFalse();
        int width = (int) t.shape()[1];
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int i = 0; i < d.length; i++) {
          if (n.equals("electra.embeddings.word_embeddings.weight") && i / width == 3) {
            assertThat(d[i]).as("padding row of " + n).isZero();
            continue;
          }
          sum += d[i];
          squares += (double) d[i] * d[i];
          count++;
        }
        if (count >= 512) { // enough draws to see the distribution
          double mean = sum / count;
          assertThat(mean).as(n + " mean").isCloseTo(0, within(4 * 0.02 / Math.sqrt(count)));
          assertThat(Math.sqrt(squares / count - mean * mean)).as(n + " std").isCloseTo(0.02, within(0.002));
        }
      }
    });
    assertThatThrownBy(() -> WeightInit.initialTensor(c, "bert.pooler.dense.weight", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bert.pooler.dense.weight");
  }
}
