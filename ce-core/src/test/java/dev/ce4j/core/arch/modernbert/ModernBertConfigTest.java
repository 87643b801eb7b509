package dev.ce4j.core.arch.modernbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ModernBertConfig} and its {@code config.json}: transformers' defaults, sizes, validation by
 * key, both layouts of the rotary settings, unsupported variants refused by name, copies.
 */
class ModernBertConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ModernBertConfigBuilder small() {
    return ModernBertConfig.builder().vocabSize(50).hiddenSize(16).numHiddenLayers(3).numAttentionHeads(2)
        .intermediateSize(24).maxPositionEmbeddings(64).localAttention(8).padTokenId(3);
  }

  @Test
  void theDefaultsAreModernBertBaseAndItsParameterCount() {
    ModernBertConfig c = ModernBertConfig.builder().build();
    assertThat(List.of(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
        c.intermediateSize(), c.maxPositionEmbeddings(), c.localAttention(), c.globalAttnEveryNLayers()))
        .containsExactly(50368, 768, 22, 12, 1152, 8192, 128, 3);
    assertThat(List.of(c.globalRopeTheta(), c.localRopeTheta(), c.initializerRange(), c.normEps()))
        .containsExactly(160_000.0, 10_000.0, 0.02, 1e-5);
    assertThat(c.initializerCutoffFactor()).isEqualTo(2.0);
    assertThat(List.of(c.normBias(), c.attentionBias(), c.mlpBias(), c.classifierBias())).containsOnly(false);
    assertThat(c.classifierPooling()).isEqualTo("cls");
    assertThat(c.maxLength()).isEqualTo(8192);
    assertThat(c.activation()).isEqualTo(ScoreActivation.SIGMOID);
    // ModernBertModel of answerdotai/ModernBERT-base has 149,014,272 weights; the head adds
    // head.dense 768 x 768, head.norm 768 and the classifier 768 + 1 (one label)
    assertThat(c.parameterCount()).isEqualTo(149_014_272L + 589_824 + 768 + 769);
    assertThat(c.describeSizes()).isEqualTo(
        "22 layers, hidden 768, 12 heads, intermediate 1152, global attention every 3 layers, window 128, cls pooling");
    assertThat(c.typeVocabSize()).isZero();
    assertThat(c.maxPositions()).isEqualTo(8192);
    assertThat(c.headSize()).isEqualTo(64);
    assertThat(c.layerTypes()).startsWith("full_attention", "sliding_attention", "sliding_attention",
        "full_attention");
  }

  @Test
  void parameterCountIsTheSumOfEveryTensorsSize() {
    for (ModernBertConfig c : List.of(small().build(), small().numHiddenLayers(1).numLabels(5).normBias(true)
        .attentionBias(true).mlpBias(true).classifierBias(true).build())) {
      long sum = ModernBertTensors.shapes(c).values().stream().mapToLong(FloatTensor::numel).sum();
      assertThat(c.parameterCount()).isEqualTo(sum);
    }
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(op(b -> b.vocabSize(0)), "vocab_size must be at least 1, got 0"),
        Arguments.of(op(b -> b.numHiddenLayers(1025)), "num_hidden_layers 1025 is more than ce supports"),
        Arguments.of(op(b -> b.numAttentionHeads(3)), "hidden_size 16 is not a multiple of num_attention_heads 3"),
        Arguments.of(op(b -> b.numAttentionHeads(16)), "the head width hidden_size / num_attention_heads = 1 must"),
        Arguments.of(op(b -> b.intermediateSize(0)), "intermediate_size must be at least 1, got 0"),
        Arguments.of(op(b -> b.hiddenActivation("gelu_new")), "hidden_activation 'gelu_new' is not supported"),
        Arguments.of(op(b -> b.classifierActivation("tanh")), "classifier_activation 'tanh' is not supported"),
        Arguments.of(op(b -> b.classifierPooling("max")), "classifier_pooling must be \"cls\" or \"mean\""),
        Arguments.of(op(b -> b.attentionDropout(1)), "attention_dropout must be in [0, 1), got 1.0"),
        Arguments.of(op(b -> b.mlpDropout(-0.1)), "mlp_dropout must be in [0, 1), got -0.1"),
        Arguments.of(op(b -> b.localAttention(1)), "local_attention must be at least 2"),
        Arguments.of(op(b -> b.globalAttnEveryNLayers(0)), "global_attn_every_n_layers must be at least 1"),
        Arguments.of(op(b -> b.localRopeTheta(0)), "sliding_attention rope_theta (local_rope_theta) must be positive"),
        Arguments.of(op(b -> b.initializerCutoffFactor(0.0)), "initializer_cutoff_factor must be from 0.1"),
        Arguments.of(op(b -> b.normEps(0)), "norm_eps must be in (0, 1), got 0.0"),
        Arguments.of(op(b -> b.padTokenId(50)), "pad_token_id 50 is outside [0, vocab_size 50)"),
        Arguments.of(op(b -> b.maxLength(65)), "max_length 65 must be between 4"),
        Arguments.of(op(b -> b.labels(List.of())), "there must be at least one label"),
        Arguments.of(op(b -> b.vocabSize(200_000_000)), "vocab_size 200000000 x hidden_size 16"));
  }

  private static UnaryOperator<ModernBertConfigBuilder> op(UnaryOperator<ModernBertConfigBuilder> f) {
    return f;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void anInvalidFieldIsRefusedNamingItsKey(UnaryOperator<ModernBertConfigBuilder> change, String message) {
    assertThatThrownBy(() -> change.apply(small()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void copiesChangeOneThingAndKeepTheRest() {
    ModernBertConfig c = small().classifierPooling("mean").attentionDropout(0.1).build();
    ModernBertConfig three = c.withNumLabels(3);
    assertThat(three.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
    assertThat(three.toBuilder().labels(c.labels()).build()).isEqualTo(c);
    assertThat(c.withActivation(ScoreActivation.TANH).withActivation(c.activation())).isEqualTo(c);
    assertThat(c.withMaxLength(8).withMaxLength(64)).isEqualTo(c);
    ModernBertConfig quiet = c.withDropout(0, 0, 0, 0);
    assertThat(quiet.attentionDropout()).isZero();
    assertThat(quiet.withDropout(0, 0.1, 0, 0)).isEqualTo(c);
  }

  // --- config.json ---------------------------------------------------------------------------

  private static ObjectNode fixture(String name) {
    try {
      return (ObjectNode) JSON.readTree(ModernBertFixtures.folder(name).resolve("config.json").toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ModernBertConfig parse(ObjectNode json) {
    return (ModernBertConfig) ConfigJson.parse(json.toString(), "config.json");
  }

  @Test
  void bothFixtureLayoutsAreRead() {
    ModernBertConfig v5 = parse(fixture(ModernBertFixtures.CLS_ONE_LABEL));
    assertThat(List.of(v5.globalRopeTheta(), v5.localRopeTheta())).containsExactly(160_000.0, 10_000.0);
    assertThat(v5.globalAttnEveryNLayers()).isEqualTo(3);
    assertThat(v5.localAttention()).isEqualTo(8);
    assertThat(v5.classifierPooling()).isEqualTo("cls");
    ModernBertConfig hub = parse(fixture(ModernBertFixtures.MEAN_THREE_LABELS));
    assertThat(List.of(hub.globalRopeTheta(), hub.localRopeTheta())).containsExactly(20_000.0, 500.0);
    assertThat(hub.globalAttnEveryNLayers()).isEqualTo(2);
    assertThat(List.of(hub.normBias(), hub.attentionBias(), hub.mlpBias(), hub.classifierBias())).containsOnly(true);
    assertThat(hub.classifierPooling()).isEqualTo("mean");
    assertThat(hub.classifierActivation()).isEqualTo("relu");
    assertThat(hub.labels()).containsExactly("contradiction", "neutral", "entailment");
    assertThat(List.of(hub.embeddingDropout(), hub.attentionDropout(), hub.mlpDropout(), hub.classifierDropout()))
        .containsExactly(0.05, 0.1, 0.1, 0.2);
  }

  @Test
  void writingGivesTransformers5sLayoutAndReadsBackEqual() throws Exception {
    for (String name : ModernBertFixtures.CASES) {
      ModernBertConfig c = (ModernBertConfig) ModelFolder.readConfig(ModernBertFixtures.folder(name));
      ObjectNode written = (ObjectNode) JSON.readTree(ConfigJson.toJson(c));
      assertThat(parse(written)).isEqualTo(c);
      assertThat(written.has("global_rope_theta")).isFalse();
      assertThat(written.has("reference_compile")).isFalse();
      assertThat(written.get("rope_parameters").get("full_attention").get("rope_theta").asDouble())
          .isEqualTo(c.globalRopeTheta());
      assertThat(written.get("rope_parameters").get("sliding_attention").get("rope_type").asText())
          .isEqualTo("default");
      assertThat(written.get("layer_types").size()).isEqualTo(c.numHiddenLayers());
      // every key of the fixture (transformers' keys) is written, with the same value where the
      // layouts agree
      ObjectNode original = fixture(name);
      for (String key : List.of("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
          "num_attention_heads", "hidden_activation", "max_position_embeddings", "initializer_range",
          "initializer_cutoff_factor", "norm_eps", "norm_bias", "pad_token_id", "eos_token_id", "bos_token_id",
          "cls_token_id", "sep_token_id", "attention_bias", "attention_dropout", "local_attention",
          "embedding_dropout", "mlp_bias", "mlp_dropout", "decoder_bias", "classifier_pooling",
          "classifier_dropout", "classifier_bias", "classifier_activation", "deterministic_flash_attn",
          "sparse_prediction", "sparse_pred_ignore_index", "tie_word_embeddings", "global_attn_every_n_layers",
          "model_type", "architectures", "id2label")) {
        assertThat(written.get(key)).as(name + " " + key).isEqualTo(original.get(key));
      }
      if (original.has("rope_parameters")) {
        assertThat(written.get("rope_parameters")).isEqualTo(original.get("rope_parameters"));
        assertThat(written.get("layer_types")).isEqualTo(original.get("layer_types"));
      }
    }
  }

  @Test
  void anAbsentKeyTakesTransformersDefault() {
    ObjectNode json = JSON.createObjectNode().put("model_type", "modernbert");
    ModernBertConfig c = parse(json);
    // transformers gives a configuration without labels two
    assertThat(c).isEqualTo(ModernBertConfig.builder().numLabels(2).build());
    json.putNull("initializer_cutoff_factor").putNull("eos_token_id");
    ModernBertConfig nulls = parse(json);
    assertThat(nulls.initializerCutoffFactor()).isNull();
    assertThat(nulls.effectiveCutoffFactor()).isEqualTo(3.0);
    assertThat(nulls.eosTokenId()).isNull();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(edit(j -> j.put("global_rope_theta", 1000.0)),
            "config.json: \"rope_parameters\".\"full_attention\".\"rope_theta\" is 160000.0 but \"global_rope_theta\" "
                + "is 1000.0"),
        Arguments.of(edit(j -> ((ObjectNode) j.get("rope_parameters").get("sliding_attention"))
            .put("rope_type", "yarn")), "'yarn' is not supported; ce supports ModernBERT with rope_type \"default\""),
        Arguments.of(edit(j -> ((ObjectNode) j.get("rope_parameters").get("full_attention")).put("factor", 2.0)),
            "config.json: \"rope_parameters\".\"full_attention\" has \"factor\" 2.0"),
        Arguments.of(edit(j -> j.putObject("rope_scaling").put("rope_type", "linear")),
            "config.json: \"rope_scaling\""),
        Arguments.of(edit(j -> j.put("global_attn_every_n_layers", 2)),
            "config.json: \"layer_types\"[2] is \"sliding_attention\" but \"global_attn_every_n_layers\" 2"),
        Arguments.of(edit(j -> j.putArray("layer_types").add("full_attention")),
            "config.json: \"layer_types\" must be a list of 3 entries"),
        Arguments.of(edit(j -> j.put("classifier_pooling", "max")), "config.json: unsupported \"classifier_pooling\""),
        Arguments.of(edit(j -> j.put("hidden_activation", "gelu_pytorch_tanh")),
            "config.json: unsupported \"hidden_activation\" 'gelu_pytorch_tanh'"),
        Arguments.of(edit(j -> j.put("hidden_size", "32")), "config.json: \"hidden_size\" must be an integer"),
        Arguments.of(edit(j -> j.put("norm_bias", 1)), "config.json: \"norm_bias\" must be true or false"),
        Arguments.of(edit(j -> j.put("num_attention_heads", 5)), "config.json: hidden_size 32 is not a multiple"),
        Arguments.of(edit(j -> j.put("local_attention", 0)), "config.json: local_attention must be at least 2"));
  }

  private static Consumer<ObjectNode> edit(Consumer<ObjectNode> f) {
    return f;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refused")
  void aBadOrUnsupportedKeyIsRefusedNamingFileAndKey(Consumer<ObjectNode> change, String message) {
    ObjectNode json = fixture(ModernBertFixtures.CLS_ONE_LABEL);
    change.accept(json);
    assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
  }

  @Test
  void theOldKeysAloneAndAgreeingWithTheNewOnesAreAccepted() {
    ObjectNode json = fixture(ModernBertFixtures.CLS_ONE_LABEL);
    json.put("global_rope_theta", 160000).put("local_rope_theta", 10000.0);
    ModernBertConfig both = parse(json);
    json.remove("rope_parameters");
    json.remove("layer_types");
    json.put("global_rope_theta", 5000.0);
    ModernBertConfig old = parse(json);
    assertThat(both.globalRopeTheta()).isEqualTo(160_000.0);
    assertThat(old.globalRopeTheta()).isEqualTo(5000.0);
    assertThat(old.localRopeTheta()).isEqualTo(10_000.0);
  }
}
