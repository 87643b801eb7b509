package dev.ce4j.train.internal;

import ai.djl.Device;
import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.engine.TorchDeterminism;
import dev.ce4j.train.config.Determinism;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Prepares the PyTorch engine for a reproducible run: pins the intra-op thread count, resolves the
 * device and enforces the determinism level.
 *
 * <p>Threads: the system property {@code ai.djl.pytorch.num_threads} is read by DJL once, when
 * the engine starts. The {@code ce} launcher and the tests start the JVM with it; when it is not
 * set, {@link #prepare} sets it before touching the engine (which pins it if the engine has not
 * started yet) and then calls libtorch's {@code set_num_threads} if the engine reports another
 * count, and refuses to go on if the count still differs.
 *
 * <p>Determinism: {@link Determinism#SEEDED} pins threads and seeds and leaves libtorch's
 * determinism switches alone. {@link Determinism#STRICT} on the CPU additionally requires that the
 * thread count was pinned before the engine started (the property matches); on a GPU it requires
 * {@code CUBLAS_WORKSPACE_CONFIG} to be {@code :4096:8} or {@code :16:8}. On either device it then
 * turns on PyTorch's deterministic algorithms (an error, not a warning, for an operation without a
 * deterministic implementation) and cuDNN determinism, turns cuDNN benchmark mode off, and reads
 * the switches back ({@link TorchDeterminism#enableStrict()}), refusing to go on if they did not
 * take. cuDNN benchmark mode is turned off on every GPU run. Stateless; thread-safe as far as the
 * engine's globals are.
 */
public final class EngineSetup {
  /** The system property DJL reads for the intra-op thread count. */
  public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
  /** The cuBLAS environment variable that STRICT needs on a GPU. */
  public static final String CUBLAS_VARIABLE = "CUBLAS_WORKSPACE_CONFIG";

  private static final Set<String> CUBLAS_OK = Set.of(":4096:8", ":16:8");

  private EngineSetup() {}

  /**
   * The thread count a run pins: the configured count, or the number of logical cores when 0.
   *
   * @param configured the configured count, at least 0
   * @return the count, at least 1
   */
  public static int threads(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Pins threads, resolves the device and checks the determinism level.
   *
   * @param threads the intra-op thread count, at least 1
   * @param deviceName the configured device name, never null
   * @param level the determinism level, never null
   * @param env the environment variables, never null
   * @return the device to train on, never null
   * @throws InvalidInputException if the level cannot be met, saying why and how to fix it
   * @throws CeException if the thread count cannot be pinned, or libtorch's determinism switches
   *     cannot be set for {@link Determinism#STRICT}
   */
  public static Device prepare(int threads, String deviceName, Determinism level, UnaryOperator<String> env) {
    String before = System.getProperty(THREADS_PROPERTY);
    if (before == null) {
      System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
    }
    if (PyTorch.intraOpThreads() != threads) {
      PyTorch.setIntraOpThreads(threads);
    }
    int actual = PyTorch.intraOpThreads();
    if (actual != threads) {
      throw new CeException(
          "cannot pin the intra-op thread count to " + threads + " (libtorch uses " + actual
              + "); start the JVM with -D" + THREADS_PROPERTY + "=" + threads);
    }
    String name = deviceName.startsWith("cuda") ? "gpu" + deviceName.substring(4) : deviceName;
    Device device = Devices.resolve(name);
    if (level == Determinism.STRICT) {
      if (device.isGpu()) {
        String cublas = env.apply(CUBLAS_VARIABLE);
        if (cublas == null || !CUBLAS_OK.contains(cublas)) {
          throw new InvalidInputException(
              "determinism strict on " + Devices.name(device) + " needs the environment variable "
                  + CUBLAS_VARIABLE + "=:4096:8 (or :16:8), got "
                  + (cublas == null ? "nothing" : "'" + cublas + "'") + "; set it before starting ce");
        }
      } else {
        String pinned = System.getProperty(THREADS_PROPERTY);
        if (before == null || !Integer.toString(threads).equals(pinned)) {
          throw new InvalidInputException(
              "determinism strict needs the thread count pinned before the engine starts: start the"
                  + " JVM with -D" + THREADS_PROPERTY + "=" + threads + " (got "
                  + (before == null ? "no such property" : "'" + before + "'") + ")");
        }
      }
      TorchDeterminism.enableStrict();
    }
    if (device.isGpu()) {
      PyTorch.setCudnnBenchmark(false);
    }
    return device;
  }
}
