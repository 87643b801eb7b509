package dev.ce4j.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.ScoreActivation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss against sentence-transformers' definition evaluated by PyTorch 1.13
 * (src/test/python/train_golden.py): value and d(loss)/d(logits) from DJL autograd.
 */
class LossGoldenTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  static JsonNode golden() throws IOException {
    try (InputStream in = LossGoldenTest.class.getResourceAsStream("/golden/losses.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  static Stream<JsonNode> cases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    golden().get("cases").forEach(out::add);
    return out.stream();
  }

  @Test
  void goldenFileCoversEveryLoss() throws IOException {
    List<String> ids = cases().map(c -> c.get("loss").asText()).distinct().toList();
    assertThat(ids)
        .containsExactlyInAnyOrder(
            "bce", "multilabel_bce", "cross_entropy", "mse", "margin_mse", "mnrl", "listnet",
            "listmle", "ranknet", "lambda");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesPyTorch(JsonNode c) {
    Loss loss = loss(c.get("loss").asText(), c.get("params"));
    try (NDManager m = manager.newSubManager()) {
      NDArray logits = m.create(floats(c.get("logits")), shape(c.get("logits_shape")));
      logits.setRequiresGradient(true);
      NDArray labels = null;
      if (!c.get("labels").isNull()) {
        Shape s = shape(c.get("labels_shape"));
        float[] v = floats(c.get("labels"));
        labels = loss.input() == LossInput.MULTICLASS
            ? m.create(v, s).toType(DataType.INT64, false)
            : m.create(v, s);
      }
      NDArray mask = null;
      if (!c.get("mask").isNull()) {
        boolean[] b = new boolean[c.get("mask").size()];
        for (int i = 0; i < b.length; i++) {
          b[i] = c.get("mask").get(i).asBoolean();
        }
        mask = m.create(b, logits.getShape());
      }
      float value;
      try (GradientCollector gc = Engine.getEngine(PyTorch.ENGINE_NAME).newGradientCollector()) {
        NDArray out = loss.compute(logits, labels, mask);
        assertThat(out.getShape()).isEqualTo(new Shape());
        assertThat(out.getDataType()).isEqualTo(DataType.FLOAT32);
        value = out.getFloat();
        gc.backward(out);
      }
      double expected = c.get("value").asDouble();
      assertThat((double) value).isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
      float[] grad = logits.getGradient().toFloatArray();
      float[] expectedGrad = floats(c.get("grad"));
      double scale = 1;
      for (float g : expectedGrad) {
        scale = Math.max(scale, Math.abs(g));
      }
      assertThat(grad).hasSameSizeAs(expectedGrad);
      for (int i = 0; i < grad.length; i++) {
        assertThat((double) grad[i])
            .as("d loss / d logits[%d]", i)
            .isCloseTo(expectedGrad[i], within(1e-6 * scale));
      }
    }
  }

  static Loss loss(String id, JsonNode p) {
    ScoreActivation act = activation(p, "identity");
    return switch (id) {
      case "bce" -> new BinaryCrossEntropyLoss(
          act, p.has("pos_weight") ? p.get("pos_weight").asDouble() : null);
      case "multilabel_bce" -> {
        float[] w = p.has("pos_weight") ? floats(p.get("pos_weight")) : null;
        yield new MultiLabelBinaryCrossEntropyLoss(act, w);
      }
      case "cross_entropy" -> new CrossEntropyLoss(act);
      case "mse" -> new MseLoss(act);
      case "margin_mse" -> new MarginMseLoss(act);
      case "mnrl" -> new MultipleNegativesRankingLoss(
          p.has("scale") ? p.get("scale").asDouble() : 10.0, activation(p, "sigmoid"), 4);
      case "listnet" -> new ListNetLoss(act);
      case "listmle" -> new ListMleLoss(
          act, p.get("respect_input_order").asBoolean(), p.get("position_aware").asBoolean());
      case "ranknet" -> new RankNetLoss(
          p.has("k") ? p.get("k").asInt() : null,
          p.has("sigma") ? p.get("sigma").asDouble() : 1.0,
          1e-10,
          !"natural".equals(p.path("reduction_log").asText("binary")),
          act);
      case "lambda" -> new LambdaLoss(
          scheme(p.get("scheme").asText()),
          p.has("mu") ? p.get("mu").asDouble() : 10.0,
          p.has("k") ? p.get("k").asInt() : null,
          1.0,
          1e-10,
          true,
          act);
      default -> throw new IllegalArgumentException(id);
    };
  }

  static WeightingScheme scheme(String id) {
    for (WeightingScheme s : WeightingScheme.values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException(id);
  }

  static ScoreActivation activation(JsonNode p, String dflt) {
    return switch (p.path("activation").asText(dflt)) {
      case "identity" -> ScoreActivation.IDENTITY;
      case "sigmoid" -> ScoreActivation.SIGMOID;
      case "tanh" -> ScoreActivation.TANH;
      default -> throw new IllegalArgumentException(p.toString());
    };
  }

  static Shape shape(JsonNode n) {
    long[] s = new long[n.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = n.get(i).asLong();
    }
    return new Shape(s);
  }

  static float[] floats(JsonNode n) {
    float[] out = new float[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) n.get(i).asDouble();
    }
    return out;
  }
}
