package dev.ce4j.core.arch.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.core.arch.bert.BertTensors;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BertConfigTest {

  @Test
  void parameterCountIsTheSumOfEveryTensorsSize() {
    // BERT-base: 109,482,240 encoder weights (as transformers counts BertModel) plus a 768 + 1 head
    assertThat(BertConfig.builder().build().parameterCount()).isEqualTo(109_482_240L + 769);
    for (BertConfig c :
        new BertConfig[] {
          BertConfig.builder()
              .vocabSize(117)
              .hiddenSize(32)
              .numHiddenLayers(2)
              .numAttentionHeads(2)
              .intermediateSize(64)
              .maxPositionEmbeddings(64)
              .build(),
          BertConfig.builder()
              .vocabSize(10)
              .hiddenSize(12)
              .numHiddenLayers(3)
              .numAttentionHeads(3)
              .intermediateSize(7)
              .maxPositionEmbeddings(9)
              .typeVocabSize(5)
              .numLabels(4)
              .build()
        }) {
      long sum = 0;
      for (Map.Entry<String, long[]> e : BertTensors.shapes(c).entrySet()) {
        sum += FloatTensor.numel(e.getValue());
      }
      assertThat(c.parameterCount()).isEqualTo(sum);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the largest word embedding that fits a Java array, and one row more
        "vocab_size | 67108863 | 32 | ",
        "vocab_size | 67108864 | 32 | vocab_size 67108864 x hidden_size 32 = 2147483648 values in"
            + " the word embedding, more than ce can hold in one tensor (2147483639",
        "max_position_embeddings | 2000000000 | 32 | max_position_embeddings 2000000000 x"
            + " hidden_size 32 = 64000000000 values in the position embedding",
        "type_vocab_size | 2000000000 | 32 | type_vocab_size 2000000000 x hidden_size 32",
        "intermediate_size | 2000000000 | 32 | intermediate_size 2000000000 x hidden_size 32",
        "hidden_size | 65536 | 65536 | hidden_size 65536 squared = 4294967296 values in the"
            + " attention weight",
      })
  void everyTensorMustFitOneJavaArray(String field, int value, int hidden, String message) {
    BertConfig.Builder b =
        BertConfig.builder()
            .vocabSize(100)
            .hiddenSize(hidden)
            .numAttentionHeads(1)
            .intermediateSize(4)
            .maxPositionEmbeddings(8);
    switch (field) {
      case "vocab_size" -> b.vocabSize(value);
      case "max_position_embeddings" -> b.maxPositionEmbeddings(value).maxLength(8);
      case "type_vocab_size" -> b.typeVocabSize(value);
      case "intermediate_size" -> b.intermediateSize(value);
      default -> b.hiddenSize(value);
    }
    if (message == null) {
      assertThat(b.build().vocabSize()).isEqualTo(value);
    } else {
      assertThatThrownBy(b::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(message);
    }
  }

  @Test
  void labelsLayersAndTheInitializerRangeAreBounded() {
    assertThatThrownBy(() -> BertConfig.builder().numLabels(2_000_000_000))
        .hasMessage("num_labels 2000000000 is more than ce supports (at most 1048576)");
    assertThatThrownBy(() -> BertConfig.builder().numHiddenLayers(1025).build())
        .hasMessage("num_hidden_layers 1025 is more than ce supports (at most 1024)");
    assertThat(BertConfig.builder().numHiddenLayers(1024).build().numHiddenLayers())
        .isEqualTo(1024);
    // 9 standard deviations (WeightInit's deviates stay below 8.6) must be a finite float
    assertThat((float) (BertConfig.MAX_INITIALIZER_RANGE * 9)).isFinite();
    assertThatThrownBy(() -> BertConfig.builder().initializerRange(1e38).build())
        .hasMessageStartingWith("initializer_range 1.0E38 is too large");
  }
}
