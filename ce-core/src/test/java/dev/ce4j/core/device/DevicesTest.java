package dev.ce4j.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.ce4j.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DevicesTest {
  @Test
  void cpuAndAuto() {
    assertThat(Devices.resolve("cpu")).isEqualTo(Device.cpu());
    assertThat(Devices.resolve(" CPU ")).isEqualTo(Device.cpu());
    Device auto = Devices.resolve("auto");
    assertThat(auto).isEqualTo(Devices.gpuCount() > 0 ? Device.gpu(0) : Device.cpu());
    assertThat(Devices.resolve(null)).isEqualTo(auto);
    assertThat(Devices.name(Device.cpu())).isEqualTo("cpu");
    assertThat(Devices.name(Device.gpu(2))).isEqualTo("gpu:2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tpu", "gpu0", "gpu:", "gpu:x", "cuda:-1", "", "gpu:99999999999"})
  void malformedNamesAreRejected(String name) {
    assertThatThrownBy(() -> Devices.resolve(name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'" + name + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpu", "gpu:0", "cuda", "cuda:1", "gpu:7"})
  void gpuNamesNeedAUsableGpu(String name) {
    int count = Devices.gpuCount();
    int index = name.contains(":") ? Integer.parseInt(name.substring(name.indexOf(':') + 1)) : 0;
    if (index < count) {
      assertThat(Devices.resolve(name)).isEqualTo(Device.gpu(index));
    } else {
      assertThatThrownBy(() -> Devices.resolve(name))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining(count + " usable GPU(s)")
          .hasMessageContaining(count == 0 ? "PYTORCH_FLAVOR" : "gpu:0");
    }
  }
}
