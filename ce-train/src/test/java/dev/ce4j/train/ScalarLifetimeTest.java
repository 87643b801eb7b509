package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.core.seed.EngineSeeds;
import dev.ce4j.train.loss.MultipleNegativesRankingLoss;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression test for a use-after-free: DJL's {@code NDArray.mul(Number)} (and {@code div}, ...)
 * wraps the number in an array backed by a direct buffer and frees it right after the operation,
 * while autograd still holds it for the backward pass; once the JVM collects the buffer and the
 * memory is reused, gradients turn to garbage (it made tiny runs diverge now and then under load).
 * The model's attention scale and the losses' scales are therefore arrays of the batch's manager.
 * This test collects garbage and reuses freed direct memory between the forward and the backward
 * pass, and requires the gradients to equal those of an undisturbed pass bit for bit.
 */
class ScalarLifetimeTest {
  private static final Path DATA = Path.of("..", "ce-examples", "data", "tiny");

  @Test
  void gradientsDoNotDependOnGarbageCollectionBetweenForwardAndBackward() throws Exception {
    try (CrossEncoder model =
        CrossEncoder.fromWeights(
            ConfigJson.read(DATA.resolve("config.json")),
            dev.ce4j.core.model.WeightInit.initialWeights(ConfigJson.read(DATA.resolve("config.json")), 3),
            dev.ce4j.core.io.TokenizerFiles.of(DATA.resolve("tokenizer.json")),
            CrossEncoderOptions.defaults().withDevice("cpu"))) {
      model.weights().setRequiresGradient(true);
      Map<String, float[]> quiet = gradients(model, false);
      for (int round = 0; round < 3; round++) {
        Map<String, float[]> disturbed = gradients(model, true);
        for (Map.Entry<String, float[]> e : quiet.entrySet()) {
          assertThat(disturbed.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
        }
      }
    }
  }

  private static Map<String, float[]> gradients(CrossEncoder model, boolean churn) throws InterruptedException {
    List<TextPair> pairs = List.of(
        TextPair.of("what about pasta sauce", "bake the pasta in the oven"),
        TextPair.of("what about pasta sauce", "the striker and the goal"),
        TextPair.of("what about a planet", "a telescope and a comet in orbit"),
        TextPair.of("what about a planet", "flour and salt"));
    Engine engine = PyTorch.engine();
    EngineSeeds.seedEngine(11);
    try (NDManager bm = model.manager().newSubManager();
        GradientCollector gc = engine.newGradientCollector()) {
      NDArray logits = model.model().logits(model.batch(model.tokenizer().encode(pairs), bm), true);
      NDArray loss = new MultipleNegativesRankingLoss().compute(logits.reshape(2, 2), null, null);
      if (churn) {
        churn();
      }
      gc.backward(loss);
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
      try (NDArray g = JniUtils.getGradient((PtNDArray) e.getValue())) {
        out.put(e.getKey(), g.toFloatArray());
      }
      JniUtils.zeroGrad((PtNDArray) e.getValue());
    }
    return out;
  }

  /** Frees unreachable direct buffers and fills freshly allocated ones with large floats. */
  private static void churn() throws InterruptedException {
    List<ByteBuffer> keep = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(40);
      for (int j = 0; j < 2000; j++) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + j % 4));
        while (b.hasRemaining()) {
          b.putFloat(3.0e30f);
        }
        keep.add(b);
      }
    }
    assertThat(keep).isNotEmpty();
  }
}
