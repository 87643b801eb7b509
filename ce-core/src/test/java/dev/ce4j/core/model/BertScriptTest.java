package dev.ce4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.engine.TorchScriptArchive;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.tokenize.EncodedPair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TorchScript inference pass computes the eager pass's logits bit for bit, whatever the
 * configuration, batch shape and padding.
 */
class BertScriptTest {
  private static final List<TextPair> PAIRS =
      List.of(
          TextPair.of("capital of france", "Paris is the capital and largest city of France."),
          TextPair.of("a", "b"),
          TextPair.of(
              "how do cross encoders rerank search results",
              "A cross-encoder reads the query and the document together through every layer and"
                  + " outputs a relevance score; it is slower than a bi-encoder but more"
                  + " accurate."),
          TextPair.of("Café MÜNCHEN naïve", "résumé, punctuation!? and (brackets)"),
          TextPair.of("equal", "length"));

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("1 label, 4 heads", TestModels.tiny(1)),
        Arguments.of("3 labels", TestModels.tiny(3)),
        Arguments.of(
            "3 heads of 16, 3 layers, eps 1e-5, tanh",
            TestModels.tiny(2).toBuilder()
                .hiddenSize(48)
                .numAttentionHeads(3)
                .numHiddenLayers(3)
                .intermediateSize(80)
                .layerNormEps(1e-5)
                .activation(ScoreActivation.TANH)
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void logitsEqualTheEagerPassBitForBit(String name, BertConfig config) {
    try (CrossEncoder model = model(config, 11);
        BertScript script = BertScript.compile(model.model().weights())) {
      List<EncodedPair> encoded = model.tokenizer().encode(PAIRS);
      List<List<EncodedPair>> batches = new ArrayList<>();
      for (EncodedPair p : encoded) {
        batches.add(List.of(p)); // one pair: no mask
      }
      batches.add(encoded); // mixed lengths: padded, masked
      batches.add(List.of(encoded.get(4), encoded.get(4))); // equal lengths: no mask, batch 2
      PyTorch.GradScope noGrad = PyTorch.noGrad();
      try {
        for (List<EncodedPair> batch : batches) {
          try (NDManager m = model.manager().newSubManager()) {
            BertInputs in = model.batch(batch, m);
            float[] eager = model.model().logits(in, false).toFloatArray();
            float[] scripted = script.logits(in).toFloatArray();
            assertThat(scripted).as(name + ", batch of " + batch.size()).containsExactly(eager);
          }
        }
      } finally {
        noGrad.close();
      }
    }
  }

  @Test
  void predictGivesTheSameBitsWithAndWithoutTheScript() {
    double[][] scripted;
    try (CrossEncoder model = model(TestModels.tiny(3), 5)) {
      scripted = model.predict(PAIRS, 2, false);
    }
    double[][] eager;
    System.setProperty(CrossEncoder.TORCHSCRIPT_PROPERTY, "false");
    try (CrossEncoder model = model(TestModels.tiny(3), 5)) {
      eager = model.predict(PAIRS, 2, false);
    } finally {
      System.clearProperty(CrossEncoder.TORCHSCRIPT_PROPERTY);
    }
    assertThat(scripted).isDeepEqualTo(eager);
  }

  @Test
  void weightsChangedInPlaceAreSeenByTheNextCall() {
    BertConfig config = TestModels.tiny(1);
    try (CrossEncoder model = model(config, 1);
        CrossEncoder other = model(config, 2)) {
      double[][] before = model.predict(PAIRS, 8, false);
      model.model().weights().copyFrom(TestModels.randomWeights(config, 2), "test weights");
      double[][] after = model.predict(PAIRS, 8, false);
      assertThat(after).isNotEqualTo(before);
      assertThat(after).isDeepEqualTo(other.predict(PAIRS, 8, false));
    }
  }

  @Test
  void generatedCodeFollowsTheConfiguration() {
    BertConfig config = TestModels.tiny(1).toBuilder().hiddenSize(48).numAttentionHeads(3).build();
    String code = BertScript.source(config);
    assertThat(code)
        .contains("[B, L, 3, 16]", "[B, L, 48]", "[48], p[3], p[4]")
        // float32 constants written as the doubles that read back as them
        .contains(Double.toString((float) (1 / Math.sqrt(16))))
        .contains(Double.toString((float) 1e-12).toLowerCase());
    // the indices the code uses: p[1] positions, p[2] token types, 16 per layer from p[5]
    List<String> order = BertScript.parameterOrder(config);
    assertThat(order).hasSize(5 + 16 * config.numHiddenLayers() + 4);
    assertThat(order.get(1)).isEqualTo("bert.embeddings.position_embeddings.weight");
    assertThat(order.get(2)).isEqualTo("bert.embeddings.token_type_embeddings.weight");
    assertThat(order.get(5 + 16)).isEqualTo("bert.encoder.layer.1.attention.self.query.weight");
    assertThat(order.get(5 + 16 + 12)).isEqualTo("bert.encoder.layer.1.output.dense.weight");
    assertThat(order.subList(order.size() - 4, order.size()))
        .containsExactly(
            "bert.pooler.dense.weight",
            "bert.pooler.dense.bias",
            "classifier.weight",
            "classifier.bias");
  }

  @Test
  void codeLibtorchRejectsIsAClearError() {
    byte[] archive =
        TorchScriptArchive.build(
            "Broken",
            "  training : bool\n  def forward(self: __torch__.Broken, x: Tensor) -> Tensor:\n"
                + "    return torch.no_such_operator(x)\n");
    try (NDManager m = PyTorch.newManager(ai.djl.Device.cpu())) {
      assertThatThrownBy(() -> TorchScriptArchive.load(archive, m))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rejected a generated TorchScript module");
    }
    assertThatThrownBy(() -> TorchScriptArchive.build("not a class", "  training : bool\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CrossEncoder model(BertConfig config, long seed) {
    return CrossEncoder.fromWeights(
        config,
        TestModels.randomWeights(config, seed),
        new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null),
        CrossEncoderOptions.defaults().withDevice("cpu"));
  }
}
