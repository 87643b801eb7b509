package dev.ce4j.core.arch.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.seed.EngineSeeds;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DJL forward pass against the independent plain-Java reference, to 1e-5. */
class BertForSequenceClassificationTest {
  private static NDManager root;

  // three sequences of 7, 5 and 3 real tokens, padded to 7; token types switch mid-way
  private static final long[][] IDS = {
    {2, 17, 33, 5, 3, 41, 3},
    {2, 9, 3, 12, 3, 0, 0},
    {2, 48, 3, 0, 0, 0, 0}
  };
  private static final long[][] TYPES = {
    {0, 0, 0, 0, 0, 1, 1},
    {0, 0, 0, 1, 1, 0, 0},
    {0, 0, 0, 0, 0, 0, 0}
  };
  private static final long[][] MASK = {
    {1, 1, 1, 1, 1, 1, 1},
    {1, 1, 1, 1, 1, 0, 0},
    {1, 1, 1, 0, 0, 0, 0}
  };

  @BeforeAll
  static void engine() {
    root = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    root.close();
  }

  static BertConfig config(int numLabels, double dropout) {
    return BertConfig.builder()
        .vocabSize(50)
        .hiddenSize(32)
        .numHiddenLayers(2)
        .numAttentionHeads(4)
        .intermediateSize(48)
        .maxPositionEmbeddings(16)
        .typeVocabSize(2)
        .hiddenDropoutProb(dropout)
        .attentionProbsDropoutProb(dropout)
        .numLabels(numLabels)
        .build();
  }

  static LinkedHashMap<String, FloatTensor> randomWeights(BertConfig config, long seed) {
    return dev.ce4j.core.TestModels.randomWeights(config, seed);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void hiddenStatesAndLogitsMatchReference(int numLabels) {
    BertConfig config = config(numLabels, 0.1);
    LinkedHashMap<String, FloatTensor> w = randomWeights(config, 7 + numLabels);
    ReferenceBert ref = new ReferenceBert(config, w);
    try (ModelWeights weights = ModelWeights.fromHost(config, w, root, "test")) {
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      float[][][] hidden = model.lastHiddenState(IDS, TYPES, MASK);
      float[][] logits = model.logits(IDS, TYPES, MASK);
      for (int b = 0; b < IDS.length; b++) {
        double[][] expected = ref.hidden(IDS[b], TYPES[b], MASK[b]);
        for (int t = 0; t < IDS[b].length; t++) {
          if (MASK[b][t] == 0) {
            continue; // padded positions are garbage in both, by design
          }
          for (int d = 0; d < config.hiddenSize(); d++) {
            assertThat((double) hidden[b][t][d])
                .as("hidden[%d][%d][%d]", b, t, d)
                .isCloseTo(expected[t][d], within(1e-5));
          }
        }
        double[] expectedLogits = ref.logits(IDS[b], TYPES[b], MASK[b]);
        for (int c = 0; c < numLabels; c++) {
          assertThat((double) logits[b][c]).isCloseTo(expectedLogits[c], within(1e-5));
        }
      }
      // the head applied to the hidden states gives the same logits
      float[][] fromHead = model.head(hidden);
      for (int b = 0; b < IDS.length; b++) {
        assertThat(fromHead[b]).containsExactly(logits[b]);
      }
    }
  }

  @Test
  void paddingDoesNotChangeRealTokens() {
    BertConfig config = config(1, 0.1);
    LinkedHashMap<String, FloatTensor> w = randomWeights(config, 3);
    try (ModelWeights weights = ModelWeights.fromHost(config, w, root, "test")) {
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      float[][] alone =
          model.logits(
              new long[][] {{2, 48, 3}}, new long[][] {{0, 0, 0}}, new long[][] {{1, 1, 1}});
      float[][] batch = model.logits(IDS, TYPES, MASK);
      assertThat((double) batch[2][0]).isCloseTo(alone[0][0], within(1e-6));
    }
  }

  @Test
  void trainingWithoutDropoutEqualsInference() {
    BertConfig config = config(2, 0.0);
    try (ModelWeights weights =
            ModelWeights.fromHost(config, randomWeights(config, 5), root, "test");
        NDManager m = root.newSubManager()) {
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      ModelInputs in = ModelInputs.of(m, IDS, TYPES, MASK);
      float[] train = model.logits(in, true).toFloatArray();
      float[] infer = model.logits(in, false).toFloatArray();
      assertThat(train).containsExactly(infer);
    }
  }

  @Test
  void dropoutIsSeededByTheEngineSeed() {
    BertConfig config = config(1, 0.3);
    try (ModelWeights weights =
            ModelWeights.fromHost(config, randomWeights(config, 5), root, "test");
        NDManager m = root.newSubManager()) {
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      ModelInputs in = ModelInputs.of(m, IDS, TYPES, MASK);
      EngineSeeds.seedEngine(11);
      float[] a = model.logits(in, true).toFloatArray();
      EngineSeeds.seedEngine(11);
      float[] b = model.logits(in, true).toFloatArray();
      EngineSeeds.seedEngine(12);
      float[] c = model.logits(in, true).toFloatArray();
      float[] infer = model.logits(in, false).toFloatArray();
      assertThat(a).containsExactly(b);
      assertThat(a).isNotEqualTo(c);
      assertThat(a).isNotEqualTo(infer);
    }
  }

  @Test
  void gradientsReachEveryParameter() {
    BertConfig config = config(2, 0.1);
    try (ModelWeights weights =
            ModelWeights.fromHost(config, randomWeights(config, 9), root, "test");
        NDManager m = root.newSubManager()) {
      weights.setRequiresGradient(true);
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      EngineSeeds.seedEngine(1);
      try (GradientCollector gc = PyTorch.engine().newGradientCollector()) {
        ModelInputs in = ModelInputs.of(m, IDS, TYPES, MASK);
        NDArray loss = model.logits(in, true).square().sum();
        gc.backward(loss);
      }
      for (Map.Entry<String, NDArray> e : weights.asMap().entrySet()) {
        NDArray grad = e.getValue().getGradient();
        double norm = grad.abs().sum().getFloat();
        assertThat(norm).as("gradient of %s", e.getKey()).isGreaterThan(0).isFinite();
        grad.close();
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the scope only switches autograd off
  void inPlaceUpdatesByNameTrainTheModel() {
    BertConfig config = config(1, 0.0);
    try (ModelWeights weights =
        ModelWeights.fromHost(config, randomWeights(config, 4), root, "test")) {
      weights.setRequiresGradient(true);
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      double first = Double.NaN;
      double last = Double.NaN;
      for (int step = 0; step < 5; step++) {
        try (NDManager m = root.newSubManager()) {
          ModelInputs in = ModelInputs.of(m, IDS, TYPES, MASK);
          NDArray loss;
          try (GradientCollector gc = PyTorch.engine().newGradientCollector()) {
            loss = model.logits(in, true).sub(1f).square().mean();
            gc.backward(loss);
          }
          last = loss.getFloat();
          if (step == 0) {
            first = last;
          }
          try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
            for (NDArray p : weights.asMap().values()) {
              // results land in the first operand's manager (here the weights'): attach
              // temporaries to the step's manager, or they leak
              NDArray g = p.getGradient();
              g.attach(m);
              NDArray update = g.mul(0.01f);
              update.attach(m);
              p.subi(update);
              g.subi(g); // PyTorch accumulates gradients: zero them for the next step
            }
          }
        }
      }
      assertThat(last).isLessThan(first);
      assertThat(root.getManagedArrays()).hasSize(weights.asMap().size());
    }
  }

  @Test
  @SuppressWarnings("try") // the scope only switches autograd off
  void copyFromRestoresValuesInPlaceEvenAfterDivergence() {
    BertConfig config = config(1, 0.0);
    LinkedHashMap<String, FloatTensor> good = randomWeights(config, 21);
    try (ModelWeights weights =
        ModelWeights.fromHost(config, randomWeights(config, 22), root, "test")) {
      weights.setRequiresGradient(true);
      NDArray word = weights.get("bert.embeddings.word_embeddings.weight");
      try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
        word.muli(Float.POSITIVE_INFINITY).subi(Float.POSITIVE_INFINITY); // NaN everywhere
      }
      assertThat(Float.isNaN(word.toFloatArray()[0])).isTrue();
      weights.copyFrom(good, "checkpoint");
      assertThat(weights.get("bert.embeddings.word_embeddings.weight")).isSameAs(word);
      assertThat(weights.toHost()).isEqualTo(good);
      assertThat(ai.djl.pytorch.jni.JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) word))
          .isTrue();
      assertThat(root.getManagedArrays()).hasSize(weights.asMap().size());
      LinkedHashMap<String, FloatTensor> wrong = new LinkedHashMap<>(good);
      wrong.remove("classifier.bias");
      assertThatThrownBy(() -> weights.copyFrom(wrong, "checkpoint-7"))
          .isInstanceOf(dev.ce4j.api.InvalidInputException.class)
          .hasMessageContaining("checkpoint-7")
          .hasMessageContaining("'classifier.bias' is missing");
      // the model computes with the restored weights
      double expected = new ReferenceBert(config, good).logits(IDS[0], TYPES[0], MASK[0])[0];
      float got = BertArchitecture.INSTANCE.classifier(weights).logits(IDS, TYPES, MASK)[0][0];
      assertThat((double) got).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void rejectsSequencesLongerThanThePositionTable() {
    BertConfig config = config(1, 0.1);
    try (ModelWeights weights =
        ModelWeights.fromHost(config, randomWeights(config, 5), root, "test")) {
      EncoderClassifier model = BertArchitecture.INSTANCE.classifier(weights);
      long[][] ids = new long[1][17];
      assertThatThrownBy(() -> model.logits(ids, new long[1][17], new long[1][17]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("17 tokens")
          .hasMessageContaining("the model's 16 positions");
    }
  }
}
