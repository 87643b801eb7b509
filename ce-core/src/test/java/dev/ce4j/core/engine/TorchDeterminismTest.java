package dev.ce4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.core.engine.TorchDeterminism.Flags;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchDeterminism} against the real libtorch: the switches flip both ways and read back
 * what was set. The state found before each test is restored after it, since it is global.
 */
class TorchDeterminismTest {
  private Flags before;

  @BeforeEach
  void remember() {
    before = TorchDeterminism.read();
  }

  @AfterEach
  void restore() {
    assertThat(TorchDeterminism.write(before)).isEqualTo(before);
  }

  @Test
  void findsTheLoadedLibtorch() {
    assertThat(TorchDeterminism.libraryPath()).isAbsolute().endsWith(java.nio.file.Path.of("libtorch_cpu.so"));
    assertThat(Files.isRegularFile(TorchDeterminism.libraryPath())).isTrue();
  }

  @Test
  void libtorchStartsWithDeterminismOff() {
    // PyTorch's defaults; nothing else in this JVM turns them on outside a restored test
    assertThat(before).isEqualTo(new Flags(false, false, false, false));
  }

  @Test
  void enableStrictTurnsEverythingOnAndBenchmarkOff() {
    TorchDeterminism.write(new Flags(false, true, false, true));

    Flags strict = TorchDeterminism.enableStrict();

    assertThat(strict).isEqualTo(new Flags(true, false, true, false)).isEqualTo(TorchDeterminism.STRICT);
    assertThat(TorchDeterminism.read()).isEqualTo(strict);
  }

  @Test
  void eachSwitchIsReadBackOnItsOwn() {
    Flags[] states = {
      new Flags(true, false, false, false),
      new Flags(true, true, false, false),
      new Flags(false, false, true, false),
      new Flags(false, false, false, true),
      new Flags(false, false, false, false),
    };
    for (Flags f : states) {
      assertThat(TorchDeterminism.write(f)).as("after writing %s", f).isEqualTo(f);
    }
  }
}
