package dev.ce4j.core.arch.distilbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link DistilBertConfig}: transformers' defaults, sizes, validation by key, copies. */
class DistilBertConfigTest {
  private static DistilBertConfig.Builder small() {
    return DistilBertConfig.builder().vocabSize(50).dim(12).nLayers(2).nHeads(3).hiddenDim(20).maxPositionEmbeddings(16);
  }

  @Test
  void theDefaultsAreDistilbertBaseUncasedAndItsParameterCount() {
    DistilBertConfig c = DistilBertConfig.builder().build();
    assertThat(List.of(c.vocabSize(), c.dim(), c.nLayers(), c.nHeads(), c.hiddenDim(), c.maxPositionEmbeddings()))
        .containsExactly(30522, 768, 6, 12, 3072, 512);
    assertThat(c.feedForwardActivation()).isEqualTo("gelu");
    assertThat(c.sinusoidalPosEmbds()).isFalse();
    assertThat(c.maxLength()).isEqualTo(512);
    assertThat(c.activation()).isEqualTo(ScoreActivation.SIGMOID);
    // DistilBertModel of distilbert-base-uncased has 66,362,880 weights; the head adds 768 x 768 +
    // 768 (pre_classifier) and 768 + 1 (classifier, one label)
    assertThat(c.parameterCount()).isEqualTo(66_362_880L + 590_592 + 769);
    assertThat(c.describeSizes()).isEqualTo("6 layers, dim 768, 12 heads, hidden_dim 3072, gelu");
    assertThat(c.typeVocabSize()).isZero();
    assertThat(c.maxPositions()).isEqualTo(512);
    assertThat(c.headSize()).isEqualTo(64);
    assertThat(c.modelType()).isEqualTo("distilbert");
  }

  @Test
  void parameterCountIsTheSumOfEveryTensorsSize() {
    for (DistilBertConfig c : List.of(small().build(), small().nLayers(1).nHeads(1).numLabels(5).sinusoidalPosEmbds(true).build())) {
      long sum = DistilBertTensors.shapes(c).values().stream().mapToLong(FloatTensor::numel).sum();
      assertThat(c.parameterCount()).isEqualTo(sum);
    }
    assertThat(small().nLayers(1).nHeads(1).feedForwardActivation("relu").sinusoidalPosEmbds(true).build().describeSizes())
        .isEqualTo("1 layer, dim 12, 1 head, hidden_dim 20, relu, sinusoidal positions");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(op(b -> b.vocabSize(0)), "vocab_size must be at least 1, got 0"),
        Arguments.of(op(b -> b.dim(0)), "dim must be at least 1, got 0"),
        Arguments.of(op(b -> b.nLayers(0)), "n_layers must be at least 1, got 0"),
        Arguments.of(op(b -> b.nLayers(1025)), "n_layers 1025 is more than ce supports (at most 1024)"),
        Arguments.of(op(b -> b.nHeads(0)), "n_heads must be at least 1, got 0"),
        Arguments.of(op(b -> b.nHeads(5)), "dim 12 is not a multiple of n_heads 5"),
        Arguments.of(op(b -> b.hiddenDim(-3)), "hidden_dim must be at least 1, got -3"),
        Arguments.of(op(b -> b.feedForwardActivation("silu")), "activation 'silu' is not supported"),
        Arguments.of(op(b -> b.dropout(1)), "dropout must be in [0, 1), got 1.0"),
        Arguments.of(op(b -> b.attentionDropout(Double.NaN)), "attention_dropout must be in [0, 1), got NaN"),
        Arguments.of(op(b -> b.seqClassifDropout(-0.5)), "seq_classif_dropout must be in [0, 1), got -0.5"),
        Arguments.of(op(b -> b.qaDropout(1.5)), "qa_dropout must be in [0, 1), got 1.5"),
        Arguments.of(op(b -> b.maxPositionEmbeddings(3)), "max_position_embeddings must be at least 4, got 3"),
        Arguments.of(op(b -> b.initializerRange(0)), "initializer_range must be positive, got 0.0"),
        Arguments.of(op(b -> b.initializerRange(Double.POSITIVE_INFINITY)), "initializer_range must be positive"),
        Arguments.of(op(b -> b.initializerRange(1e38)), "initializer_range 1.0E38 is too large"),
        Arguments.of(op(b -> b.padTokenId(50)), "pad_token_id 50 is outside [0, vocab_size 50)"),
        Arguments.of(op(b -> b.padTokenId(-1)), "pad_token_id -1 is outside [0, vocab_size 50)"),
        Arguments.of(op(b -> b.maxLength(17)), "max_length 17 must be between 4"),
        Arguments.of(op(b -> b.maxLength(3)), "max_length 3 must be between 4"),
        Arguments.of(op(b -> b.labels(List.of())), "there must be at least one label"),
        Arguments.of(op(b -> b.vocabSize(200_000_000)), "vocab_size 200000000 x dim 12 = 2400000000 values in the word"
            + " embedding, more than ce can hold in one tensor"),
        Arguments.of(op(b -> b.hiddenDim(200_000_000)), "hidden_dim 200000000 x dim 12"),
        Arguments.of(op(b -> b.dim(60_000).nHeads(1)), "dim 60000 squared = 3600000000 values in the attention weight"));
  }

  private static UnaryOperator<DistilBertConfig.Builder> op(UnaryOperator<DistilBertConfig.Builder> f) {
    return f;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void anInvalidFieldIsRefusedNamingItsKey(UnaryOperator<DistilBertConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(small()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void copiesChangeOneThingAndKeepTheRest() {
    DistilBertConfig c = small().sinusoidalPosEmbds(true).feedForwardActivation("relu").tieWeights(true).build();
    DistilBertConfig three = c.withNumLabels(3);
    assertThat(three.labels()).containsExactly("LABEL_0", "LABEL_1", "LABEL_2");
    assertThat(three.activation()).isEqualTo(c.activation());
    assertThat(three.toBuilder().labels(c.labels()).build()).isEqualTo(c);
    assertThat(c.withLabels(List.of("no", "yes")).labels()).containsExactly("no", "yes");
    assertThat(c.withActivation(ScoreActivation.TANH).activation()).isEqualTo(ScoreActivation.TANH);
    assertThat(c.withActivation(ScoreActivation.TANH).withActivation(c.activation())).isEqualTo(c);
    assertThat(c.withMaxLength(8).maxLength()).isEqualTo(8);
    assertThat(c.withMaxLength(8).withMaxLength(16)).isEqualTo(c);
    assertThatThrownBy(() -> c.withMaxLength(17)).hasMessageStartingWith("max_length 17 must be between 4");
    DistilBertConfig quiet = c.withDropout(0, 0, 0);
    assertThat(List.of(quiet.dropout(), quiet.attentionDropout(), quiet.seqClassifDropout())).containsOnly(0.0);
    assertThat(quiet.qaDropout()).isEqualTo(0.1);
    assertThat(quiet.withDropout(0.1, 0.1, 0.2)).isEqualTo(c);
    assertThatThrownBy(() -> c.withNumLabels(0)).hasMessage("num_labels must be at least 1, got 0");
    assertThatThrownBy(() -> c.withLabels(java.util.Collections.nCopies(DistilBertConfig.MAX_LABELS + 1, "x")))
        .hasMessage("num_labels 1048577 is more than ce supports (at most 1048576)");
  }
}
