package dev.ce4j.train.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.train.manifest.RuntimeEnvironment;
import org.junit.jupiter.api.Test;

class EnvironmentCheckTest {
  private static RuntimeEnvironment recorded(String libtorch, String mkl) {
    return new RuntimeEnvironment(
        "0.1.0", "0.36.0", libtorch, "17", "V", "Linux", "6.1", "amd64", "CPU", 2, 2, "cpu", mkl);
  }

  @Test
  void sameLibtorchAndKernelsMeanNoDifference() {
    assertThat(EnvironmentCheck.kernelDifferences(recorded("2.7.1", "enabled"), "2.7.1", "enabled"))
        .isEmpty();
  }

  @Test
  void anotherMklKernelChoiceIsNamedWithTheSwitch() {
    assertThat(EnvironmentCheck.kernelDifferences(recorded("2.7.1", "enabled"), "2.7.1", "disabled"))
        .singleElement()
        .asString()
        .contains("MKL kernel choice differs: enabled then, disabled now")
        .contains("ce.mkl.nonIntelFastPath");
  }

  @Test
  void anotherLibtorchIsNamed() {
    assertThat(EnvironmentCheck.kernelDifferences(recorded("2.5.1", "enabled"), "2.7.1", "enabled"))
        .containsExactly("libtorch differs: 2.5.1 then, 2.7.1 now");
  }

  @Test
  void unknownRecordedValuesAreNotCompared() {
    assertThat(
            EnvironmentCheck.kernelDifferences(
                recorded(RuntimeEnvironment.UNKNOWN, RuntimeEnvironment.UNKNOWN), "2.7.1", "enabled"))
        .isEmpty();
  }

  @Test
  void thisProcessMatchesItself() {
    RuntimeEnvironment now = RuntimeEnvironment.detect(2, "cpu");
    assertThat(now.mklCpuDispatch()).isNotEqualTo(RuntimeEnvironment.UNKNOWN);
    assertThat(EnvironmentCheck.kernelDifferences(now)).isEmpty();
  }
}
