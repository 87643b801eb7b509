package dev.ce4j.core.arch.deberta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.Architectures;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What {@link DebertaV2Architecture} says about a model, against transformers' model as the fixtures
 * record it (discovery, tensor names and order, head, buffers, weight decay, initialisation, the
 * tokenizer class), the relative positions against transformers' formula worked in double precision,
 * and a 1,024-token pair.
 */
class DebertaV2ArchitectureTest {
  static final List<String> CASES = DebertaV2Fixtures.CASES;

  private static final DebertaV2Architecture ARCH = DebertaV2Architecture.INSTANCE;

  private static NDManager root;

  @BeforeAll
  static void engine() {
    root = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    root.close();
  }

  private static DebertaV2Config config(String name) {
    return (DebertaV2Config) ModelFolder.readConfig(DebertaV2Fixtures.folder(name));
  }

  @Test
  void isDiscoveredForItsModelType() {
    Architectures all = Architectures.load();
    assertThat(all.forModelType("deberta-v2", "config.json")).isInstanceOf(DebertaV2Architecture.class);
    assertThat(all.get("deberta-v2")).isInstanceOf(DebertaV2Architecture.class);
    assertThat(ARCH.modelTypes()).containsExactly("deberta-v2");
    assertThat(ARCH.description()).contains("DebertaV2ForSequenceClassification");
    assertThat(config(DebertaV2Fixtures.V3).architecture()).isSameAs(ARCH);
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void tensorsAreTransformersNamesAndShapesInTransformersOrder(String name) {
    JsonNode want = DebertaV2Fixtures.reference(name).get("tensors");
    LinkedHashMap<String, long[]> got = ARCH.tensorShapes(config(name));
    List<String> wantNames = new ArrayList<>();
    want.fieldNames().forEachRemaining(wantNames::add);
    assertThat(got.keySet()).containsExactlyElementsOf(wantNames);
    for (String n : wantNames) {
      assertThat(got.get(n)).as(n).containsExactly(DebertaV2Fixtures.longs(want.get(n)));
    }
  }

  @Test
  void theHeadIsThePoolerAndTheClassifierAndTheOutputLayerTheClassifier() {
    LinkedHashMap<String, long[]> shapes = ARCH.tensorShapes(config(DebertaV2Fixtures.V2));
    assertThat(shapes.keySet().stream().filter(ARCH::isHead))
        .containsExactly("pooler.dense.weight", "pooler.dense.bias", "classifier.weight", "classifier.bias");
    assertThat(shapes.keySet().stream().filter(ARCH::isOutputLayer))
        .containsExactly("classifier.weight", "classifier.bias");
  }

  @Test
  void onlyThePositionIdsBufferIsIgnored() {
    assertThat(ARCH.isIgnoredBuffer("deberta.embeddings.position_ids")).isTrue();
    for (String name : CASES) {
      for (String n : ARCH.tensorShapes(config(name)).keySet()) {
        assertThat(ARCH.isIgnoredBuffer(n)).as(n).isFalse();
      }
    }
  }

  @Test
  void biasesAndEveryLayerNormTakeNoWeightDecay() {
    for (String name : CASES) {
      for (String n : ARCH.tensorShapes(config(name)).keySet()) {
        boolean want = n.endsWith(".bias") || n.contains(".LayerNorm.");
        assertThat(ARCH.isNoDecay(n)).as(n).isEqualTo(want);
      }
    }
    assertThat(ARCH.isNoDecay("deberta.encoder.LayerNorm.weight")).isTrue();
    assertThat(ARCH.isNoDecay("deberta.encoder.rel_embeddings.weight")).isFalse();
    assertThat(ARCH.isNoDecay("deberta.embeddings.embed_proj.weight")).isFalse();
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void initialTensorsAreAsTransformersInitialisesThem(String name) {
    DebertaV2Config c = config(name);
    long seed = 17;
    for (Map.Entry<String, long[]> e : ARCH.tensorShapes(c).entrySet()) {
      String n = e.getKey();
      FloatTensor t = ARCH.initialTensor(c, n, seed);
      assertThat(t.shape()).as(n).containsExactly(e.getValue());
      if (n.endsWith("LayerNorm.weight")) {
        assertThat(t.data()).as(n).containsOnly(1f);
      } else if (n.endsWith(".bias")) {
        assertThat(t.data()).as(n).containsOnly(0f);
      } else {
        // every Linear and Embedding weight, rel_embeddings and embed_proj included
        int skipRow = n.equals(DebertaV2Tensors.WORD_EMBEDDINGS) ? c.padTokenId() : -1;
        assertNormal(n, t, c.initializerRange(), skipRow);
        assertThat(ARCH.initialTensor(c, n, seed).data()).containsExactly(t.data());
        assertThat(ARCH.initialTensor(c, n, seed + 1).data()).isNotEqualTo(t.data());
      }
    }
    FloatTensor word = ARCH.initialTensor(c, DebertaV2Tensors.WORD_EMBEDDINGS, seed);
    int width = c.embeddingSize();
    assertThat(Arrays.copyOfRange(word.data(), c.padTokenId() * width, (c.padTokenId() + 1) * width)).containsOnly(0f);
    assertThatThrownBy(() -> ARCH.initialTensor(c, "bert.pooler.dense.weight", seed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bert.pooler.dense.weight");
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void aWrittenTokenizerConfigIsTheFixturesTokenizerClass(String name) {
    Path folder = DebertaV2Fixtures.folder(name);
    JsonNode tokenizer = DebertaV2Fixtures.readJson(folder.resolve("tokenizer.json"));
    JsonNode want = DebertaV2Fixtures.readJson(folder.resolve("tokenizer_config.json"));
    ObjectNode got = new ObjectMapper().createObjectNode();
    ARCH.writeTokenizerConfig(tokenizer, got);
    for (String k : List.of("tokenizer_class", "do_lower_case", "split_by_punct", "vocab_type")) {
      assertThat(got.get(k)).as(k).isEqualTo(want.get(k));
    }
  }

  @Test
  void anotherArchitecturesConfigurationIsRefused() {
    Architecture bert = Architectures.load().get("bert");
    assertThatThrownBy(() -> ARCH.tensorShapes(bert.parseConfig(
            new ObjectMapper().createObjectNode().put("vocab_size", 10).put("hidden_size", 8)
                .put("num_hidden_layers", 1).put("num_attention_heads", 2).put("intermediate_size", 8),
            new ClassifierSettings(List.of("a"), null, 0), "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a DeBERTa-v2 configuration is needed, got bert");
  }

  /** deberta-v3-base's relative positions (256 buckets, range 512) at 1,024 tokens. */
  @Test
  void theLogBucketsAreTransformersFormulaWorkedInDoublePrecision() {
    DebertaV2Config c = DebertaV2Config.builder().vocabSize(10).hiddenSize(8).numHiddenLayers(1).numAttentionHeads(2)
        .intermediateSize(8).maxPositionEmbeddings(512).relativeAttention(true).positionBuckets(256)
        .posAttType(List.of("p2c", "c2p")).build();
    int t = 1024;
    try (NDManager m = root.newSubManager()) {
      long[] got = DebertaV2Positions.relative(c, t, m).toLongArray();
      int mid = 128;
      double denominator = Math.log(511.0 / mid);
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < t; j++) {
          long rel = i - j;
          long abs = rel < mid && rel > -mid ? mid - 1 : Math.abs(rel);
          long want = abs <= mid ? rel
              : (long) ((Math.ceil(Math.log(abs / (double) mid) / denominator * (mid - 1)) + mid) * Long.signum(rel));
          if (got[i * t + j] != want) {
            throw new AssertionError("relative position of " + i + ", " + j + ": " + got[i * t + j] + " != " + want);
          }
        }
      }
      // exact up to 128, then logarithmic: 511 apart is bucket 255, the last; farther stays beyond it
      assertThat(got[200]).isEqualTo(-(long) Math.ceil(Math.log(200 / 128.0) / denominator * 127 + 128));
      assertThat(got[511 * t]).isEqualTo(255);
      assertThat(got[1023 * t]).isGreaterThan(255);
      long[] c2p = DebertaV2Positions.c2pIndex(DebertaV2Positions.relative(c, t, m), 256).toLongArray();
      assertThat(Arrays.stream(c2p).min().getAsLong()).isZero();
      assertThat(Arrays.stream(c2p).max().getAsLong()).isEqualTo(511);
    }
  }

  /** A small v3-style model of 1,024 positions scores a 1,024-token pair, padded or not. */
  @Test
  void aPairOf1024TokensScoresAndPaddingChangesNothing() {
    DebertaV2Config c = DebertaV2Config.builder().vocabSize(300).hiddenSize(32).numHiddenLayers(2).numAttentionHeads(4)
        .intermediateSize(64).maxPositionEmbeddings(1024).relativeAttention(true).positionBuckets(256)
        .posAttType(List.of("p2c", "c2p")).shareAttKey(true).normRelEbd("layer_norm").positionBiasedInput(false)
        .build();
    try (ModelWeights w = ModelWeights.fromHost(c, WeightInit.initialWeights(c, 3), root, "long")) {
      DebertaV2Classifier model = ARCH.classifier(w);
      SplittableRandom random = new SplittableRandom(1);
      long[] longIds = random.longs(1024, 4, 300).toArray();
      long[] shortIds = Arrays.copyOf(longIds, 700);
      long[][] mask = {ones(1024), new long[1024]};
      Arrays.fill(mask[1], 0, 700, 1);
      long[][] padded = {longIds, Arrays.copyOf(shortIds, 1024)};
      float[][] both;
      float[][] alone;
      float[][] shortAlone;
      try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
        both = model.logits(padded, new long[2][1024], mask);
        alone = model.logits(new long[][] {longIds}, new long[1][1024], new long[][] {ones(1024)});
        shortAlone = model.logits(new long[][] {shortIds}, new long[1][700], new long[][] {ones(700)});
      }
      assertThat(alone[0][0]).isFinite();
      assertThat((double) both[0][0]).isCloseTo(alone[0][0], within(2e-6));
      assertThat((double) both[1][0]).isCloseTo(shortAlone[0][0], within(2e-6));
      long[][] tooLong = {new long[1025]};
      assertThatThrownBy(() -> model.logits(tooLong, new long[1][1025], new long[][] {ones(1025)}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1025 tokens is longer than the model's 1024 positions");
    }
  }

  private static long[] ones(int n) {
    long[] out = new long[n];
    Arrays.fill(out, 1);
    return out;
  }

  private static void assertNormal(String name, FloatTensor t, double std, int skipRow) {
    float[] d = t.data();
    int width = (int) t.shape()[t.shape().length - 1];
    double sum = 0;
    double squares = 0;
    int n = 0;
    for (int i = 0; i < d.length; i++) {
      if (i / width == skipRow) {
        continue;
      }
      sum += d[i];
      squares += (double) d[i] * d[i];
      n++;
    }
    double mean = sum / n;
    double sd = Math.sqrt(squares / n - mean * mean);
    assertThat(mean).as("mean of %s", name).isCloseTo(0, within(5 * std / Math.sqrt(n)));
    assertThat(sd).as("deviation of %s", name).isCloseTo(std, within(5 * std / Math.sqrt(2.0 * n)));
  }
}
