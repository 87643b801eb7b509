package dev.ce4j.core.arch.deberta;

import static dev.ce4j.core.arch.deberta.DebertaV2Fixtures.doubles;
import static dev.ce4j.core.arch.deberta.DebertaV2Fixtures.doubles2;
import static dev.ce4j.core.arch.deberta.DebertaV2Fixtures.longs;
import static dev.ce4j.core.arch.deberta.DebertaV2Fixtures.longs2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.tokenize.EncodedPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every DeBERTa-v2 fixture case against its independent reference (a torch transcription of
 * transformers' {@code DebertaV2ForSequenceClassification} and sentencepiece): token and type ids,
 * float32 logits of the eager pass and of {@code predict}, the padded batch, the per-layer trace,
 * and one training step's loss and per-parameter gradient norms.
 */
class DebertaV2ReferenceTest {
  /** Logits are of order 1; the reference's float32 and float64 logits differ by up to 6e-7. */
  private static final double LOGIT_TOLERANCE = 1e-5;

  /** Gradient norms: relative, plus an absolute floor for gradients that are 0 in exact arithmetic. */
  private static final double GRAD_RELATIVE = 1e-5;

  private static final double GRAD_ABSOLUTE = 1e-6;

  static final List<String> CASES = DebertaV2Fixtures.CASES;

  private static CrossEncoder load(String name) {
    return CrossEncoder.load(DebertaV2Fixtures.folder(name), CrossEncoderOptions.defaults().withDevice("cpu"));
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theFolderLoadsAsDebertaWithTheReferencesSettings(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    try (CrossEncoder model = load(name)) {
      assertThat(model.config()).isInstanceOf(DebertaV2Config.class);
      DebertaV2Config c = (DebertaV2Config) model.config();
      assertThat(c.maxLength()).isEqualTo(ref.get("max_length").asInt());
      assertThat(c.maxPositionEmbeddings()).isEqualTo(ref.get("max_position_embeddings").asInt());
      assertThat(c.numLabels()).isEqualTo(ref.get("num_labels").asInt());
      assertThat(c.padTokenId()).isEqualTo(ref.get("pad_token_id").asInt());
      for (int i = 0; i < c.numLabels(); i++) {
        assertThat(c.labels().get(i)).isEqualTo(ref.get("id2label").get(Integer.toString(i)).asText());
      }
      boolean types = name.equals(DebertaV2Fixtures.V2) || name.equals(DebertaV2Fixtures.NO_RELATIVE);
      assertThat(c.typeVocabSize()).isEqualTo(types ? 2 : 0);
      assertThat(model.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.EAGER);
      assertThat(model.tokenizer().specialTokens()).isEqualTo(ref.get("special_tokens_per_pair").asInt());
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theTokenizerGivesTheReferenceIdsAndTypeIds(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    try (CrossEncoder model = load(name)) {
      List<EncodedPair> encoded = model.tokenizer().encode(DebertaV2Fixtures.pairs(ref));
      for (int i = 0; i < encoded.size(); i++) {
        JsonNode pair = ref.get("pairs").get(i);
        assertThat(encoded.get(i).ids()).as("pair %d %s", i, pair.get("tokens"))
            .containsExactly(longs(pair.get("input_ids")));
        assertThat(encoded.get(i).typeIds()).as("type ids of pair %d", i)
            .containsExactly(longs(pair.get("token_type_ids")));
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void eagerLogitsEqualTheReference(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    try (CrossEncoder model = load(name);
        PyTorch.GradScope noGrad = PyTorch.noGrad()) {
      List<EncodedPair> encoded = model.tokenizer().encode(DebertaV2Fixtures.pairs(ref));
      double worst = 0;
      for (int i = 0; i < encoded.size(); i++) {
        double[] want = doubles(ref.get("pairs").get(i).get("logits"));
        try (NDManager m = model.manager().newSubManager()) {
          ModelInputs in = model.batch(List.of(encoded.get(i)), m);
          worst = Math.max(worst, assertClose(model.model().logits(in, false).toFloatArray(), want, "pair " + i));
        }
      }
      assertThat(worst).isLessThan(LOGIT_TOLERANCE);
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void thePaddedBatchEqualsTheReferenceAndTheUnpaddedPairs(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    JsonNode padded = ref.get("padded_batch");
    long[][] ids = longs2(padded.get("input_ids"));
    long[][] types = longs2(padded.get("token_type_ids"));
    long[][] mask = longs2(padded.get("attention_mask"));
    double[][] want = doubles2(padded.get("logits"));
    try (CrossEncoder model = load(name)) {
      DebertaV2Classifier eager = (DebertaV2Classifier) model.model();
      float[][] got = eager.logits(ids, types, mask);
      for (int i = 0; i < ids.length; i++) {
        assertClose(got[i], want[i], "padded row " + i);
        JsonNode pair = ref.get("pairs").get(i);
        long[][] one = {longs(pair.get("input_ids"))};
        long[][] oneTypes = {longs(pair.get("token_type_ids"))};
        float[][] alone = eager.logits(one, oneTypes, new long[][] {ones(one[0].length)});
        // padding changes the batch's products only by rounding (the reference's own difference: 4e-7)
        for (int j = 0; j < alone[0].length; j++) {
          assertThat((double) got[i][j]).as("row %d vs alone", i).isCloseTo(alone[0][j], within(2e-6));
        }
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void inferenceEqualsTheTrainingPathWithoutDropoutBitForBitAndLeavesTheWeightsManagerAlone(String name)
      throws IOException {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    JsonNode padded = ref.get("padded_batch");
    long[][] ids = longs2(padded.get("input_ids"));
    long[][] types = longs2(padded.get("token_type_ids"));
    long[][] mask = longs2(padded.get("attention_mask"));
    Path folder = DebertaV2Fixtures.folder(name);
    DebertaV2Config read = (DebertaV2Config) ModelFolder.readConfig(folder);
    DebertaV2Config config = read.withDropout(0, 0, 0, read.clsDropout() == null ? null : 0.0);
    try (NDManager root = PyTorch.newManager(Device.cpu());
        ModelWeights weights = ModelWeights.fromHost(
            config, ModelFolder.readWeights(folder.resolve(ModelFolder.WEIGHTS), config), root, "fixture")) {
      DebertaV2Classifier model = DebertaV2Architecture.INSTANCE.classifier(weights);
      int before = weights.manager().getManagedArrays().size();
      float[] inference;
      float[] trainingPath;
      try (PyTorch.GradScope noGrad = PyTorch.noGrad();
          NDManager m = root.newSubManager()) {
        // in-place steps and early frees at inference, fresh arrays when training: the same bits
        inference = model.logits(ModelInputs.of(m, ids, types, mask), false).toFloatArray();
        trainingPath = model.logits(ModelInputs.of(m, ids, types, mask), true).toFloatArray();
      }
      assertThat(inference).containsExactly(trainingPath);
      // nothing derived from a weight (the relative table, its projections) stays in the weights' manager
      assertThat(weights.manager().getManagedArrays()).hasSize(before);
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void predictGivesTheReferenceLogitsAndScores(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    List<TextPair> pairs = DebertaV2Fixtures.pairs(ref);
    try (CrossEncoder model = load(name)) {
      double[][] raw = model.predict(pairs, 5, false);
      double[][] scores = model.predict(pairs);
      for (int i = 0; i < pairs.size(); i++) {
        double[] want = doubles(ref.get("pairs").get(i).get("logits"));
        for (int j = 0; j < want.length; j++) {
          assertThat(raw[i][j]).as("pair %d label %d", i, j).isCloseTo(want[j], within(LOGIT_TOLERANCE));
          double expected = want.length == 1 ? 1 / (1 + Math.exp(-want[j])) : want[j];
          assertThat(scores[i][j]).isCloseTo(expected, within(LOGIT_TOLERANCE));
        }
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void tokenTypeIdsReachTheModelOnlyWithATypeEmbedding(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    JsonNode pair = ref.get("pairs").get(0);
    long[][] ids = {longs(pair.get("input_ids"))};
    long[][] types = {longs(pair.get("token_type_ids"))};
    assertThat(types[0]).contains(1L);
    try (CrossEncoder model = load(name)) {
      DebertaV2Classifier eager = (DebertaV2Classifier) model.model();
      float[] withTypes = eager.logits(ids, types, new long[][] {ones(ids[0].length)})[0];
      long[][] zeros = {new long[ids[0].length]};
      float[] withoutTypes = eager.logits(ids, zeros, new long[][] {ones(ids[0].length)})[0];
      if (model.config().typeVocabSize() == 0) {
        assertThat(withTypes).containsExactly(withoutTypes);
      } else {
        assertThat(withTypes).isNotEqualTo(withoutTypes);
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theTraceOfPairZeroEqualsTheReferenceLayerByLayer(String name) {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    JsonNode trace = ref.get("trace");
    JsonNode pair = ref.get("pairs").get(trace.get("pair_index").asInt());
    long[][] ids = {longs(pair.get("input_ids"))};
    long[][] types = {longs(pair.get("token_type_ids"))};
    long[][] mask = {ones(ids[0].length)};
    try (CrossEncoder model = load(name)) {
      DebertaV2Config c = (DebertaV2Config) model.config();
      JsonNode layers = trace.get("layer_outputs_first_token");
      assertThat(layers.size()).isEqualTo(c.numHiddenLayers());
      float[][][] hidden = ((DebertaV2Classifier) model.model()).lastHiddenState(ids, types, mask);
      assertClose(hidden[0][0], doubles(layers.get(c.numHiddenLayers() - 1)), "last layer, first token");
      for (int k = 0; k < c.numHiddenLayers() - 1; k++) {
        DebertaV2Config cut = c.toBuilder().numHiddenLayers(k + 1).build();
        LinkedHashMap<String, FloatTensor> all = model.weights().toHost();
        LinkedHashMap<String, FloatTensor> some = new LinkedHashMap<>();
        for (String n : DebertaV2Tensors.shapes(cut).keySet()) {
          some.put(n, all.get(n));
        }
        try (ModelWeights w = ModelWeights.fromHost(cut, some, model.manager(), "trace")) {
          float[][][] h = DebertaV2Architecture.INSTANCE.classifier(w).lastHiddenState(ids, types, mask);
          assertClose(h[0][0], doubles(layers.get(k)), "layer " + k + ", first token");
        }
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void oneTrainingStepGivesTheReferenceLossAndGradientNorms(String name) throws IOException {
    JsonNode ref = DebertaV2Fixtures.reference(name);
    JsonNode step = ref.get("training_step");
    Path folder = DebertaV2Fixtures.folder(name);
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Files.readString(folder.resolve("config.json")));
    json.put("hidden_dropout_prob", 0.0).put("attention_probs_dropout_prob", 0.0).put("pooler_dropout", 0.0);
    if (json.has("cls_dropout")) {
      json.put("cls_dropout", 0.0);
    }
    ModelConfig config = ConfigJson.parse(json.toString(), "config.json with dropout 0");
    DebertaV2Config read = (DebertaV2Config) ModelFolder.readConfig(folder);
    assertThat(config).isEqualTo(read.withDropout(0, 0, 0, read.clsDropout() == null ? null : 0.0)
        .withMaxLength(config.maxLength()));
    long[][] ids = longs2(step.get("input_ids"));
    long[][] types = longs2(step.get("token_type_ids"));
    long[][] mask = longs2(step.get("attention_mask"));
    try (NDManager root = PyTorch.newManager(Device.cpu());
        ModelWeights weights = ModelWeights.fromHost(
            config, ModelFolder.readWeights(folder.resolve(ModelFolder.WEIGHTS), config), root, "fixture")) {
      weights.setRequiresGradient(true);
      DebertaV2Classifier model = DebertaV2Architecture.INSTANCE.classifier(weights);
      try (NDManager m = root.newSubManager()) {
        ModelInputs in = ModelInputs.of(m, ids, types, mask);
        NDArray loss;
        NDArray logits;
        try (GradientCollector gc = PyTorch.engine().newGradientCollector()) {
          logits = model.logits(in, true);
          loss = config.numLabels() == 1
              ? bceWithLogits(logits, doubles(step.get("labels")), m)
              : crossEntropy(logits, longs(step.get("labels")), config.numLabels(), m);
          gc.backward(loss);
        }
        double[][] wantLogits = doubles2(step.get("logits"));
        float[] got = logits.toFloatArray();
        int n = config.numLabels();
        for (int i = 0; i < ids.length; i++) {
          assertClose(Arrays.copyOfRange(got, i * n, (i + 1) * n), wantLogits[i], "training logits row " + i);
        }
        double wantLoss = step.get("loss_float64").doubleValue();
        assertThat((double) loss.getFloat()).isCloseTo(wantLoss, within(1e-5 * Math.abs(wantLoss)));
        Map<String, Double> want = DebertaV2Fixtures.numbers(step.get("grad_norms_float64"));
        assertThat(weights.asMap().keySet()).containsExactlyElementsOf(want.keySet());
        double squares = 0;
        for (Map.Entry<String, Double> e : want.entrySet()) {
          NDArray grad = weights.get(e.getKey()).getGradient();
          grad.attach(m);
          double norm = l2(grad.toFloatArray());
          squares += norm * norm;
          assertThat(norm).as("gradient norm of %s", e.getKey())
              .isCloseTo(e.getValue(), within(GRAD_RELATIVE * e.getValue() + GRAD_ABSOLUTE));
        }
        double global = step.get("global_grad_norm_float64").doubleValue();
        assertThat(Math.sqrt(squares)).isCloseTo(global, within(GRAD_RELATIVE * global));
      }
    }
  }

  /** sentence-transformers' loss for one label: mean of max(x, 0) - x y + log(1 + exp(-|x|)). */
  static NDArray bceWithLogits(NDArray logits, double[] labels, NDManager m) {
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) labels[i];
    }
    NDArray x = logits.reshape(labels.length);
    NDArray softplus = x.maximum(m.create(0f)).add(x.abs().neg().exp().add(m.create(1f)).log());
    return softplus.sub(x.mul(m.create(y))).mean();
  }

  /** transformers' loss for several labels: mean over rows of -log softmax(x)[label]. */
  static NDArray crossEntropy(NDArray logits, long[] labels, int numLabels, NDManager m) {
    float[] oneHot = new float[labels.length * numLabels];
    for (int i = 0; i < labels.length; i++) {
      oneHot[i * numLabels + (int) labels[i]] = 1f;
    }
    NDArray target = m.create(oneHot, new Shape(labels.length, numLabels));
    return logits.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
  }

  static double l2(float[] values) {
    double s = 0;
    for (float v : values) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  static long[] ones(int n) {
    long[] out = new long[n];
    Arrays.fill(out, 1);
    return out;
  }

  /** Asserts every value within the logit tolerance; returns the largest difference. */
  static double assertClose(float[] got, double[] want, String what) {
    assertThat(got).as(what).hasSize(want.length);
    double worst = 0;
    for (int j = 0; j < want.length; j++) {
      assertThat((double) got[j]).as("%s [%d]", what, j).isCloseTo(want[j], within(LOGIT_TOLERANCE));
      worst = Math.max(worst, Math.abs(got[j] - want[j]));
    }
    return worst;
  }
}
