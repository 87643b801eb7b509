package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigJsonTest {
  /**
   * The config.json of cross-encoder/ms-marco-MiniLM-L-6-v2 as published (sentence-transformers 2.x
   * era).
   */
  static final String MS_MARCO =
      """
      {
        "_name_or_path": "nreimers/MiniLM-L6-H384-uncased",
        "architectures": ["BertForSequenceClassification"],
        "attention_probs_dropout_prob": 0.1,
        "gradient_checkpointing": false,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 384,
        "id2label": {"0": "LABEL_0"},
        "initializer_range": 0.02,
        "intermediate_size": 1536,
        "label2id": {"LABEL_0": 0},
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": 12,
        "num_hidden_layers": 6,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "sbert_ce_default_activation_function": "torch.nn.modules.linear.Identity",
        "transformers_version": "4.6.1",
        "type_vocab_size": 2,
        "use_cache": true,
        "vocab_size": 30522
      }
      """;

  @Test
  void readsAPublishedCrossEncoderConfig() {
    BertConfig c = (BertConfig) ConfigJson.parse(MS_MARCO, "config.json");
    assertThat(c.vocabSize()).isEqualTo(30522);
    assertThat(c.hiddenSize()).isEqualTo(384);
    assertThat(c.numHiddenLayers()).isEqualTo(6);
    assertThat(c.numAttentionHeads()).isEqualTo(12);
    assertThat(c.intermediateSize()).isEqualTo(1536);
    assertThat(c.maxPositionEmbeddings()).isEqualTo(512);
    assertThat(c.layerNormEps()).isEqualTo(1e-12);
    assertThat(c.numLabels()).isEqualTo(1);
    assertThat(c.activation())
        .isEqualTo(ScoreActivation.IDENTITY); // the legacy key wins over the default
    assertThat(c.maxLength()).isEqualTo(512);
    assertThat(c.classifierDropout()).isNull();
  }

  @Test
  void sentenceTransformersBlockGivesActivationAndMaxLength() {
    String json =
        MS_MARCO.replace(
            "\"sbert_ce_default_activation_function\": \"torch.nn.modules.linear.Identity\",",
            "\"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.activation.Tanh\","
                + " \"max_length\": 256, \"version\": \"4.1.0\"},");
    BertConfig c = (BertConfig) ConfigJson.parse(json, "config.json");
    assertThat(c.activation()).isEqualTo(ScoreActivation.TANH);
    assertThat(c.maxLength()).isEqualTo(256);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void defaultActivationDependsOnLabels(int n) {
    BertConfig c = BertConfig.builder().numLabels(n).build();
    assertThat(c.activation())
        .isEqualTo(n == 1 ? ScoreActivation.SIGMOID : ScoreActivation.IDENTITY);
  }

  @Test
  void withoutId2labelThereAreTwoLabelsAsInTransformers() {
    String json = MS_MARCO.replace("\"id2label\": {\"0\": \"LABEL_0\"},", "");
    assertThat(ConfigJson.parse(json, "config.json").numLabels()).isEqualTo(2);
    assertThat(
            ConfigJson.parse(json.replace("\"use_cache\"", "\"num_labels\": 3, \"use_cache\""), "c")
                .numLabels())
        .isEqualTo(3);
  }

  @Test
  void writesWhatItReads() {
    BertConfig c =
        BertConfig.builder()
            .hiddenSize(64)
            .numAttentionHeads(4)
            .numHiddenLayers(3)
            .intermediateSize(100)
            .labels(List.of("neg", "neutral", "pos"))
            .classifierDropout(0.25)
            .activation(ScoreActivation.SIGMOID)
            .maxLength(300)
            .layerNormEps(1e-7)
            .padTokenId(3)
            .build();
    String json = ConfigJson.toJson(c);
    assertThat(ConfigJson.parse(json, "config.json")).isEqualTo(c);
    assertThat(json)
        .contains("\"model_type\" : \"bert\"")
        .contains("\"BertForSequenceClassification\"")
        .contains("\"activation_fn\" : \"torch.nn.modules.activation.Sigmoid\"")
        .contains("\"label2id\"")
        .contains("\"pos\" : 2");
  }
}
