package dev.ce4j.core.arch.electra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.encoder.EncoderScript;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.tokenize.EncodedPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ELECTRA's scoring pass beyond the reference cases, for shapes oneDNN's reordered products serve
 * (hidden 96; see DEVELOPERS.md): the exact TorchScript pass gives the eager pass's bits, the oneDNN
 * pass agrees to rounding (or is refused by its own check), for single pairs, padded and unpadded
 * batches, and both see every kind of weight changed in place, the embedding projection included
 * (it is not among oneDNN's reordered copies).
 */
class ElectraScoringPassTest {
  static Stream<Arguments> configs() {
    ElectraConfig base = ElectraConfig.builder().vocabSize(269).hiddenSize(96).numAttentionHeads(6)
        .intermediateSize(192).numHiddenLayers(2).maxPositionEmbeddings(64).build();
    return Stream.of(
        Arguments.of("embedding 48 projected to 96, 3 labels", base.toBuilder().embeddingSize(48).numLabels(3).build()),
        Arguments.of("embedding 96, 1 label", base.toBuilder().embeddingSize(96).build()));
  }

  /** Weights far from the initialisation, so that pairs get clearly different logits. */
  static LinkedHashMap<String, FloatTensor> randomWeights(ElectraConfig config, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ElectraArchitecture.INSTANCE.tensorShapes(config).entrySet()) {
      float[] d = new float[Math.toIntExact(FloatTensor.numel(e.getValue()))];
      boolean norm = e.getKey().contains("LayerNorm.weight");
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) ((norm ? 1 : 0) + r.nextDouble(-0.15, 0.15));
      }
      out.put(e.getKey(), new FloatTensor(e.getValue(), d));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void exactIsEagerBitForBitAndOnednnAgreesOrIsRefused(String name, ElectraConfig config) {
    ElectraReference ref = ElectraReference.of(ElectraReference.UNPROJECTED);
    TokenizerFiles tokenizer = TokenizerFiles.fromFolder(ref.folder);
    try (CrossEncoder model = CrossEncoder.fromWeights(config, randomWeights(config, 3), tokenizer,
            CrossEncoderOptions.defaults().withDevice("cpu"));
        EncoderScript exact = EncoderScript.compile(model.weights(), ElectraArchitecture.layout(config))) {
      EncoderScript onednn = null;
      try {
        onednn = EncoderScript.compile(model.weights(), ElectraArchitecture.layout(config), EncoderScript.Mode.ONEDNN);
      } catch (IllegalStateException refused) {
        assertThat(refused).hasMessageContaining("oneDNN computes wrong products");
      }
      // eight pairs of different lengths (one truncated), enough for every shape of batch
      List<EncodedPair> encoded = model.tokenizer().encode(ref.textPairs().subList(10, 18));
      float[] before = check(model, exact, onednn, encoded, name);
      for (String changed : List.of("electra.embeddings.word_embeddings.weight", ElectraTensors.layerTensor(1, "attention.self.key.weight"),
          ElectraTensors.layerTensor(0, "output.dense.weight"), "classifier.out_proj.weight")
          .stream().filter(n -> model.weights().asMap().containsKey(n)).toList()) {
        scale(model, changed);
        float[] after = check(model, exact, onednn, encoded, name + ", " + changed + " changed");
        assertThat(after).as(changed).isNotEqualTo(before);
        before = after;
      }
      if (config.hasEmbeddingProjection()) {
        scale(model, "electra.embeddings_project.weight");
        assertThat(check(model, exact, onednn, encoded, name + ", projection changed")).isNotEqualTo(before);
      }
      if (onednn != null) {
        onednn.close();
      }
    }
  }

  private static void scale(CrossEncoder model, String tensor) {
    PyTorch.GradScope noGrad = PyTorch.noGrad();
    try {
      model.weights().get(tensor).muli(1.5f);
    } finally {
      noGrad.close();
    }
  }

  /** Every pair alone, all padded together, two of equal length; returns the padded batch's logits. */
  private static float[] check(CrossEncoder model, EncoderScript exact, EncoderScript onednn,
      List<EncodedPair> encoded, String what) {
    List<List<EncodedPair>> batches = new ArrayList<>();
    for (EncodedPair p : encoded) {
      batches.add(List.of(p));
    }
    batches.add(List.of(encoded.get(3), encoded.get(3)));
    batches.add(encoded);
    float[] last = null;
    PyTorch.GradScope noGrad = PyTorch.noGrad();
    try {
      for (List<EncodedPair> batch : batches) {
        try (NDManager m = model.manager().newSubManager()) {
          ModelInputs in = model.batch(batch, m);
          float[] eager = model.model().logits(in, false).toFloatArray();
          assertThat(exact.logits(in).toFloatArray()).as(what + ", exact, batch of " + batch.size()).containsExactly(eager);
          if (onednn != null) {
            float[] fast = onednn.logits(in).toFloatArray();
            for (int i = 0; i < eager.length; i++) {
              assertThat((double) fast[i]).as(what + ", oneDNN [" + i + "]").isCloseTo(eager[i], within(1e-5));
            }
          }
          last = eager;
        }
      }
    } finally {
      noGrad.close();
    }
    return last;
  }
}
