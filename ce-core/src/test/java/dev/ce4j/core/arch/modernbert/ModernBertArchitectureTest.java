package dev.ce4j.core.arch.modernbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.arch.Architectures;
import dev.ce4j.core.arch.distilbert.DistilBertConfig;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What {@link ModernBertArchitecture} says about a model, against transformers' model as the
 * fixtures record it: discovery, tensor names and order, head, weight decay, initialisation, the
 * tokenizer class; and the eager pass on long sequences (a pair of a few thousand tokens, padding,
 * the sliding window, the rotary tables) and at the model's maximum length.
 */
class ModernBertArchitectureTest {
  static final List<String> CASES = ModernBertFixtures.CASES;

  private static final ModernBertArchitecture ARCH = ModernBertArchitecture.INSTANCE;

  private static NDManager root;

  @BeforeAll
  static void engine() {
    root = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    root.close();
  }

  private static ModernBertConfig config(String name) {
    return (ModernBertConfig) ModelFolder.readConfig(ModernBertFixtures.folder(name));
  }

  @Test
  void isDiscoveredForItsModelType() {
    Architectures all = Architectures.load();
    assertThat(all.forModelType("modernbert", "config.json")).isInstanceOf(ModernBertArchitecture.class);
    assertThat(all.get("modernbert")).isInstanceOf(ModernBertArchitecture.class);
    assertThat(ARCH.modelTypes()).containsExactly("modernbert");
    assertThat(ARCH.description()).contains("ModernBertForSequenceClassification");
    assertThat(config(ModernBertFixtures.CLS_ONE_LABEL).architecture()).isSameAs(ARCH);
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void tensorsAreTransformersNamesAndShapesInTransformersOrder(String name) {
    JsonNode want = ModernBertFixtures.reference(name).get("tensors");
    LinkedHashMap<String, long[]> got = ARCH.tensorShapes(config(name));
    List<String> wantNames = new ArrayList<>();
    want.fieldNames().forEachRemaining(wantNames::add);
    assertThat(got.keySet()).containsExactlyElementsOf(wantNames);
    for (String n : wantNames) {
      assertThat(got.get(n)).as(n).containsExactly(ModernBertFixtures.longs(want.get(n)));
    }
    assertThat(got).doesNotContainKey("model.layers.0.attn_norm.weight").containsKey("model.layers.1.attn_norm.weight");
    assertThat(config(name).parameterCount()).isEqualTo(got.values().stream().mapToLong(FloatTensor::numel).sum());
  }

  @Test
  void theHeadIsHeadAndClassifierAndTheOutputLayerTheClassifier() {
    LinkedHashMap<String, long[]> shapes = ARCH.tensorShapes(config(ModernBertFixtures.MEAN_THREE_LABELS));
    assertThat(shapes.keySet().stream().filter(ARCH::isHead)).containsExactly("head.dense.weight",
        "head.dense.bias", "head.norm.weight", "head.norm.bias", "classifier.weight", "classifier.bias");
    assertThat(shapes.keySet().stream().filter(ARCH::isOutputLayer))
        .containsExactly("classifier.weight", "classifier.bias");
    // without classifier_bias, head.dense has no bias; the classifier always has one
    assertThat(ARCH.tensorShapes(config(ModernBertFixtures.CLS_ONE_LABEL)).keySet().stream().filter(ARCH::isHead))
        .containsExactly("head.dense.weight", "head.norm.weight", "classifier.weight", "classifier.bias");
  }

  @Test
  void biasesAndEveryNormTakeNoWeightDecay() {
    List<String> noDecay = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (String n : ARCH.tensorShapes(config(ModernBertFixtures.MEAN_THREE_LABELS)).keySet()) {
      if (ARCH.isNoDecay(n)) {
        noDecay.add(n);
      }
      String module = n.substring(0, n.lastIndexOf('.'));
      if (n.endsWith(".bias") || module.endsWith(".norm") || module.endsWith("_norm")) {
        expected.add(n);
      }
    }
    assertThat(noDecay).containsExactlyElementsOf(expected).contains("model.embeddings.norm.weight",
        "model.layers.1.attn_norm.weight", "model.layers.0.mlp_norm.weight", "model.final_norm.weight",
        "head.norm.weight", "model.layers.2.attn.Wqkv.bias").doesNotContain("model.layers.0.mlp.Wi.weight",
        "model.embeddings.tok_embeddings.weight", "head.dense.weight");
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void initialTensorsAreAsTransformersInitialisesThem(String name) {
    ModernBertConfig c = config(name);
    double range = c.initializerRange();
    double out = range / Math.sqrt(2.0 * c.numHiddenLayers());
    for (Map.Entry<String, long[]> e : ARCH.tensorShapes(c).entrySet()) {
      String n = e.getKey();
      FloatTensor t = ARCH.initialTensor(c, n, 17);
      assertThat(t.shape()).as(n).containsExactly(e.getValue());
      assertThat(ARCH.initialTensor(c, n, 17)).as(n).isEqualTo(t);
      if (n.endsWith("norm.weight")) {
        assertThat(t.data()).as(n).containsOnly(1f);
      } else if (n.endsWith(".bias")) {
        assertThat(t.data()).as(n).containsOnly(0f);
      } else if (n.equals("classifier.weight")) {
        assertThat(t).isEqualTo(WeightInit.truncatedNormal(n, e.getValue(), Math.pow(c.hiddenSize(), -0.5), 2.0, 17));
      } else if (n.endsWith("attn.Wo.weight") || n.endsWith("mlp.Wo.weight") || n.equals("head.dense.weight")) {
        assertThat(t).as(n).isEqualTo(WeightInit.truncatedNormal(n, e.getValue(), out, 2.0, 17));
      } else {
        assertThat(t).as(n).isEqualTo(WeightInit.truncatedNormal(n, e.getValue(), range, 2.0, 17));
      }
    }
    // the padding row is drawn, not zeroed (transformers' _init_weights overwrites it)
    FloatTensor embedding = ARCH.initialTensor(c, ModernBertTensors.TOK_EMBEDDINGS, 17);
    int d = c.hiddenSize();
    float[] padRow = Arrays.copyOfRange(embedding.data(), c.padTokenId() * d, (c.padTokenId() + 1) * d);
    assertThat(padRow).isNotEqualTo(new float[d]);
    assertThatThrownBy(() -> ARCH.initialTensor(c, "model.layers.0.attn_norm.weight", 1))
        .hasMessageContaining("no tensor named 'model.layers.0.attn_norm.weight'");
  }

  @Test
  void aWrittenTokenizerConfigNamesPreTrainedTokenizerFastAndNoTypeIds() {
    ObjectNode got = new ObjectMapper().createObjectNode();
    ARCH.writeTokenizerConfig(new ObjectMapper().createObjectNode(), got);
    JsonNode fixture = ModernBertFixtures.readJson(
        ModernBertFixtures.folder(ModernBertFixtures.CLS_ONE_LABEL).resolve(ModelFolder.TOKENIZER_CONFIG));
    assertThat(got.get("tokenizer_class")).isEqualTo(fixture.get("tokenizer_class"));
    assertThat(got.get("model_input_names")).isEqualTo(fixture.get("model_input_names"));
  }

  @Test
  void anotherArchitecturesConfigurationIsRefused() {
    assertThatThrownBy(() -> ARCH.tensorShapes(DistilBertConfig.builder().build()))
        .hasMessage("a ModernBERT configuration is needed, got distilbert");
  }

  // --- long sequences ------------------------------------------------------------------------

  /** A small random model: 3 layers (global, local, local), window 64, 2,600 positions. */
  private static ModernBertConfig longConfig(String pooling) {
    return ModernBertConfig.builder().vocabSize(300).hiddenSize(32).numHiddenLayers(3).numAttentionHeads(2)
        .intermediateSize(48).maxPositionEmbeddings(2600).localAttention(64).padTokenId(0)
        .classifierPooling(pooling).numLabels(2).build();
  }

  private static long[] randomIds(int n, long seed) {
    long[] ids = new long[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      ids[i] = 1 + r.nextInt(299);
    }
    return ids;
  }

  private static long[] ones(int n, int real) {
    long[] m = new long[n];
    Arrays.fill(m, 0, real, 1);
    return m;
  }

  @Test
  void aPairOfTwoThousandFiveHundredTokensScoresAloneAndPaddedAlike() {
    for (String pooling : List.of(ModernBertConfig.CLS, ModernBertConfig.MEAN)) {
      ModernBertConfig c = longConfig(pooling);
      try (ModelWeights w = ModelWeights.fromHost(c, WeightInit.initialWeights(c, 3), root, "long");
          PyTorch.GradScope noGrad = PyTorch.noGrad();
          NDManager m = root.newSubManager()) {
        ModernBertClassifier model = ARCH.classifier(w);
        int longLen = 2500;
        int shortLen = 700;
        long[] a = randomIds(longLen, 1);
        long[] b = randomIds(shortLen, 2);
        float[] alone = logits(model, m, new long[][] {a}, new long[][] {ones(longLen, longLen)});
        float[] shortAlone = logits(model, m, new long[][] {b}, new long[][] {ones(shortLen, shortLen)});
        long[] bPadded = Arrays.copyOf(b, longLen);
        float[] batch = logits(model, m, new long[][] {a, bPadded},
            new long[][] {ones(longLen, longLen), ones(longLen, shortLen)});
        try (ModernBertScript script = ModernBertScript.compile(w)) {
          long[][] ids = {a, bPadded};
          ModelInputs in = ModelInputs.of(m, ids, new long[2][longLen],
              new long[][] {ones(longLen, longLen), ones(longLen, shortLen)});
          assertThat(script.logits(in).toFloatArray()).as(pooling + " script vs eager").containsExactly(batch);
        }
        assertThat(alone).doesNotContain(Float.NaN);
        for (int j = 0; j < 2; j++) {
          assertThat((double) batch[j]).as(pooling + " long row").isCloseTo(alone[j], within(1e-5));
          assertThat((double) batch[2 + j]).as(pooling + " padded short row").isCloseTo(shortAlone[j], within(1e-5));
        }
      }
    }
  }

  @Test
  void theSlidingWindowLimitsWhatTheFirstTokenSeesInLocalLayers() {
    // local_attention 64: in a sliding-window layer a token sees the tokens at most 32 away
    ModernBertConfig c = longConfig(ModernBertConfig.CLS).toBuilder().numHiddenLayers(2)
        .globalAttnEveryNLayers(1000).build();
    assertThat(c.isGlobalLayer(0)).isTrue();
    assertThat(c.isGlobalLayer(1)).isFalse();
    ModernBertConfig local = c.toBuilder().numHiddenLayers(1).build();
    try (ModelWeights w = ModelWeights.fromHost(local, WeightInit.initialWeights(local, 4), root, "window");
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = root.newSubManager()) {
      // layer 0 is global: a far token changes the first token's logits
      ModernBertClassifier model = ARCH.classifier(w);
      long[] ids = randomIds(200, 5);
      long[] changed = ids.clone();
      changed[150] = changed[150] % 298 + 1;
      float[] x = logits(model, m, new long[][] {ids}, new long[][] {ones(200, 200)});
      float[] y = logits(model, m, new long[][] {changed}, new long[][] {ones(200, 200)});
      assertThat(x).isNotEqualTo(y);
    }
    // layer 0 global with its attention output weight zero (no token mixing), layer 1 local: the
    // first token then sees tokens 0 to 32 exactly
    LinkedHashMap<String, FloatTensor> weights = WeightInit.initialWeights(c, 4);
    weights.put("model.layers.0.attn.Wo.weight", WeightInit.filled(new long[] {32, 32}, 0f));
    try (ModelWeights w = ModelWeights.fromHost(c, weights, root, "window");
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = root.newSubManager()) {
      ModernBertClassifier model = ARCH.classifier(w);
      long[] ids = randomIds(200, 5);
      long[] far = ids.clone();
      far[150] = far[150] % 298 + 1;
      long[] near = ids.clone();
      near[32] = near[32] % 298 + 1;
      float[] x = logits(model, m, new long[][] {ids}, new long[][] {ones(200, 200)});
      assertThat(logits(model, m, new long[][] {far}, new long[][] {ones(200, 200)})).containsExactly(x);
      assertThat(logits(model, m, new long[][] {near}, new long[][] {ones(200, 200)})).isNotEqualTo(x);
      long[] edge = ids.clone();
      edge[33] = edge[33] % 298 + 1;
      assertThat(logits(model, m, new long[][] {edge}, new long[][] {ones(200, 200)})).containsExactly(x);
    }
  }

  @Test
  void aSequenceAtTheMaximumLengthScoresAndOneLongerIsRefused() {
    ModernBertConfig c = longConfig(ModernBertConfig.MEAN);
    try (ModelWeights w = ModelWeights.fromHost(c, WeightInit.initialWeights(c, 6), root, "max");
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = root.newSubManager()) {
      ModernBertClassifier model = ARCH.classifier(w);
      int n = c.maxPositions();
      assertThat(logits(model, m, new long[][] {randomIds(n, 7)}, new long[][] {ones(n, n)}))
          .hasSize(2).doesNotContain(Float.NaN);
      assertThatThrownBy(() -> logits(model, m, new long[][] {randomIds(n + 1, 7)}, new long[][] {ones(n + 1, n + 1)}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence of 2601 tokens is longer than the model's 2600 positions");
    }
  }

  @Test
  void inferenceLeavesNoArrayOfAnyLayerBehind() {
    // the arrays a batch's manager holds after an inference call do not grow with the layers: each
    // layer's temporaries are freed when it finishes
    int[] held = new int[2];
    int[] layers = {1, 4};
    for (int i = 0; i < 2; i++) {
      ModernBertConfig c = longConfig(ModernBertConfig.MEAN).toBuilder().numHiddenLayers(layers[i])
          .globalAttnEveryNLayers(2).build();
      try (ModelWeights w = ModelWeights.fromHost(c, WeightInit.initialWeights(c, 8), root, "held");
          PyTorch.GradScope noGrad = PyTorch.noGrad();
          NDManager m = root.newSubManager()) {
        long[][] ids = {randomIds(300, 1), Arrays.copyOf(randomIds(200, 2), 300)};
        ModelInputs in = ModelInputs.of(m, ids, new long[2][300], new long[][] {ones(300, 300), ones(300, 200)});
        int before = m.getManagedArrays().size();
        ARCH.classifier(w).logits(in, false);
        held[i] = m.getManagedArrays().size() - before;
      }
    }
    assertThat(held[1]).isEqualTo(held[0]);
  }

  @Test
  void theRotaryTablesAreTransformersFloat32Values() {
    // inv_freq = 1 / 10000^(2i / 4) for a head of 4: 1 and 0.01; position 3: angles 3 and 0.03
    float[][] t = ModernBertRotary.tables(10_000.0, 4, 4);
    assertThat(t[0][3 * 4]).isEqualTo((float) Math.cos(3f));
    assertThat(t[0][3 * 4 + 2]).isEqualTo((float) Math.cos(3f));
    assertThat(t[1][3 * 4 + 1]).isEqualTo((float) Math.sin(0.01f * 3f));
    assertThat(t[1][3 * 4 + 3]).isEqualTo((float) Math.sin(0.01f * 3f));
    assertThat(t[0][0]).isEqualTo(1f);
    assertThat(t[1][1]).isEqualTo(0f);
  }

  private static float[] logits(ModernBertClassifier model, NDManager m, long[][] ids, long[][] mask) {
    long[][] types = new long[ids.length][ids[0].length];
    return model.logits(ModelInputs.of(m, ids, types, mask), false).toFloatArray();
  }
}
