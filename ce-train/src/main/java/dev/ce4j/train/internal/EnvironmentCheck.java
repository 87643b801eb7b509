package dev.ce4j.train.internal;

import dev.ce4j.core.engine.MklCpuDispatch;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.train.manifest.RuntimeEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The differences between a recorded environment and this process that change the bits of results
 * even with the same configuration, data, seed and thread count: another libtorch, or another MKL
 * kernel choice ({@link MklCpuDispatch}). Values recorded as {@code unknown} are not compared.
 */
public final class EnvironmentCheck {
  private EnvironmentCheck() {}

  /**
   * Compares a recorded environment with this process (starting the engine if needed).
   *
   * @param recorded the recorded environment, never null
   * @return one line per difference, empty when none, never null
   */
  public static List<String> kernelDifferences(RuntimeEnvironment recorded) {
    return kernelDifferences(recorded, PyTorch.version(), MklCpuDispatch.status().id());
  }

  /**
   * Compares a recorded environment with given current values.
   *
   * @param recorded the recorded environment, never null
   * @param libtorchVersion the libtorch version now, never null
   * @param mklCpuDispatch the {@link MklCpuDispatch.Status#id()} now, never null
   * @return one line per difference, empty when none, never null
   */
  public static List<String> kernelDifferences(
      RuntimeEnvironment recorded, String libtorchVersion, String mklCpuDispatch) {
    Objects.requireNonNull(recorded, "recorded");
    List<String> out = new ArrayList<>();
    if (known(recorded.libtorchVersion()) && !recorded.libtorchVersion().equals(libtorchVersion)) {
      out.add(
          "libtorch differs: " + recorded.libtorchVersion() + " then, " + libtorchVersion + " now");
    }
    if (known(recorded.mklCpuDispatch()) && !recorded.mklCpuDispatch().equals(mklCpuDispatch)) {
      out.add(
          "MKL kernel choice differs: "
              + recorded.mklCpuDispatch()
              + " then, "
              + mklCpuDispatch
              + " now (see -D"
              + MklCpuDispatch.PROPERTY
              + ")");
    }
    return out;
  }

  private static boolean known(String value) {
    return !RuntimeEnvironment.UNKNOWN.equals(value);
  }
}
