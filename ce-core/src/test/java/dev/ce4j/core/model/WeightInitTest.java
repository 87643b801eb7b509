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
}
