package dev.ce4j.core.seed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.engine.PyTorch;
import org.junit.jupiter.api.Test;

class EngineSeedsTest {
  @Test
  void foldKeepsEveryBit() {
    assertThat(EngineSeeds.fold(0)).isZero();
    assertThat(EngineSeeds.fold(1)).isEqualTo(1);
    assertThat(EngineSeeds.fold(1L << 32)).isEqualTo(1);
    assertThat(EngineSeeds.fold((1L << 32) | 1)).isZero();
    assertThat(EngineSeeds.fold(-1)).isZero();
    assertThat(EngineSeeds.fold(0x1234_5678_0000_0000L)).isEqualTo(0x1234_5678);
  }

  @Test
  void seedingMakesEngineRandomnessRepeatable() {
    try (NDManager m = PyTorch.newManager(Device.cpu())) {
      EngineSeeds.seedEngine(5L << 40);
      float[] a = m.randomUniform(0, 1, new Shape(16)).toFloatArray();
      EngineSeeds.seedEngine(5L << 40);
      float[] b = m.randomUniform(0, 1, new Shape(16)).toFloatArray();
      EngineSeeds.seedEngine(6L << 40);
      float[] c = m.randomUniform(0, 1, new Shape(16)).toFloatArray();
      assertThat(a).containsExactly(b);
      assertThat(a).isNotEqualTo(c);
    }
  }
}
