package dev.ce4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MklCpuDispatchTest {
  private static String vendor() throws Exception {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "";
    }
    return Files.readAllLines(cpuinfo).stream()
        .filter(l -> l.startsWith("vendor_id"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("");
  }

  @Test
  void theStateMatchesTheCpuVendorAndIsStable() throws Exception {
    MklCpuDispatch.Status status = MklCpuDispatch.status();
    assertThat(MklCpuDispatch.status()).isSameAs(status);
    assertThat(status.id()).isEqualTo(status.state().name().toLowerCase(java.util.Locale.ROOT));
    String vendor = vendor();
    assumeTrue(
        System.getProperty(MklCpuDispatch.PROPERTY) == null,
        "the fast path was switched off for this JVM");
    if (vendor.equals("GenuineIntel")) {
      assertThat(status.state()).isEqualTo(MklCpuDispatch.State.INTEL_CPU);
    } else if (vendor.equals("AuthenticAMD")) {
      // the bundled CPU libtorch of pytorch-native-cpu carries the MKL build this class knows
      assertThat(status.state()).as(status.detail()).isEqualTo(MklCpuDispatch.State.ENABLED);
    }
  }

  @Test
  void thePropertySwitchesItOffInANewJvm() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                javaBin.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-D" + MklCpuDispatch.PROPERTY + "=false",
                PrintStatus.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("state=disabled").contains("-D" + MklCpuDispatch.PROPERTY + "=false");
    if (vendor().equals("AuthenticAMD")) {
      assertThat(out).contains("vendorCheck=0");
    }
  }

  /** Prints the status and MKL's vendor answer in a JVM of its own. */
  public static final class PrintStatus {
    private PrintStatus() {}

    /**
     * Entry point.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
      MklCpuDispatch.Status s = MklCpuDispatch.status();
      NativeLibrary lib = NativeLibrary.getInstance(TorchDeterminism.libraryPath().toString());
      int answer = lib.getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0]);
      System.out.println("state=" + s.id() + " detail=" + s.detail() + " vendorCheck=" + answer);
    }
  }

  @Test
  void whenEnabledMklsVendorCheckNowAnswersYes() throws Exception {
    assumeTrue(MklCpuDispatch.status().state() == MklCpuDispatch.State.ENABLED);
    NativeLibrary lib = NativeLibrary.getInstance(TorchDeterminism.libraryPath().toString());
    assertThat(lib.getFunction("mkl_serv_intel_cpu_true").invokeInt(new Object[0])).isEqualTo(1);
  }
}
