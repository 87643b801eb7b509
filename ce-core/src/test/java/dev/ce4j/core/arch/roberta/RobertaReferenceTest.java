package dev.ce4j.core.arch.roberta;

import static dev.ce4j.core.arch.roberta.RobertaFixtures.doubleMatrix;
import static dev.ce4j.core.arch.roberta.RobertaFixtures.doubles;
import static dev.ce4j.core.arch.roberta.RobertaFixtures.longMatrix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.arch.encoder.EncoderLayout;
import dev.ce4j.core.arch.encoder.EncoderScript;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.tokenize.EncodedPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RoBERTa and XLM-RoBERTa fixture against its independent reference ({@code reference.json}:
 * a torch transcription of transformers' model and an independent tokenizer): the folder loads,
 * the tokenizer gives the reference ids, the eager pass, the exact TorchScript pass (bit for bit
 * the eager pass's) and {@code predict}'s default pass give the reference logits within 1e-5, one
 * padded batch equals the reference's, the last layer's first token equals the trace, and one
 * training step (dropout 0) gives the reference loss and per-parameter gradient norms.
 */
class RobertaReferenceTest {
  /** float32 logits of two computations of one model (different operator order) agree to this. */
  private static final double LOGITS = 1e-5;

  @TempDir Path dir;

  static Stream<RobertaFixtures.Fixture> fixtures() {
    return RobertaFixtures.all();
  }

  private static CrossEncoder load(Path folder) {
    return CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("cpu"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void theFolderLoadsAsTheFamilyItNames(RobertaFixtures.Fixture f) {
    try (CrossEncoder model = load(f.folder())) {
      assertThat(model.config()).isInstanceOf(RobertaConfig.class);
      RobertaConfig c = (RobertaConfig) model.config();
      assertThat(c.modelType()).isEqualTo(f.modelType());
      assertThat(c.architecture()).isSameAs(RobertaArchitecture.INSTANCE);
      assertThat(c.numLabels()).isEqualTo(f.numLabels());
      List<String> labels = new ArrayList<>();
      RobertaFixtures.fields(f.reference().get("id2label")).forEach(e -> labels.add(e.getValue().asText()));
      assertThat(c.labels()).containsExactlyElementsOf(labels);
      // max_position_embeddings - pad_token_id - 1: the fixtures use exactly every position
      assertThat(c.maxPositions()).isEqualTo(f.maxLength());
      assertThat(model.maxLength()).isEqualTo(f.maxLength());
      assertThat(c.padTokenId()).isEqualTo(f.reference().get("pad_token_id").asInt());
      List<String> names = new ArrayList<>();
      f.reference().get("tensors").fieldNames().forEachRemaining(names::add);
      assertThat(model.weights().asMap().keySet()).containsExactlyElementsOf(names);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void theTokenizerGivesTheReferenceIdsAndTypeZeroEverywhere(RobertaFixtures.Fixture f) {
    try (CrossEncoder model = load(f.folder())) {
      List<EncodedPair> encoded = model.tokenizer().encode(f.pairs());
      assertThat(encoded).hasSize(f.pairsJson().size());
      for (int i = 0; i < encoded.size(); i++) {
        JsonNode p = f.pairsJson().get(i);
        assertThat(encoded.get(i).ids()).as("pair %d %s", i, p.get("tokens")).containsExactly(f.inputIds(i));
        // the reference feeds no type ids: transformers' buffer of zeros; the Rust post-processor
        // gives type 0 to both texts
        assertThat(encoded.get(i).typeIds()).as("pair %d", i).containsOnly(0L);
        assertThat(encoded.get(i).length()).isLessThanOrEqualTo(f.maxLength());
        if (p.get("truncated").asBoolean()) {
          assertThat(encoded.get(i).length()).isEqualTo(f.maxLength());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eagerAndExactScriptLogitsEqualTheReferenceAndEachOther(RobertaFixtures.Fixture f) {
    try (CrossEncoder model = load(f.folder());
        EncoderScript exact = EncoderScript.compile(model.weights(), layout(model), EncoderScript.Mode.EXACT)) {
      List<EncodedPair> encoded = model.tokenizer().encode(f.pairs());
      PyTorch.GradScope noGrad = PyTorch.noGrad();
      try {
        for (int i = 0; i < encoded.size(); i++) {
          try (NDManager m = model.manager().newSubManager()) {
            ModelInputs in = model.batch(List.of(encoded.get(i)), m);
            float[] eager = model.model().logits(in, false).toFloatArray();
            float[] scripted = exact.logits(in).toFloatArray();
            assertClose(eager, f.logits(i), LOGITS, f + " eager, pair " + i);
            assertThat(scripted).as("%s exact script, pair %d", f, i).containsExactly(eager);
          }
        }
        // the whole padded batch: positions of padding stay at pad_token_id, masked keys count for 0
        try (NDManager m = model.manager().newSubManager()) {
          ModelInputs in = model.batch(encoded, m);
          float[] eager = model.model().logits(in, false).toFloatArray();
          assertThat(exact.logits(in).toFloatArray()).containsExactly(eager);
          assertClose(eager, flat(doubleMatrix(f.reference().get("padded_batch").get("logits"))), LOGITS,
              f + " padded batch");
        }
      } finally {
        noGrad.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void predictsDefaultPassGivesTheReferenceLogits(RobertaFixtures.Fixture f) {
    try (CrossEncoder model = load(f.folder())) {
      double[][] raw = model.predict(f.pairs(), 8, false);
      // ONEDNN where its products are right for these shapes, else the exact script
      assertThat(model.forwardPass())
          .isIn(CrossEncoder.ForwardPass.TORCHSCRIPT_ONEDNN, CrossEncoder.ForwardPass.TORCHSCRIPT);
      for (int i = 0; i < raw.length; i++) {
        assertClose(raw[i], f.logits(i), LOGITS, f + " predict, pair " + i);
      }
      double[][] scores = model.predict(f.pairs(), 8, true);
      for (int i = 0; i < raw.length; i++) {
        if (f.numLabels() == 1) {
          // sentence-transformers' default for one label: the sigmoid of the logit
          assertThat(scores[i][0]).isCloseTo(1 / (1 + Math.exp(-f.logits(i)[0])), within(LOGITS));
        } else {
          assertThat(scores[i]).containsExactly(raw[i]);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void thePaddedBatchIsTheReferencesAndTheTraceMatches(RobertaFixtures.Fixture f) {
    JsonNode padded = f.reference().get("padded_batch");
    try (CrossEncoder model = load(f.folder()); NDManager m = model.manager().newSubManager()) {
      ModelInputs in = model.batch(model.tokenizer().encode(f.pairs()), m);
      long[][] ids = longMatrix(padded.get("input_ids"));
      long[][] mask = longMatrix(padded.get("attention_mask"));
      assertThat(in.inputIds().getShape()).isEqualTo(new Shape(ids.length, ids[0].length));
      assertThat(in.inputIds().toLongArray()).containsExactly(flat(ids));
      assertThat(in.attentionMask().toLongArray()).containsExactly(flat(mask));

      // the last layer's output of pair 0's first token, and the input of out_proj
      JsonNode trace = f.reference().get("trace");
      int pair = trace.get("pair_index").asInt();
      EncoderClassifier classifier = (EncoderClassifier) model.model();
      long[][] one = {f.inputIds(pair)};
      long[][] zeros = {new long[one[0].length]};
      long[][] ones = {filled(one[0].length, 1)};
      float[][][] hidden = classifier.lastHiddenState(one, zeros, ones);
      JsonNode layers = trace.get("layer_outputs_first_token");
      double[] last = doubles(layers.get(layers.size() - 1));
      assertClose(hidden[0][0], last, LOGITS, f + " last layer, first token");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aTrainingStepGivesTheReferenceLossAndGradientNorms(RobertaFixtures.Fixture f) {
    JsonNode step = f.reference().get("training_step");
    // the reference step runs with every dropout probability 0
    Path folder = f.copy(dir.resolve("no-dropout"), c -> {
      c.put("hidden_dropout_prob", 0.0);
      c.put("attention_probs_dropout_prob", 0.0);
      c.put("classifier_dropout", 0.0);
    });
    try (CrossEncoder model = load(folder); NDManager m = model.manager().newSubManager()) {
      ModelWeights w = model.weights();
      w.setRequiresGradient(true);
      long[][] ids = longMatrix(step.get("input_ids"));
      long[][] mask = longMatrix(step.get("attention_mask"));
      long[][] types = new long[ids.length][ids[0].length];
      ModelInputs in = ModelInputs.of(m, ids, types, mask);
      double loss;
      try (GradientCollector gc = PyTorch.engine().newGradientCollector()) {
        NDArray logits = model.model().logits(in, true);
        assertClose(logits.toFloatArray(), flat(doubleMatrix(step.get("logits"))), LOGITS, f + " training logits");
        NDArray l = f.numLabels() == 1
            ? bceWithLogits(logits, doubles(step.get("labels")), m)
            : crossEntropy(logits, RobertaFixtures.longs(step.get("labels")), m);
        gc.backward(l);
        loss = l.getFloat();
      }
      assertThat(loss).isCloseTo(step.get("loss").asDouble(), within(1e-5 * step.get("loss").asDouble()));
      JsonNode norms = step.get("grad_norms");
      List<String> names = new ArrayList<>();
      norms.fieldNames().forEachRemaining(names::add);
      assertThat(w.asMap().keySet()).containsExactlyElementsOf(names);
      double global = 0;
      for (Map.Entry<String, NDArray> e : w.asMap().entrySet()) {
        NDArray grad = e.getValue().getGradient();
        double norm = l2(grad.toFloatArray());
        grad.close();
        global += norm * norm;
        double want = norms.get(e.getKey()).asDouble();
        // the attention key biases have no gradient in exact arithmetic: their norms are rounding
        // noise of 1e-9, hence the absolute term
        assertThat(norm).as("%s gradient norm of %s", f, e.getKey()).isCloseTo(want, within(1e-4 * want + 1e-6));
      }
      double wantGlobal = step.get("global_grad_norm").asDouble();
      assertThat(Math.sqrt(global)).isCloseTo(wantGlobal, within(1e-4 * wantGlobal));
    }
  }

  /** BCEWithLogitsLoss (mean) of {@code logits[:, 0]}: max(x, 0) - x y + log(1 + exp(-|x|)). */
  static NDArray bceWithLogits(NDArray logits, double[] labels, NDManager m) {
    float[] y = new float[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) labels[i];
    }
    NDArray x = logits.reshape(labels.length);
    // no mul(Number)/add(Number) on values that need a gradient (see DEVELOPERS.md): arrays only
    NDArray ones = m.ones(new Shape(labels.length));
    return Activation.relu(x).sub(x.mul(m.create(y))).add(x.abs().neg().exp().add(ones).log()).mean();
  }

  /** CrossEntropyLoss (mean): -log softmax(x)[label]. */
  static NDArray crossEntropy(NDArray logits, long[] labels, NDManager m) {
    long n = logits.getShape().get(1);
    float[] oneHot = new float[(int) (labels.length * n)];
    for (int i = 0; i < labels.length; i++) {
      oneHot[(int) (i * n + labels[i])] = 1f;
    }
    NDArray picked = logits.logSoftmax(1).mul(m.create(oneHot, logits.getShape())).sum(new int[] {1});
    return picked.neg().mean();
  }

  static double l2(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  static EncoderLayout layout(CrossEncoder model) {
    return RobertaArchitecture.layout((RobertaConfig) model.config());
  }

  static void assertClose(float[] actual, double[] expected, double tolerance, String what) {
    assertThat(actual).as(what).hasSize(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as("%s [%d]", what, i).isCloseTo(expected[i], within(tolerance));
    }
  }

  static void assertClose(double[] actual, double[] expected, double tolerance, String what) {
    assertThat(actual).as(what).hasSize(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).as("%s [%d]", what, i).isCloseTo(expected[i], within(tolerance));
    }
  }

  static double[] flat(double[][] rows) {
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }

  static long[] flat(long[][] rows) {
    return Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
  }

  private static long[] filled(int n, long v) {
    long[] a = new long[n];
    Arrays.fill(a, v);
    return a;
  }
}
