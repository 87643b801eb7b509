package dev.ce4j.core.arch.deberta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DebertaV2Config}: transformers' defaults, sizes, validation by key, reading, writing, copies. */
class DebertaV2ConfigTest {
  private static DebertaV2ConfigBuilder small() {
    return DebertaV2Config.builder().vocabSize(50).hiddenSize(12).numHiddenLayers(2).numAttentionHeads(3)
        .intermediateSize(20).maxPositionEmbeddings(16).relativeAttention(true).posAttType(List.of("p2c", "c2p"));
  }

  /** microsoft/deberta-v3-base's config.json. */
  private static final String V3_BASE = "{\"model_type\": \"deberta-v2\", \"attention_probs_dropout_prob\": 0.1,"
      + " \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.1, \"hidden_size\": 768, \"initializer_range\": 0.02,"
      + " \"intermediate_size\": 3072, \"max_position_embeddings\": 512, \"relative_attention\": true,"
      + " \"position_buckets\": 256, \"norm_rel_ebd\": \"layer_norm\", \"share_att_key\": true,"
      + " \"pos_att_type\": \"p2c|c2p\", \"layer_norm_eps\": 1e-7, \"max_relative_positions\": -1,"
      + " \"position_biased_input\": false, \"num_attention_heads\": 12, \"num_hidden_layers\": 12,"
      + " \"type_vocab_size\": 0, \"vocab_size\": 128100}";

  @Test
  void theDefaultsAreTransformersDebertaV2Config() {
    DebertaV2Config c = DebertaV2Config.builder().build();
    assertThat(List.of(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), c.intermediateSize(),
        c.maxPositionEmbeddings(), c.typeVocabSize(), c.embeddingSize(), c.poolerHiddenSize()))
        .containsExactly(128100, 1536, 24, 24, 6144, 512, 0, 1536, 1536);
    assertThat(List.of(c.hiddenDropoutProb(), c.attentionProbsDropoutProb(), c.initializerRange(), c.layerNormEps(),
        c.poolerDropout())).containsExactly(0.1, 0.1, 0.02, 1e-7, 0.0);
    assertThat(c.relativeAttention()).isFalse();
    assertThat(c.positionBiasedInput()).isTrue();
    assertThat(c.posAttType()).isEmpty();
    assertThat(c.shareAttKey()).isFalse();
    assertThat(List.of(c.maxRelativePositions(), c.positionBuckets(), c.padTokenId())).containsExactly(-1, -1, 0);
    assertThat(c.normRelEbd()).isEqualTo("none");
    assertThat(c.hiddenAct()).isEqualTo("gelu");
    assertThat(c.poolerHiddenAct()).isEqualTo("gelu");
    assertThat(c.clsDropout()).isNull();
    assertThat(c.classifierDropout()).isEqualTo(0.1);
    assertThat(c.legacy()).isTrue();
    assertThat(c.activation()).isEqualTo(ScoreActivation.SIGMOID);
    assertThat(c.maxLength()).isEqualTo(512);
    assertThat(c.scaleFactor()).isEqualTo(1);
  }

  @Test
  void debertaV3BaseReadsWithItsParameterCount() {
    DebertaV2Config c = (DebertaV2Config) ConfigJson.parse(V3_BASE, "config.json");
    assertThat(c.posAttType()).containsExactly("p2c", "c2p");
    assertThat(c.c2p()).isTrue();
    assertThat(c.p2c()).isTrue();
    assertThat(c.scaleFactor()).isEqualTo(3);
    assertThat(c.effectiveMaxRelativePositions()).isEqualTo(512);
    assertThat(c.attentionSpan()).isEqualTo(256);
    assertThat(c.relEmbeddingLayerNorm()).isTrue();
    assertThat(c.typeVocabSize()).isZero();
    assertThat(c.maxPositions()).isEqualTo(512);
    assertThat(c.headSize()).isEqualTo(64);
    // DebertaV2Model of deberta-v3-base: 98,380,800 word embedding + 1,536 LayerNorm + 12 layers of
    // 7,087,872 + rel_embeddings 512 x 768 + 1,536 LayerNorm = 183,831,552; the head adds
    // pooler.dense (768 x 768 + 768) and the classifier (2 labels: 768 x 2 + 2)
    assertThat(c.numLabels()).isEqualTo(2);
    assertThat(c.parameterCount()).isEqualTo(183_831_552L + 590_592 + 1_538);
    assertThat(c.describeSizes()).isEqualTo("12 layers, hidden 768, 12 heads, intermediate 3072, relative p2c|c2p,"
        + " 256 buckets");
    long sum = DebertaV2Tensors.shapes(c).values().stream().mapToLong(FloatTensor::numel).sum();
    assertThat(c.parameterCount()).isEqualTo(sum);
  }

  @Test
  void whatIsWrittenReadsBackToTheSameConfiguration() {
    DebertaV2Config v3 = (DebertaV2Config) ConfigJson.parse(V3_BASE, "config.json");
    List<DebertaV2Config> all = List.of(v3, small().build(),
        small().convKernelSize(5).convGroups(3).convAct("gelu").build(),
        small().embeddingSize(8).typeVocabSize(2).clsDropout(0.2)
        .posAttType(List.of("c2p")).shareAttKey(false).normRelEbd("layer_norm").poolerHiddenAct("tanh").legacy(false)
        .numLabels(3).build(), small().relativeAttention(false).posAttType(List.of()).build());
    for (DebertaV2Config c : all) {
      String written = ConfigJson.toJson(c);
      assertThat(ConfigJson.parse(written, "written")).isEqualTo(c);
    }
    String written = ConfigJson.toJson(v3);
    assertThat(written).contains("\"pos_att_type\" : [ \"p2c\", \"c2p\" ]").contains("\"share_att_key\" : true")
        .contains("\"position_buckets\" : 256").contains("\"legacy\" : true").doesNotContain("embedding_size")
        .doesNotContain("cls_dropout").doesNotContain("conv_");
    assertThat(ConfigJson.toJson(small().convKernelSize(3).build())).contains("\"conv_kernel_size\" : 3")
        .contains("\"conv_groups\" : 1").contains("\"conv_act\" : \"tanh\"");
    assertThat(ConfigJson.toJson(small().relativeAttention(false).posAttType(List.of()).build()))
        .contains("\"pos_att_type\" : null");
  }

  @Test
  void theOldStringFormOfPosAttTypeIsReadLikeTransformers() {
    String base = V3_BASE.replace("\"p2c|c2p\"", "%s");
    DebertaV2Config list = (DebertaV2Config) ConfigJson.parse(base.formatted("[\"c2p\"]"), "c");
    assertThat(list.posAttType()).containsExactly("c2p");
    assertThat(list.p2c()).isFalse();
    assertThat(((DebertaV2Config) ConfigJson.parse(base.formatted("\" C2P | P2C \""), "c")).posAttType())
        .containsExactly("c2p", "p2c");
    assertThat(((DebertaV2Config) ConfigJson.parse(base.formatted("null"), "c")).posAttType()).isEmpty();
  }

  static Stream<Arguments> refusedWhenRead() {
    return Stream.of(
        Arguments.of("\"conv_kernel_size\": 4", "conv_kernel_size must be 0 (no convolution) or odd, got 4"),
        Arguments.of("\"conv_kernel_size\": 3, \"conv_groups\": 5",
            "hidden_size 768 is not a multiple of conv_groups 5"),
        Arguments.of("\"conv_kernel_size\": 3, \"conv_act\": \"swish\"", "conv_act 'swish' is not supported"),
        Arguments.of("\"attention_head_size\": 32", "\"attention_head_size\" 32 times num_attention_heads 12"),
        Arguments.of("\"pos_att_type\": 5", "\"pos_att_type\" must be a list of strings or a \"p2c|c2p\" string"),
        Arguments.of("\"pos_att_type\": [1]", "\"pos_att_type\" entries must be strings, got 1"),
        Arguments.of("\"pos_att_type\": \"p2c|p2p\"", "pos_att_type entry 'p2p' is not supported"),
        Arguments.of("\"pos_att_type\": [\"c2p\", \"c2p\"]", "pos_att_type names 'c2p' twice"),
        Arguments.of("\"norm_rel_ebd\": \"batch_norm\"", "norm_rel_ebd 'batch_norm' is not supported"),
        Arguments.of("\"hidden_act\": \"gelu_new\"", "hidden_act 'gelu_new' is not supported; ce supports DeBERTa with"
            + " gelu, relu, tanh"),
        Arguments.of("\"pooler_hidden_act\": \"silu\"", "pooler_hidden_act 'silu' is not supported"),
        Arguments.of("\"pooler_hidden_size\": 1024", "pooler_hidden_size 1024 must equal hidden_size 768"),
        Arguments.of("\"position_buckets\": 1024", "position_buckets 1024 needs at least 2 buckets"),
        Arguments.of("\"position_buckets\": 1", "position_buckets 1 needs at least 2 buckets"),
        Arguments.of("\"embedding_size\": 0", "embedding_size must be at least 1, got 0"),
        Arguments.of("\"type_vocab_size\": -1", "type_vocab_size must be 0 (no token types) or more, got -1"),
        Arguments.of("\"layer_norm_eps\": 0", "layer_norm_eps must be positive and finite, got 0.0"),
        Arguments.of("\"cls_dropout\": 1", "cls_dropout must be in [0, 1), got 1.0"),
        Arguments.of("\"share_att_key\": \"yes\"", "\"share_att_key\" must be true or false, got \"yes\""),
        Arguments.of("\"hidden_size\": 770", "hidden_size 770 is not a multiple of num_attention_heads 12"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedWhenRead")
  void anUnsupportedOrInvalidKeyIsRefusedNamingTheFileAndTheKey(String key, String message) {
    String json = V3_BASE.replace("{", "{" + key + ", ")
        .replace("\"hidden_size\": 768, ", key.startsWith("\"hidden_size\"") ? "" : "\"hidden_size\": 768, ");
    String edited = dedupe(json, key);
    assertThatThrownBy(() -> ConfigJson.parse(edited, "/m/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("/m/config.json")
        .hasMessageContaining(message);
  }

  /** The base config with {@code key} replaced (or added). */
  private static String dedupe(String json, String key) {
    String name = key.substring(0, key.indexOf(':'));
    int first = json.indexOf(name);
    int second = json.indexOf(name, first + 1);
    if (second < 0) {
      return json;
    }
    int end = json.indexOf(',', second);
    int close = json.indexOf('}', second);
    end = end < 0 || close < end ? close : end + 1;
    String out = json.substring(0, second) + json.substring(end);
    return out.replace(", }", "}").replace(",}", "}");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(op(b -> b.vocabSize(0)), "vocab_size must be at least 1, got 0"),
        Arguments.of(op(b -> b.numHiddenLayers(1025)), "num_hidden_layers 1025 is more than ce supports"),
        Arguments.of(op(b -> b.numAttentionHeads(5)), "hidden_size 12 is not a multiple of num_attention_heads 5"),
        Arguments.of(op(b -> b.maxPositionEmbeddings(3)), "max_position_embeddings must be at least 4, got 3"),
        Arguments.of(op(b -> b.hiddenDropoutProb(1)), "hidden_dropout_prob must be in [0, 1), got 1.0"),
        Arguments.of(op(b -> b.attentionProbsDropoutProb(-0.1)), "attention_probs_dropout_prob must be in [0, 1)"),
        Arguments.of(op(b -> b.poolerDropout(Double.NaN)), "pooler_dropout must be in [0, 1), got NaN"),
        Arguments.of(op(b -> b.initializerRange(0)), "initializer_range must be positive, got 0.0"),
        Arguments.of(op(b -> b.initializerRange(1e38)), "initializer_range 1.0E38 is too large"),
        Arguments.of(op(b -> b.padTokenId(50)), "pad_token_id 50 is outside [0, vocab_size 50)"),
        Arguments.of(op(b -> b.maxLength(17)), "max_length 17 must be between 4"),
        Arguments.of(op(b -> b.labels(List.of())), "there must be at least one label"),
        Arguments.of(op(b -> b.positionBuckets(32)), "position_buckets 32 needs at least 2 buckets"),
        Arguments.of(op(b -> b.posAttType(List.of("p2p"))), "pos_att_type entry 'p2p' is not supported"),
        Arguments.of(op(b -> b.vocabSize(200_000_000)), "vocab_size 200000000 x embedding_size 12 = 2400000000"));
  }

  private static UnaryOperator<DebertaV2ConfigBuilder> op(UnaryOperator<DebertaV2ConfigBuilder> f) {
    return f;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void anInvalidFieldIsRefusedNamingItsKey(UnaryOperator<DebertaV2ConfigBuilder> change, String message) {
    assertThatThrownBy(() -> change.apply(small()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void bucketsAreOnlyCheckedWithRelativeAttentionAndMaxRelativePositionsCountsWhenSet() {
    assertThat(small().relativeAttention(false).positionBuckets(32).build().positionBuckets()).isEqualTo(32);
    DebertaV2Config c = small().maxPositionEmbeddings(64).maxRelativePositions(10).positionBuckets(8).build();
    assertThat(c.effectiveMaxRelativePositions()).isEqualTo(10);
    assertThat(c.attentionSpan()).isEqualTo(8);
    assertThat(small().maxRelativePositions(6).build().attentionSpan()).isEqualTo(6);
  }

  @Test
  void copiesChangeOneThingAndKeepTheRest() {
    DebertaV2Config c = small().clsDropout(0.3).build();
    DebertaV2Config three = c.withNumLabels(3);
    assertThat(three.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
    assertThat(three.activation()).isEqualTo(c.activation());
    assertThat(c.withLabels(List.of("no", "yes")).labels()).containsExactly("no", "yes");
    assertThat(c.withActivation(ScoreActivation.TANH).withActivation(c.activation())).isEqualTo(c);
    assertThat(c.withMaxLength(8).withMaxLength(16)).isEqualTo(c);
    DebertaV2Config quiet = c.withDropout(0, 0, 0, 0.0);
    assertThat(List.of(quiet.hiddenDropoutProb(), quiet.attentionProbsDropoutProb(), quiet.poolerDropout(),
        quiet.classifierDropout())).containsOnly(0.0);
    assertThat(quiet.withDropout(0.1, 0.1, 0, 0.3)).isEqualTo(c);
    assertThat(c.withDropout(0.2, 0.1, 0, null).classifierDropout()).isEqualTo(0.2);
  }
}
