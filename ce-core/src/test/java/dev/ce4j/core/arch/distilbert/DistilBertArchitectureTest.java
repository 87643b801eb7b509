package dev.ce4j.core.arch.distilbert;

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
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.arch.encoder.EncoderLayout;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.core.seed.EngineSeeds;
import java.nio.file.Path;
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
 * What {@link DistilBertArchitecture} says about a model, against transformers' model as the
 * fixtures record it: discovery, tensor names and order, head, buffers, weight decay,
 * initialisation (the sinusoidal table included), the encoder table and the tokenizer class.
 */
class DistilBertArchitectureTest {
  static final List<String> CASES = DistilBertFixtures.CASES;

  private static final DistilBertArchitecture ARCH = DistilBertArchitecture.INSTANCE;

  private static NDManager root;

  @BeforeAll
  static void engine() {
    root = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    root.close();
  }

  private static DistilBertConfig config(String name) {
    return (DistilBertConfig) ModelFolder.readConfig(DistilBertFixtures.folder(name));
  }

  @Test
  void isDiscoveredForItsModelType() {
    Architectures all = Architectures.load();
    assertThat(all.forModelType("distilbert", "config.json")).isInstanceOf(DistilBertArchitecture.class);
    assertThat(all.get("distilbert")).isInstanceOf(DistilBertArchitecture.class);
    assertThat(ARCH.id()).isEqualTo("distilbert");
    assertThat(ARCH.modelTypes()).containsExactly("distilbert");
    assertThat(ARCH.description()).contains("DistilBertForSequenceClassification");
    assertThat(config(DistilBertFixtures.GELU_LEARNED).architecture()).isSameAs(ARCH);
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void tensorsAreTransformersNamesAndShapesInTransformersOrder(String name) {
    JsonNode want = DistilBertFixtures.reference(name).get("tensors");
    LinkedHashMap<String, long[]> got = ARCH.tensorShapes(config(name));
    List<String> wantNames = new ArrayList<>();
    want.fieldNames().forEachRemaining(wantNames::add);
    assertThat(got.keySet()).containsExactlyElementsOf(wantNames);
    for (String n : wantNames) {
      assertThat(got.get(n)).as(n).containsExactly(DistilBertFixtures.longs(want.get(n)));
    }
    assertThat(config(name).parameterCount())
        .isEqualTo(got.values().stream().mapToLong(FloatTensor::numel).sum());
  }

  @Test
  void theHeadIsPreClassifierAndClassifierAndTheOutputLayerTheClassifier() {
    LinkedHashMap<String, long[]> shapes = ARCH.tensorShapes(config(DistilBertFixtures.RELU_SINUSOIDAL));
    assertThat(shapes.keySet().stream().filter(ARCH::isHead))
        .containsExactly("pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias");
    assertThat(shapes.keySet().stream().filter(ARCH::isOutputLayer))
        .containsExactly("classifier.weight", "classifier.bias");
  }

  @Test
  void onlyThePositionIdsBufferIsIgnored() {
    assertThat(ARCH.isIgnoredBuffer("distilbert.embeddings.position_ids")).isTrue();
    for (String n : ARCH.tensorShapes(config(DistilBertFixtures.GELU_LEARNED)).keySet()) {
      assertThat(ARCH.isIgnoredBuffer(n)).as(n).isFalse();
    }
    assertThat(ARCH.isIgnoredBuffer("vocab_projector.weight")).isFalse();
  }

  @Test
  void biasesAndEveryLayerNormTakeNoWeightDecay() {
    List<String> noDecay = new ArrayList<>();
    for (String n : ARCH.tensorShapes(config(DistilBertFixtures.GELU_LEARNED).withNumLabels(1)).keySet()) {
      if (ARCH.isNoDecay(n)) {
        noDecay.add(n);
      }
    }
    List<String> expected = new ArrayList<>();
    for (String n : ARCH.tensorShapes(config(DistilBertFixtures.GELU_LEARNED)).keySet()) {
      // transformers' decay groups: no bias and no LayerNorm parameter decays
      if (n.endsWith(".bias") || n.contains("LayerNorm") || n.contains("sa_layer_norm")
          || n.contains("output_layer_norm")) {
        expected.add(n);
      }
    }
    assertThat(noDecay).containsExactlyElementsOf(expected).contains(
        "distilbert.transformer.layer.1.sa_layer_norm.weight",
        "distilbert.transformer.layer.0.output_layer_norm.weight",
        "distilbert.embeddings.LayerNorm.weight");
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void initialTensorsAreAsTransformersInitialisesThem(String name) {
    DistilBertConfig c = config(name);
    long seed = 17;
    for (Map.Entry<String, long[]> e : ARCH.tensorShapes(c).entrySet()) {
      String n = e.getKey();
      FloatTensor t = ARCH.initialTensor(c, n, seed);
      assertThat(t.shape()).as(n).containsExactly(e.getValue());
      float[] d = t.data();
      if (n.endsWith("LayerNorm.weight") || n.endsWith("layer_norm.weight")) {
        assertThat(d).as(n).containsOnly(1f);
      } else if (n.endsWith(".bias")) {
        assertThat(d).as(n).containsOnly(0f);
      } else if (n.equals(DistilBertTensors.POSITION_EMBEDDINGS) && c.sinusoidalPosEmbds()) {
        assertThat(d).as(n).containsExactly(DistilBertArchitecture.sinusoidalPositions(c.maxPositionEmbeddings(), c.dim()).data());
      } else {
        int skipRow = n.equals(DistilBertTensors.WORD_EMBEDDINGS) ? c.padTokenId() : -1;
        assertNormal(n, t, c.initializerRange(), skipRow);
        // the seed alone decides: same seed same bits, another seed other values
        assertThat(ARCH.initialTensor(c, n, seed).data()).containsExactly(d);
        assertThat(ARCH.initialTensor(c, n, seed + 1).data()).isNotEqualTo(d);
      }
    }
    FloatTensor word = ARCH.initialTensor(c, DistilBertTensors.WORD_EMBEDDINGS, seed);
    int width = c.dim();
    float[] padRow = Arrays.copyOfRange(word.data(), c.padTokenId() * width, (c.padTokenId() + 1) * width);
    assertThat(padRow).as("the padding row").containsOnly(0f);
    assertThatThrownBy(() -> ARCH.initialTensor(c, "bert.pooler.dense.weight", seed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bert.pooler.dense.weight");
  }

  @Test
  void theSinusoidalTableIsTheFixturesBitForBitAndTrained() {
    String name = DistilBertFixtures.RELU_SINUSOIDAL;
    DistilBertConfig c = config(name);
    assertThat(c.sinusoidalPosEmbds()).isTrue();
    // the fixture stores the table transformers computes (numpy float64, then float32)
    FloatTensor stored = ModelFolder.read(DistilBertFixtures.folder(name)).weights().get(DistilBertTensors.POSITION_EMBEDDINGS);
    assertThat(ARCH.initialTensor(c, DistilBertTensors.POSITION_EMBEDDINGS, 1).data()).containsExactly(stored.data());
    // the fixture records that transformers 5 trains it: the step gives it a gradient
    JsonNode step = DistilBertFixtures.reference(name).get("training_step");
    assertThat(step.get("sinusoidal_position_embeddings").get("parameter").asText())
        .isEqualTo(DistilBertTensors.POSITION_EMBEDDINGS);
    assertThat(step.get("grad_norms").get(DistilBertTensors.POSITION_EMBEDDINGS).doubleValue()).isPositive();
    // the learned case's table is noise, not sinusoids
    DistilBertConfig learned = config(DistilBertFixtures.GELU_LEARNED);
    assertThat(ARCH.initialTensor(learned, DistilBertTensors.POSITION_EMBEDDINGS, 1).data())
        .isNotEqualTo(DistilBertArchitecture.sinusoidalPositions(learned.maxPositionEmbeddings(), learned.dim()).data());
  }

  @Test
  void theSinusoidalTableFollowsTheFormulaByHand() {
    // pos / 10000^(2 floor(j/2) / dim): sine in even columns, cosine in odd ones
    float[] t = DistilBertArchitecture.sinusoidalPositions(3, 4).data();
    assertThat(t).containsExactly(
        0f, 1f, 0f, 1f,
        (float) Math.sin(1), (float) Math.cos(1), (float) Math.sin(0.01), (float) Math.cos(0.01),
        (float) Math.sin(2), (float) Math.cos(2), (float) Math.sin(0.02), (float) Math.cos(0.02));
    assertThat(DistilBertArchitecture.sinusoidalPositions(2, 3).data()[5]).isEqualTo((float) Math.sin(1 / Math.pow(10000, 2.0 / 3)));
    assertThatThrownBy(() -> DistilBertArchitecture.sinusoidalPositions(0, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theEncoderTableIsDistilBerts(String name) {
    DistilBertConfig c = config(name).toBuilder().dropout(0.11).attentionDropout(0.12).seqClassifDropout(0.13).build();
    EncoderLayout l = DistilBertArchitecture.layout(c);
    assertThat(l.hiddenSize()).isEqualTo(c.dim());
    assertThat(l.numHeads()).isEqualTo(c.nHeads());
    assertThat(l.numLayers()).isEqualTo(c.nLayers());
    assertThat(l.intermediateSize()).isEqualTo(c.hiddenDim());
    assertThat(l.layerNormEps()).isEqualTo((float) 1e-12);
    assertThat(l.embeddings().tokenType()).isNull();
    assertThat(l.embeddings().projection()).isNull();
    assertThat(l.embeddings().positions()).isEqualTo(EncoderLayout.Positions.FROM_ZERO);
    assertThat(l.embeddings().normEps()).isEqualTo((float) 1e-12);
    assertThat(l.feedForward()).isEqualTo(
        c.feedForwardActivation().equals("relu") ? EncoderLayout.Activation.RELU : EncoderLayout.Activation.GELU);
    // the head: pre_classifier, ReLU whatever the activation, dropout, classifier
    assertThat(l.head()).isEqualTo(new EncoderLayout.Head("pre_classifier", EncoderLayout.Activation.RELU, "classifier", false));
    assertThat(l.dropout()).isEqualTo(new EncoderLayout.Dropout(0.11, 0.12, 0.13, false));
    // every name of the table is a tensor of the model
    LinkedHashMap<String, long[]> shapes = ARCH.tensorShapes(c);
    EncoderLayout.LayerNames n = l.layers();
    for (int layer = 0; layer < c.nLayers(); layer++) {
      for (String f : List.of(n.query(), n.key(), n.value(), n.attentionOutput(), n.attentionNorm(), n.intermediate(),
          n.output(), n.outputNorm())) {
        assertThat(shapes).containsKeys(EncoderLayout.LayerNames.of(f, layer) + ".weight", EncoderLayout.LayerNames.of(f, layer) + ".bias");
      }
    }
    assertThat(shapes).containsKeys(l.embeddings().word(), l.embeddings().position(), l.embeddings().norm() + ".weight");
  }

  /**
   * transformers applies no dropout after {@code out_lin} (BERT does after its attention output). With
   * the embeddings' LayerNorm zeroed (so the embeddings, and their dropout, are 0), the feed-forward's
   * second layer zeroed (its dropout drops zeros) and no attention or classifier dropout, only a
   * dropout after {@code out_lin} could make training differ from inference.
   */
  @Test
  void thereIsNoDropoutAfterTheAttentionOutput() {
    DistilBertConfig c = config(DistilBertFixtures.GELU_LEARNED).toBuilder()
        .dropout(0.5).attentionDropout(0).seqClassifDropout(0).build();
    LinkedHashMap<String, FloatTensor> w = ModelFolder.readWeights(
        DistilBertFixtures.folder(DistilBertFixtures.GELU_LEARNED).resolve(ModelFolder.WEIGHTS), c);
    for (String n : List.copyOf(w.keySet())) {
      if (n.startsWith(DistilBertTensors.EMBEDDINGS_NORM) || n.contains("ffn.lin2")) {
        w.put(n, WeightInit.filled(w.get(n).shape(), 0f));
      }
    }
    long[][] ids = {{2, 40, 50, 60, 3, 70, 80, 3}};
    long[][] types = new long[1][8];
    long[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}};
    try (ModelWeights weights = ModelWeights.fromHost(c, w, root, "test"); NDManager m = root.newSubManager()) {
      ModelInputs in = ModelInputs.of(m, ids, types, mask);
      float[] inference = ARCH.classifier(weights).logits(in, false).toFloatArray();
      EngineSeeds.seedEngine(3);
      assertThat(ARCH.classifier(weights).logits(in, true).toFloatArray()).containsExactly(inference);
      // the same model with BERT's placement does differ: the test can tell
      EncoderLayout l = DistilBertArchitecture.layout(c);
      EncoderLayout bertLike = new EncoderLayout(l.hiddenSize(), l.numHeads(), l.numLayers(), l.intermediateSize(),
          l.layerNormEps(), l.embeddings(), l.layers(), l.feedForward(), l.head(),
          new EncoderLayout.Dropout(0.5, 0, 0, true));
      EngineSeeds.seedEngine(3);
      assertThat(new EncoderClassifier(weights, bertLike).logits(in, true).toFloatArray()).isNotEqualTo(inference);
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void aWrittenTokenizerConfigNamesDistilBertsTokenizerAsTheFixtureDoes(String name) {
    Path folder = DistilBertFixtures.folder(name);
    JsonNode tokenizer = DistilBertFixtures.readJson(folder.resolve("tokenizer.json"));
    JsonNode want = DistilBertFixtures.readJson(folder.resolve("tokenizer_config.json"));
    ObjectNode got = new ObjectMapper().createObjectNode();
    ARCH.writeTokenizerConfig(tokenizer, got);
    assertThat(got.get("tokenizer_class")).isEqualTo(want.get("tokenizer_class"));
    assertThat(got.get("do_lower_case")).isEqualTo(want.get("do_lower_case"));
  }

  @Test
  void anotherArchitecturesConfigurationIsRefused() {
    Architecture bert = Architectures.load().get("bert");
    assertThatThrownBy(() -> ARCH.tensorShapes(bert.parseConfig(
            new ObjectMapper().createObjectNode().put("vocab_size", 10).put("hidden_size", 8)
                .put("num_hidden_layers", 1).put("num_attention_heads", 2).put("intermediate_size", 8),
            new ClassifierSettings(List.of("a"), null, 0), "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a DistilBERT configuration is needed, got bert");
  }

  /** Mean about 0 and standard deviation about {@code std}, outside {@code skipRow}. */
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
    // n is at least 32 here: 5 standard errors of the mean and of the deviation
    assertThat(mean).as("mean of %s", name).isCloseTo(0, within(5 * std / Math.sqrt(n)));
    assertThat(sd).as("deviation of %s", name).isCloseTo(std, within(5 * std / Math.sqrt(2.0 * n)));
  }
}
