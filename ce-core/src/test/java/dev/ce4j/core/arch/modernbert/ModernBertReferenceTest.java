package dev.ce4j.core.arch.modernbert;

import static dev.ce4j.core.arch.modernbert.ModernBertFixtures.doubles;
import static dev.ce4j.core.arch.modernbert.ModernBertFixtures.doubles2;
import static dev.ce4j.core.arch.modernbert.ModernBertFixtures.longs;
import static dev.ce4j.core.arch.modernbert.ModernBertFixtures.longs2;
import static dev.ce4j.core.arch.modernbert.ModernBertFixtures.zerosLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.tokenize.EncodedPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every ModernBERT fixture case against its independent reference (a torch transcription of
 * transformers' {@code ModernBertForSequenceClassification} and an independent byte-level BPE
 * tokenizer in ModernBERT's layout): token ids, float32 logits of the eager pass, of the TorchScript
 * pass (the eager pass's bits) and of {@code predict}, the padded batch, the trace of pair 0, and one
 * training step's loss and per-parameter gradient norms.
 */
class ModernBertReferenceTest {
  /** Logits are of order 1; the reference's float32 and float64 logits differ by up to 1.4e-6. */
  private static final double LOGIT_TOLERANCE = 1e-5;

  /** Gradient norms: relative, plus an absolute floor for norms that are rounding noise. */
  private static final double GRAD_RELATIVE = 1e-5;

  private static final double GRAD_ABSOLUTE = 1e-6;

  static final List<String> CASES = ModernBertFixtures.CASES;

  private static CrossEncoder load(String name) {
    return CrossEncoder.load(ModernBertFixtures.folder(name), CrossEncoderOptions.defaults().withDevice("cpu"));
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theFolderLoadsAsModernBertWithTheReferencesSettings(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    try (CrossEncoder model = load(name)) {
      assertThat(model.config()).isInstanceOf(ModernBertConfig.class);
      ModernBertConfig c = (ModernBertConfig) model.config();
      assertThat(c.maxLength()).isEqualTo(ref.get("max_length").asInt());
      assertThat(c.maxPositionEmbeddings()).isEqualTo(ref.get("max_position_embeddings").asInt());
      assertThat(c.numLabels()).isEqualTo(ref.get("num_labels").asInt());
      assertThat(c.padTokenId()).isEqualTo(ref.get("pad_token_id").asInt());
      for (int i = 0; i < c.numLabels(); i++) {
        assertThat(c.labels().get(i)).isEqualTo(ref.get("id2label").get(Integer.toString(i)).asText());
      }
      assertThat(c.typeVocabSize()).isZero();
      assertThat(model.tokenizer().specialTokens()).isEqualTo(ref.get("special_tokens_per_pair").asInt());
      assertThat(model.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.TORCHSCRIPT);
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theTokenizerGivesTheReferenceIds(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    try (CrossEncoder model = load(name)) {
      List<EncodedPair> encoded = model.tokenizer().encode(ModernBertFixtures.pairs(ref));
      for (int i = 0; i < encoded.size(); i++) {
        JsonNode pair = ref.get("pairs").get(i);
        assertThat(encoded.get(i).ids()).as("pair %d %s", i, pair.get("tokens"))
            .containsExactly(longs(pair.get("input_ids")));
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void eagerAndScriptLogitsEqualTheReferenceAndEachOther(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    try (CrossEncoder model = load(name);
        ModernBertScript script = ModernBertScript.compile(model.weights());
        PyTorch.GradScope noGrad = PyTorch.noGrad()) {
      List<EncodedPair> encoded = model.tokenizer().encode(ModernBertFixtures.pairs(ref));
      double worst = 0;
      for (int i = 0; i < encoded.size(); i++) {
        double[] want = doubles(ref.get("pairs").get(i).get("logits"));
        try (NDManager m = model.manager().newSubManager()) {
          ModelInputs in = model.batch(List.of(encoded.get(i)), m);
          float[] eager = model.model().logits(in, false).toFloatArray();
          assertThat(script.logits(in).toFloatArray()).as("pair %d: script vs eager", i).containsExactly(eager);
          worst = Math.max(worst, assertClose(eager, want, "pair " + i));
        }
      }
      assertThat(worst).isLessThan(LOGIT_TOLERANCE);
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void thePaddedBatchEqualsTheReferenceAndTheUnpaddedPairs(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    JsonNode padded = ref.get("padded_batch");
    long[][] ids = longs2(padded.get("input_ids"));
    long[][] mask = longs2(padded.get("attention_mask"));
    double[][] want = doubles2(padded.get("logits"));
    try (CrossEncoder model = load(name);
        ModernBertScript script = ModernBertScript.compile(model.weights());
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = model.manager().newSubManager()) {
      ModelInputs in = ModelInputs.of(m, ids, zerosLike(ids), mask);
      assertThat(in.padded()).isTrue();
      float[] eager = model.model().logits(in, false).toFloatArray();
      assertThat(script.logits(in).toFloatArray()).containsExactly(eager);
      int n = model.config().numLabels();
      for (int i = 0; i < ids.length; i++) {
        float[] row = new float[n];
        System.arraycopy(eager, i * n, row, 0, n);
        assertClose(row, want[i], "padded row " + i);
        long[][] alone = {longs(ref.get("pairs").get(i).get("input_ids"))};
        float[] single = model.model()
            .logits(ModelInputs.of(m, alone, zerosLike(alone), new long[][] {ones(alone[0].length)}), false)
            .toFloatArray();
        for (int j = 0; j < n; j++) {
          assertThat((double) row[j]).as("row %d label %d padded vs alone", i, j)
              .isCloseTo(single[j], within(2e-6));
        }
      }
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void predictGivesTheReferenceLogitsAndScores(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    List<TextPair> pairs = ModernBertFixtures.pairs(ref);
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
  void tokenTypeIdsDoNotReachTheModel(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    try (CrossEncoder model = load(name);
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = model.manager().newSubManager()) {
      EncodedPair pair = model.tokenizer().encode(ModernBertFixtures.pairs(ref).get(0));
      long[][] ids = {pair.ids()};
      long[][] types = {new long[ids[0].length]};
      Arrays.fill(types[0], 1);
      float[] withTypes = model.model()
          .logits(ModelInputs.of(m, ids, types, new long[][] {ones(ids[0].length)}), false).toFloatArray();
      float[] withoutTypes = model.model()
          .logits(ModelInputs.of(m, ids, zerosLike(ids), new long[][] {ones(ids[0].length)}), false).toFloatArray();
      assertThat(withTypes).containsExactly(withoutTypes);
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void theTraceOfPairZeroEqualsTheReference(String name) {
    JsonNode ref = ModernBertFixtures.reference(name);
    JsonNode trace = ref.get("trace");
    JsonNode pair = ref.get("pairs").get(trace.get("pair_index").asInt());
    long[][] ids = {longs(pair.get("input_ids"))};
    try (CrossEncoder model = load(name);
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDManager m = model.manager().newSubManager()) {
      ModernBertClassifier eager = (ModernBertClassifier) model.model();
      ModelInputs in = ModelInputs.of(m, ids, zerosLike(ids), new long[][] {ones(ids[0].length)});
      NDArray hidden = eager.lastHiddenState(in, false);
      float[] first = hidden.get(new NDIndex("0, 0, :")).toFloatArray();
      assertClose(first, doubles(trace.get("final_norm_first_token")), "final_norm, first token");
      NDArray pooled = ModernBertConfig.MEAN.equals(eager.config().classifierPooling())
          ? hidden.mean(new int[] {1})
          : hidden.get(new NDIndex(":, 0, :"));
      float[] logits = eager.head(pooled, false).toFloatArray();
      assertClose(logits, doubles(pair.get("logits")), "head on the pooled state");
    }
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void oneTrainingStepGivesTheReferenceLossAndGradientNorms(String name) throws IOException {
    JsonNode ref = ModernBertFixtures.reference(name);
    JsonNode step = ref.get("training_step");
    Path folder = ModernBertFixtures.folder(name);
    // the reference's step: model.train() with every dropout probability 0
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Files.readString(folder.resolve("config.json")));
    json.put("embedding_dropout", 0.0).put("attention_dropout", 0.0).put("mlp_dropout", 0.0)
        .put("classifier_dropout", 0.0);
    ModelConfig config = ConfigJson.parse(json.toString(), "config.json with dropout 0");
    assertThat(config).isEqualTo(((ModernBertConfig) ModelFolder.readConfig(folder)).withDropout(0, 0, 0, 0)
        .withMaxLength(config.maxLength()));
    long[][] ids = longs2(step.get("input_ids"));
    long[][] mask = longs2(step.get("attention_mask"));
    try (NDManager root = PyTorch.newManager(Device.cpu());
        ModelWeights weights = ModelWeights.fromHost(
            config, ModelFolder.readWeights(folder.resolve(ModelFolder.WEIGHTS), config), root, "fixture")) {
      weights.setRequiresGradient(true);
      ModernBertClassifier model = ModernBertArchitecture.INSTANCE.classifier(weights);
      try (NDManager m = root.newSubManager()) {
        ModelInputs in = ModelInputs.of(m, ids, zerosLike(ids), mask);
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
          float[] row = new float[n];
          System.arraycopy(got, i * n, row, 0, n);
          assertClose(row, wantLogits[i], "training logits row " + i);
        }
        double wantLoss = step.get("loss_float64").doubleValue();
        assertThat((double) loss.getFloat()).isCloseTo(wantLoss, within(1e-5 * Math.abs(wantLoss)));

        Map<String, Double> want = ModernBertFixtures.numbers(step.get("grad_norms_float64"));
        assertThat(weights.asMap().keySet()).containsExactlyElementsOf(want.keySet());
        double squares = 0;
        for (Map.Entry<String, Double> e : want.entrySet()) {
          NDArray grad = weights.get(e.getKey()).getGradient();
          grad.attach(m);
          double norm = l2(grad.toFloatArray());
          squares += norm * norm;
          assertThat(norm)
              .as("gradient norm of %s", e.getKey())
              .isCloseTo(e.getValue(), within(GRAD_RELATIVE * e.getValue() + GRAD_ABSOLUTE));
        }
        double global = step.get("global_grad_norm_float64").doubleValue();
        assertThat(Math.sqrt(squares)).isCloseTo(global, within(GRAD_RELATIVE * global));
      }
    }
  }

  /** sentence-transformers' loss for one label: mean of max(x, 0) - x y + log(1 + exp(-|x|)). */
  private static NDArray bceWithLogits(NDArray logits, double[] labels, NDManager m) {
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) labels[i];
    }
    NDArray x = logits.reshape(labels.length);
    NDArray target = m.create(y);
    NDArray zero = m.create(0f);
    NDArray one = m.create(1f);
    NDArray softplus = x.maximum(zero).add(x.abs().neg().exp().add(one).log());
    return softplus.sub(x.mul(target)).mean();
  }

  /** transformers' loss for several labels: mean over rows of -log softmax(x)[label]. */
  private static NDArray crossEntropy(NDArray logits, long[] labels, int numLabels, NDManager m) {
    float[] oneHot = new float[labels.length * numLabels];
    for (int i = 0; i < labels.length; i++) {
      oneHot[i * numLabels + (int) labels[i]] = 1f;
    }
    NDArray target = m.create(oneHot, new Shape(labels.length, numLabels));
    return logits.logSoftmax(-1).mul(target).sum(new int[] {1}).neg().mean();
  }

  private static double l2(float[] values) {
    double s = 0;
    for (float v : values) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  private static long[] ones(int n) {
    long[] out = new long[n];
    Arrays.fill(out, 1);
    return out;
  }

  /** Asserts every value within the logit tolerance; returns the largest difference. */
  private static double assertClose(float[] got, double[] want, String what) {
    assertThat(got).as(what).hasSize(want.length);
    double worst = 0;
    for (int j = 0; j < want.length; j++) {
      assertThat((double) got[j]).as("%s [%d]", what, j).isCloseTo(want[j], within(LOGIT_TOLERANCE));
      worst = Math.max(worst, Math.abs(got[j] - want[j]));
    }
    return worst;
  }
}
