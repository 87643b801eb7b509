package dev.ce4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.bert.BertTensors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightInitTest {
  static final BertConfig CONFIG =
      BertConfig.builder()
          .vocabSize(1000)
          .hiddenSize(64)
          .numHiddenLayers(2)
          .numAttentionHeads(4)
          .intermediateSize(128)
          .maxPositionEmbeddings(64)
          .padTokenId(3)
          .build();

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    LinkedHashMap<String, FloatTensor> a = WeightInit.initialWeights(CONFIG, 42);
    LinkedHashMap<String, FloatTensor> b = WeightInit.initialWeights(CONFIG, 42);
    LinkedHashMap<String, FloatTensor> c = WeightInit.initialWeights(CONFIG, 43);
    assertThat(a).isEqualTo(b);
    assertThat(a.keySet()).containsExactlyElementsOf(BertTensors.shapes(CONFIG).keySet());
    for (String name : a.keySet()) {
      boolean random = !name.endsWith(".bias") && !name.contains("LayerNorm");
      assertThat(a.get(name).equals(c.get(name))).as(name).isEqualTo(!random);
    }
  }

  @Test
  void valuesArePinnedAcrossJvmsAndReleases() {
    // golden float bits from an independent Python implementation of the documented algorithm:
    // src/test/python/weight_init_golden.py classifier.weight 0 0.02 64
    float[] w = WeightInit.initialTensor(CONFIG, "classifier.weight", 0).data();
    float[] again = WeightInit.initialWeights(CONFIG, 0).get("classifier.weight").data();
    assertThat(w).containsExactly(again);
    int[] golden = {-1128175438, 1027843117, -1121250732, 1000289140};
    for (int i = 0; i < golden.length; i++) {
      assertThat(Float.floatToIntBits(w[i])).as("value %d", i).isEqualTo(golden[i]);
    }
    assertThat(Float.floatToIntBits(w[63])).isEqualTo(-1132453283);
  }

  @Test
  void followsTransformersInitScheme() {
    LinkedHashMap<String, FloatTensor> w = WeightInit.initialWeights(CONFIG, 7);
    for (Map.Entry<String, FloatTensor> e : w.entrySet()) {
      float[] d = e.getValue().data();
      String n = e.getKey();
      if (n.contains("LayerNorm.weight")) {
        assertThat(d).as(n).containsOnly(1f);
      } else if (n.endsWith(".bias")) {
        assertThat(d).as(n).containsOnly(0f);
      } else if (d.length >= 4096) {
        double mean = 0;
        double sq = 0;
        for (float v : d) {
          mean += v;
          sq += v * (double) v;
        }
        mean /= d.length;
        double std = Math.sqrt(sq / d.length - mean * mean);
        assertThat(mean).as(n).isCloseTo(0, within(0.002));
        assertThat(std).as(n).isCloseTo(0.02, within(0.001));
      }
    }
    float[] emb = w.get("bert.embeddings.word_embeddings.weight").data();
    for (int i = 0; i < 64; i++) {
      assertThat(emb[3 * 64 + i]).isZero(); // padding row
      assertThat(emb[2 * 64 + i]).isNotZero();
    }
  }

  @Test
  void truncatedNormalIsCutAtTheCutoffDeterministicAndHasTheTruncatedSpread() {
    long[] shape = {200, 500};
    double std = 0.02;
    FloatTensor t = WeightInit.truncatedNormal("model.layers.0.mlp.Wi.weight", shape, std, 2.0, 9);
    assertThat(WeightInit.truncatedNormal("model.layers.0.mlp.Wi.weight", shape, std, 2.0, 9)).isEqualTo(t);
    assertThat(WeightInit.truncatedNormal("model.layers.0.mlp.Wi.weight", shape, std, 2.0, 10)).isNotEqualTo(t);
    assertThat(WeightInit.truncatedNormal("model.layers.1.mlp.Wi.weight", shape, std, 2.0, 9)).isNotEqualTo(t);
    double sum = 0;
    double squares = 0;
    float max = 0;
    int beyondOne = 0;
    for (float v : t.data()) {
      sum += v;
      squares += (double) v * v;
      max = Math.max(max, Math.abs(v));
      if (Math.abs(v) > std) {
        beyondOne++;
      }
    }
    int n = t.data().length;
    assertThat(max).isLessThanOrEqualTo((float) (2.0 * std));
    // the cut is reached: the largest of 100,000 draws is within 1% of it
    assertThat((double) max).isGreaterThan(1.98 * std);
    assertThat(sum / n).isCloseTo(0, within(1e-4));
    // a standard normal cut at +-2 has variance 1 - 2 * 2 * phi(2) / (2 Phi(2) - 1) = 0.7737
    assertThat(Math.sqrt(squares / n) / std).isCloseTo(Math.sqrt(0.77374), within(0.005));
    // P(|z| > 1 | |z| <= 2) = (0.9545 - 0.6827) / 0.9545 = 0.2848
    assertThat((double) beyondOne / n).isCloseTo(0.2848, within(0.005));
    // values inside the cut are the plain normal draws in order, the others skipped
    float[] plain = WeightInit.normal("x", new long[] {64}, 1.0, 3).data();
    float[] cut = WeightInit.truncatedNormal("x", new long[] {64}, 1.0, 2.0, 3).data();
    int k = 0;
    for (float v : plain) {
      if (Math.abs(v) <= 2.0 && k < cut.length) {
        assertThat(cut[k++]).isEqualTo(v);
      }
    }
  }
}
