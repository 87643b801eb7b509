package dev.ce4j.core.arch.roberta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architectures;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The configuration of the RoBERTa family: discovery, transformers' defaults, validation naming the
 * key, reading and writing {@code config.json} as transformers writes it (checked against the
 * fixtures' files, written as transformers 5.17 writes them), tensor names and shapes (against the
 * fixtures' lists), the head, and seeded initialisation as transformers' {@code _init_weights}.
 */
class RobertaConfigTest {
  @TempDir Path dir;

  static Stream<RobertaFixtures.Fixture> fixtures() {
    return RobertaFixtures.all();
  }

  @Test
  void bothModelTypesAreServedByOneArchitecture() {
    Architectures all = Architectures.load();
    assertThat(all.forModelType("roberta", "config.json")).isInstanceOf(RobertaArchitecture.class);
    assertThat(all.forModelType("xlm-roberta", "config.json")).isInstanceOf(RobertaArchitecture.class);
    assertThat(all.get("roberta").modelTypes()).containsExactly("roberta", "xlm-roberta");
    assertThat(all.get("roberta").description())
        .contains("RobertaForSequenceClassification", "XLMRobertaForSequenceClassification");
  }

  @Test
  void parsingAnotherModelTypeIsRefusedNamingIt() throws IOException {
    ObjectNode config = (ObjectNode) RobertaFixtures.JSON.readTree(
        RobertaFixtures.Fixture.load("roberta/bpe-1label-len24").folder().resolve("config.json").toFile());
    ClassifierSettings settings = new ClassifierSettings(List.of("LABEL_0"), null, 0);
    config.put("model_type", "bert");
    assertThatThrownBy(() -> RobertaArchitecture.INSTANCE.parseConfig(config, settings, "c.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("c.json: \"model_type\" is \"bert\"; the roberta architecture reads \"roberta\" and \"xlm-roberta\"");
    config.remove("model_type");
    assertThatThrownBy(() -> RobertaArchitecture.INSTANCE.parseConfig(config, settings, "c.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("\"model_type\" is null");
    config.put("model_type", "xlm-roberta");
    assertThat(RobertaArchitecture.INSTANCE.parseConfig(config, settings, "c.json").modelType()).isEqualTo("xlm-roberta");
  }

  @Test
  void theBuilderHasTransformersDefaults() {
    RobertaConfig c = RobertaConfig.builder().build();
    // transformers' RobertaConfig(): BertConfig's sizes with pad 1, bos 0, eos 2
    assertThat(c.modelType()).isEqualTo("roberta");
    assertThat(c.vocabSize()).isEqualTo(50265);
    assertThat(c.hiddenSize()).isEqualTo(768);
    assertThat(c.numHiddenLayers()).isEqualTo(12);
    assertThat(c.numAttentionHeads()).isEqualTo(12);
    assertThat(c.intermediateSize()).isEqualTo(3072);
    assertThat(c.maxPositionEmbeddings()).isEqualTo(512);
    assertThat(c.typeVocabSize()).isEqualTo(2);
    assertThat(c.layerNormEps()).isEqualTo(1e-12);
    assertThat(c.padTokenId()).isEqualTo(1);
    assertThat(c.bosTokenId()).isEqualTo(0);
    assertThat(c.eosTokenId()).isEqualTo(2);
    assertThat(c.classifierDropout()).isNull();
    assertThat(c.effectiveClassifierDropout()).isEqualTo(0.1);
    // positions start at pad_token_id + 1: 512 rows leave 510 positions
    assertThat(c.maxPositions()).isEqualTo(510);
    assertThat(c.maxLength()).isEqualTo(510);
    assertThat(c.activation()).isEqualTo(ScoreActivation.SIGMOID);
    assertThat(c.architectureName()).isEqualTo("RobertaForSequenceClassification");
    assertThat(c.toBuilder().modelType("xlm-roberta").build().architectureName())
        .isEqualTo("XLMRobertaForSequenceClassification");
    // roberta-base and xlm-roberta-base: 514 rows, 512 positions
    assertThat(c.toBuilder().maxPositionEmbeddings(514).build().maxPositions()).isEqualTo(512);
    assertThat(c.describeSizes()).isEqualTo("12 layers, hidden 768, 12 heads, intermediate 3072");
  }

  @Test
  void withMethodsKeepEverythingElse() {
    RobertaConfig c = RobertaConfig.builder().modelType("xlm-roberta").vocabSize(300).hiddenSize(32)
        .numAttentionHeads(4).numHiddenLayers(2).intermediateSize(64).maxPositionEmbeddings(34).build();
    RobertaConfig three = c.withNumLabels(3);
    assertThat(three.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
    assertThat(three.modelType()).isEqualTo("xlm-roberta");
    assertThat(three.toBuilder().labels(c.labels()).build()).isEqualTo(c);
    assertThat(c.withLabels(List.of("no", "yes")).numLabels()).isEqualTo(2);
    assertThat(c.withActivation(ScoreActivation.IDENTITY).activation()).isEqualTo(ScoreActivation.IDENTITY);
    assertThat(c.withMaxLength(16).maxLength()).isEqualTo(16);
    assertThat(c.withMaxLength(32).maxLength()).isEqualTo(32);
    assertThatThrownBy(() -> c.withMaxLength(33))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_length 33 must be between 4")
        .hasMessageContaining("32 (max_position_embeddings 34 - pad_token_id 1 - 1");
    RobertaConfig still = c.withDropout(0);
    assertThat(still.hiddenDropoutProb()).isZero();
    assertThat(still.attentionProbsDropoutProb()).isZero();
    assertThat(still.effectiveClassifierDropout()).isZero();
    assertThat(still.toBuilder().hiddenDropoutProb(0.1).attentionProbsDropoutProb(0.1).classifierDropout(null).build())
        .isEqualTo(c);
  }

  @Test
  void absentKeysTakeTransformersDefaults() {
    ModelConfig c = ConfigJson.parse("""
        {"model_type": "xlm-roberta", "vocab_size": 250002, "hidden_size": 768, "num_hidden_layers": 12,
         "num_attention_heads": 12, "intermediate_size": 3072, "max_position_embeddings": 514}
        """, "config.json");
    RobertaConfig r = (RobertaConfig) c;
    assertThat(r.modelType()).isEqualTo("xlm-roberta");
    assertThat(r.typeVocabSize()).isEqualTo(2);
    assertThat(r.padTokenId()).isEqualTo(1);
    assertThat(r.bosTokenId()).isEqualTo(0);
    assertThat(r.eosTokenId()).isEqualTo(2);
    assertThat(r.layerNormEps()).isEqualTo(1e-12);
    assertThat(r.hiddenAct()).isEqualTo("gelu");
    assertThat(r.initializerRange()).isEqualTo(0.02);
    assertThat(r.numLabels()).isEqualTo(2); // transformers' default num_labels
    assertThat(r.maxLength()).isEqualTo(512);
    // an explicit null is kept, not replaced by the default
    RobertaConfig nulls = (RobertaConfig) ConfigJson.parse("""
        {"model_type": "roberta", "vocab_size": 50, "hidden_size": 8, "num_hidden_layers": 1,
         "num_attention_heads": 2, "intermediate_size": 16, "bos_token_id": null, "eos_token_id": null}
        """, "config.json");
    assertThat(nulls.bosTokenId()).isNull();
    assertThat(nulls.eosTokenId()).isNull();
    assertThat(ConfigJson.toJson(nulls)).contains("\"bos_token_id\" : null", "\"eos_token_id\" : null");
    assertThat(ConfigJson.parse(ConfigJson.toJson(nulls), "again")).isEqualTo(nulls);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void writingGivesEveryKeyTransformersWroteAndReadsBackEqual(RobertaFixtures.Fixture f) throws IOException {
    JsonNode original = RobertaFixtures.JSON.readTree(f.folder().resolve("config.json").toFile());
    ModelConfig c = ConfigJson.read(f.folder().resolve("config.json"));
    String written = ConfigJson.toJson(c);
    JsonNode json = RobertaFixtures.JSON.readTree(written);
    // every key transformers 5.17 wrote, with its value (dtype and version are transformers' own)
    for (Map.Entry<String, JsonNode> e : RobertaFixtures.fields(original)) {
      if (e.getKey().equals("dtype") || e.getKey().equals("transformers_version")) {
        continue;
      }
      assertThat(json.get(e.getKey())).as("%s: %s", f, e.getKey()).isEqualTo(e.getValue());
    }
    // and nothing else but sentence-transformers' block and the dtype of older transformers
    List<String> extra = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(k -> {
      if (!original.has(k)) {
        extra.add(k);
      }
    });
    assertThat(extra).containsExactlyInAnyOrder("sentence_transformers", "torch_dtype");
    Path file = Files.writeString(dir.resolve("config.json"), written);
    assertThat(ConfigJson.read(file)).isEqualTo(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void tensorsAreNamedAndShapedAsTransformersDeclaresThem(RobertaFixtures.Fixture f) {
    RobertaConfig c = (RobertaConfig) ConfigJson.read(f.folder().resolve("config.json"));
    LinkedHashMap<String, long[]> shapes = RobertaArchitecture.INSTANCE.tensorShapes(c);
    JsonNode expected = f.reference().get("tensors");
    assertThat(shapes.keySet()).containsExactlyElementsOf(() -> expected.fieldNames());
    long count = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).containsExactly(RobertaFixtures.longs(expected.get(e.getKey())));
      count += FloatTensor.numel(e.getValue());
    }
    assertThat(c.parameterCount()).isEqualTo(count);
    // the head a pretrained encoder lacks, and the layer a new number of labels replaces
    assertThat(shapes.keySet().stream().filter(RobertaArchitecture.INSTANCE::isHead))
        .containsExactly("classifier.dense.weight", "classifier.dense.bias", "classifier.out_proj.weight",
            "classifier.out_proj.bias");
    assertThat(shapes.keySet().stream().filter(RobertaArchitecture.INSTANCE::isOutputLayer))
        .containsExactly("classifier.out_proj.weight", "classifier.out_proj.bias");
    assertThat(RobertaArchitecture.INSTANCE.isIgnoredBuffer("roberta.embeddings.position_ids")).isTrue();
    assertThat(RobertaArchitecture.INSTANCE.isIgnoredBuffer("roberta.embeddings.token_type_ids")).isTrue();
    assertThat(shapes.keySet().stream().filter(RobertaArchitecture.INSTANCE::isIgnoredBuffer)).isEmpty();
    // AdamW: biases and LayerNorms take no weight decay, embeddings and linear weights do
    assertThat(RobertaArchitecture.INSTANCE.isNoDecay("roberta.embeddings.LayerNorm.weight")).isTrue();
    assertThat(RobertaArchitecture.INSTANCE.isNoDecay("classifier.out_proj.bias")).isTrue();
    assertThat(RobertaArchitecture.INSTANCE.isNoDecay(RobertaTensors.POSITION_EMBEDDINGS)).isFalse();
  }

  @Test
  void initialWeightsAreTransformersInitWithZeroPaddingRows() {
    RobertaConfig c = RobertaConfig.builder().vocabSize(400).hiddenSize(64).numAttentionHeads(4)
        .numHiddenLayers(2).intermediateSize(128).maxPositionEmbeddings(130).padTokenId(3)
        .typeVocabSize(2).initializerRange(0.05).numLabels(2).build();
    LinkedHashMap<String, FloatTensor> w = WeightInit.initialWeights(c, 17);
    assertThat(w.keySet()).containsExactlyElementsOf(RobertaTensors.shapes(c).keySet());
    for (Map.Entry<String, FloatTensor> e : w.entrySet()) {
      String name = e.getKey();
      float[] d = e.getValue().data();
      assertThat(e.getValue().shape()).isEqualTo(RobertaTensors.shapes(c).get(name));
      if (name.contains("LayerNorm.")) {
        assertThat(d).as(name).containsOnly(name.endsWith(".weight") ? 1f : 0f);
      } else if (name.endsWith(".bias")) {
        assertThat(d).as(name).containsOnly(0f);
      } else {
        // normal(0, initializer_range); the padding rows of the word and position embeddings zero
        int width = (int) e.getValue().shape()[1];
        boolean padded = name.equals(RobertaTensors.WORD_EMBEDDINGS) || name.equals(RobertaTensors.POSITION_EMBEDDINGS);
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int i = 0; i < d.length; i++) {
          boolean padRow = i / width == c.padTokenId();
          if (padded && padRow) {
            assertThat(d[i]).as("%s padding row", name).isZero();
            continue;
          }
          sum += d[i];
          squares += (double) d[i] * d[i];
          n++;
        }
        if (padded) {
          assertThat(n).isEqualTo(d.length - width);
        }
        if (n >= 4096) {
          double mean = sum / n;
          assertThat(mean).as(name).isCloseTo(0, within(0.005));
          assertThat(Math.sqrt(squares / n - mean * mean)).as(name).isCloseTo(0.05, within(0.0025));
        }
      }
    }
    // the token type embedding has no padding row: its row 3 does not exist, row 1 is drawn
    float[] types = w.get(RobertaTensors.TOKEN_TYPE_EMBEDDINGS).data();
    assertThat(java.util.Arrays.copyOfRange(types, 64, 128)).doesNotContain(0f);
    // the seed alone decides
    LinkedHashMap<String, FloatTensor> again = WeightInit.initialWeights(c, 17);
    LinkedHashMap<String, FloatTensor> other = WeightInit.initialWeights(c, 18);
    for (String name : w.keySet()) {
      assertThat(again.get(name).bitwiseEquals(w.get(name))).as(name).isTrue();
    }
    assertThat(other.get("classifier.dense.weight").bitwiseEquals(w.get("classifier.dense.weight"))).isFalse();
    assertThatThrownBy(() -> RobertaArchitecture.INSTANCE.initialTensor(c, "bert.pooler.dense.weight", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bert.pooler.dense.weight");
  }

  static Stream<Arguments> damagedConfigs() {
    return Stream.of(
        Arguments.of("vocab_size", null, "required field \"vocab_size\" is missing"),
        Arguments.of("hidden_size", "32", "\"hidden_size\" must be an integer, got \"32\""),
        Arguments.of("layer_norm_eps", "small", "\"layer_norm_eps\" must be a number, got \"small\""),
        Arguments.of("is_decoder", "no", "\"is_decoder\" must be true or false, got \"no\""),
        Arguments.of("num_attention_heads", 5, "hidden_size 32 is not a multiple of num_attention_heads 5"),
        Arguments.of("num_hidden_layers", 0, "num_hidden_layers must be at least 1, got 0"),
        Arguments.of("type_vocab_size", 0, "type_vocab_size must be at least 1, got 0"),
        Arguments.of("max_position_embeddings", 5,
            "max_position_embeddings 5 leaves 3 positions: RoBERTa's positions start after pad_token_id 1"),
        Arguments.of("pad_token_id", 40, "max_position_embeddings 34 leaves 0 positions"),
        Arguments.of("pad_token_id", 282, "pad_token_id 282 is outside [0, vocab_size 282)"),
        Arguments.of("classifier_dropout", 1.5, "classifier_dropout must be in [0, 1), got 1.5"),
        Arguments.of("hidden_dropout_prob", -0.1, "hidden_dropout_prob must be in [0, 1), got -0.1"),
        Arguments.of("initializer_range", 0, "initializer_range must be positive, got 0.0"),
        Arguments.of("bos_token_id", -1, "bos_token_id must be at least 0 or null, got -1"),
        Arguments.of("hidden_act", "relu", "hidden_act 'relu' is not supported; only 'gelu'"),
        Arguments.of("position_embedding_type", "relative_key",
            "unsupported position_embedding_type 'relative_key'; ce supports \"absolute\" only"),
        Arguments.of("is_decoder", true, "\"is_decoder\" is true"),
        Arguments.of("add_cross_attention", true, "\"add_cross_attention\" is true"),
        Arguments.of("pruned_heads", Map.of("0", List.of(1)), "\"pruned_heads\" is {\"0\":[1]}"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("damagedConfigs")
  void aDamagedConfigIsRefusedNamingTheFileAndKey(String key, Object value, String message) throws IOException {
    Path folder = RobertaFixtures.Fixture.load("xlm-roberta/unigram-1label-len32").folder();
    ObjectNode config = (ObjectNode) RobertaFixtures.JSON.readTree(folder.resolve("config.json").toFile());
    if (value == null) {
      config.remove(key);
    } else {
      config.set(key, RobertaFixtures.JSON.valueToTree(value));
    }
    Path file = Files.writeString(dir.resolve("config.json"), config.toString());
    assertThatThrownBy(() -> ConfigJson.read(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(message);
  }
}
