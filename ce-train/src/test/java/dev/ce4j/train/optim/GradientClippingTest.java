package dev.ce4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.core.engine.PyTorch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GradientClipping} against torch.nn.utils.clip_grad_norm_ (golden/adamw.json). */
class GradientClippingTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  static Stream<JsonNode> clipCases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    AdamWTest.golden().get("clip").forEach(out::add);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clipCases")
  void matchesTorch(JsonNode c) {
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      Map<String, float[]> grads = new LinkedHashMap<>();
      c.get("shapes")
          .properties()
          .forEach(
              e -> {
                NDArray p = m.zeros(AdamWTest.shape(e.getValue()));
                p.setRequiresGradient(true);
                params.put(e.getKey(), p);
                grads.put(e.getKey(), AdamWTest.floats(c.get("grads").get(e.getKey())));
              });
      try (AdamW opt = new AdamW(params, AdamWConfig.TORCH_DEFAULTS)) {
        AdamWTest.setGradients(params, grads, opt);
      }
      double maxNorm = c.get("max_norm").asDouble();
      double total = GradientClipping.clipGradNorm(params.values(), maxNorm);
      double expected = c.get("total_norm").asDouble();
      assertThat(total).isCloseTo(expected, within(1e-6 * expected));
      boolean clipped = maxNorm / (expected + 1e-6) < 1;
      for (String n : params.keySet()) {
        float[] g = params.get(n).getGradient().toFloatArray();
        if (clipped) {
          AdamWTest.assertClose(g, AdamWTest.floats(c.get("clipped").get(n)), n);
        } else {
          assertThat(g).as(n).containsExactly(grads.get(n));
        }
      }
      if (clipped) {
        double after = 0;
        for (NDArray p : params.values()) {
          for (float v : p.getGradient().toFloatArray()) {
            after += (double) v * v;
          }
        }
        assertThat(Math.sqrt(after)).isCloseTo(maxNorm, within(1e-5 * maxNorm));
      }
    }
  }

  @Test
  void handWorked() {
    // gradients (3, 4) and (0): norm 5; max 1 -> coefficient 1 / (5 + 1e-6) -> (0.6, 0.8)
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.zeros(new ai.djl.ndarray.types.Shape(2));
      NDArray b = m.zeros(new ai.djl.ndarray.types.Shape(1));
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("a", a);
      params.put("b", b);
      try (AdamW opt = new AdamW(params, AdamWConfig.TORCH_DEFAULTS)) {
        AdamWTest.setGradients(params, Map.of("a", new float[] {3, 4}, "b", new float[] {0}), opt);
      }
      assertThat(GradientClipping.clipGradNorm(params.values(), 1.0)).isEqualTo(5.0);
      float[] g = a.getGradient().toFloatArray();
      assertThat((double) g[0]).isCloseTo(0.6, within(1e-6));
      assertThat((double) g[1]).isCloseTo(0.8, within(1e-6));
    }
  }

  @Test
  void noGradientsMeansNormZero() {
    try (NDManager m = manager.newSubManager()) {
      NDArray a = m.zeros(new ai.djl.ndarray.types.Shape(2));
      a.setRequiresGradient(true);
      assertThat(GradientClipping.clipGradNorm(List.of(a), 1.0)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsInvalidMaxNorm(double maxNorm) {
    assertThatThrownBy(() -> GradientClipping.clipGradNorm(List.of(), maxNorm))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
