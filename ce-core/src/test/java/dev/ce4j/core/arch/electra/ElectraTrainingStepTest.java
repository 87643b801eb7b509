package dev.ce4j.core.arch.electra;

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
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.seed.EngineSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One training step of each ELECTRA reference case, as the reference made it: the config's dropout
 * keys set to 0, the forward pass in training mode on the padded batch of 8 pairs, {@code
 * BCEWithLogitsLoss} (mean) of the one logit or {@code CrossEntropyLoss} (mean) of three, one
 * backward pass. The loss, the logits and the L2 norm of every parameter's gradient equal the
 * reference's; every parameter the reference names gets a gradient, and no other.
 */
class ElectraTrainingStepTest {
  /** Relative tolerance of a gradient norm (float32 sums in another order). */
  static final double RELATIVE = 1e-4;

  /**
   * Absolute slack of a gradient norm: the attention key biases have a zero gradient in exact
   * arithmetic (softmax is shift-invariant), so their reference norms are float32 rounding noise
   * (about 4e-9 here).
   */
  static final double ABSOLUTE = 1e-6;

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void oneStepGivesTheReferenceLossAndGradientNorms(String name) throws IOException {
    ElectraReference ref = ElectraReference.of(name);
    JsonNode step = ref.json.get("training_step");
    ObjectNode json = (ObjectNode) JSON.readTree(Files.readString(ref.folder.resolve(ModelFolder.CONFIG)));
    json.put("hidden_dropout_prob", 0.0);
    json.put("attention_probs_dropout_prob", 0.0);
    json.put("classifier_dropout", 0.0);
    ElectraConfig config = (ElectraConfig) ConfigJson.parse(json.toString(), name + "/config.json, dropout 0");
    assertThat(config.effectiveClassifierDropout()).isZero();

    try (NDManager root = PyTorch.newManager(Device.cpu());
        ModelWeights weights = ModelWeights.fromHost(
            config, ModelFolder.readWeights(ref.folder.resolve(ModelFolder.WEIGHTS), config), root, name);
        NDManager m = root.newSubManager()) {
      weights.setRequiresGradient(true);
      SequenceClassifier model = ElectraArchitecture.INSTANCE.classifier(weights);
      ModelInputs in = ModelInputs.of(m, ElectraReference.longRows(step.get("input_ids")),
          ElectraReference.longRows(step.get("token_type_ids")), ElectraReference.longRows(step.get("attention_mask")));
      EngineSeeds.seedEngine(1); // no dropout is drawn; seeded anyway
      float[] logits;
      float loss;
      try (GradientCollector gc = PyTorch.engine().newGradientCollector()) {
        NDArray out = model.logits(in, true);
        NDArray l = config.numLabels() == 1 ? bceWithLogits(out, step.get("labels"), m)
            : crossEntropy(out, step.get("labels"), m);
        gc.backward(l);
        logits = out.toFloatArray();
        loss = l.getFloat();
      }
      assertThat(step.get("loss_function").asText())
          .startsWith(config.numLabels() == 1 ? "BCEWithLogitsLoss (mean)" : "CrossEntropyLoss (mean)");
      ElectraReferenceTest.assertClose(logits, ElectraReferenceTest.flatten(ElectraReference.doubleRows(step.get("logits"))),
          name + " training logits");
      double wantLoss = step.get("loss").asDouble();
      assertThat((double) loss).as(name + " loss").isCloseTo(wantLoss, within(RELATIVE * wantLoss + ABSOLUTE));

      List<String> named = new ArrayList<>();
      double global = 0;
      for (Map.Entry<String, JsonNode> e : step.get("grad_norms").properties()) {
        named.add(e.getKey());
        NDArray g = weights.get(e.getKey()).getGradient();
        g.attach(m);
        double sum = 0;
        for (float v : g.toFloatArray()) {
          sum += (double) v * v;
        }
        global += sum;
        double want = e.getValue().asDouble();
        assertThat(Math.sqrt(sum)).as("%s gradient norm of %s", name, e.getKey())
            .isCloseTo(want, within(RELATIVE * want + ABSOLUTE));
      }
      assertThat(named).containsExactlyElementsOf(weights.asMap().keySet());
      double wantGlobal = step.get("global_grad_norm").asDouble();
      assertThat(Math.sqrt(global)).as(name + " global gradient norm").isCloseTo(wantGlobal, within(RELATIVE * wantGlobal));
    }
  }

  /**
   * {@code BCEWithLogitsLoss} (mean) of {@code logits[:, 0]}: {@code max(x, 0) - x y + log(1 +
   * exp(-|x|))}; every constant an array of the batch's manager (see DEVELOPERS.md on scalars in
   * autograd).
   */
  static NDArray bceWithLogits(NDArray logits, JsonNode labels, NDManager m) {
    NDArray x = logits.reshape(logits.getShape().get(0));
    float[] y = new float[labels.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) labels.get(i).asDouble();
    }
    NDArray target = m.create(y);
    NDArray zero = m.create(0f);
    NDArray one = m.create(1f);
    return x.maximum(zero).sub(x.mul(target)).add(x.abs().neg().exp().add(one).log()).mean();
  }

  /** {@code CrossEntropyLoss} (mean): minus the mean log-softmax of each row's class. */
  static NDArray crossEntropy(NDArray logits, JsonNode labels, NDManager m) {
    int n = (int) logits.getShape().get(0);
    int c = (int) logits.getShape().get(1);
    float[] oneHot = new float[n * c];
    for (int i = 0; i < n; i++) {
      oneHot[i * c + labels.get(i).asInt()] = 1f;
    }
    return logits.logSoftmax(-1).mul(m.create(oneHot, new Shape(n, c))).sum(new int[] {1}).neg().mean();
  }
}
