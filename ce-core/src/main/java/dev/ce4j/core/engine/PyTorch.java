package dev.ce4j.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.ce4j.api.CeException;

/**
 * DJL's PyTorch engine, loaded on first use (never in a static initialiser).
 *
 * <p>Which native libtorch is used is DJL's choice, steered by environment variables: {@code
 * PYTORCH_LIBRARY_PATH} (a folder holding an installed libtorch, such as a CUDA build) and {@code
 * PYTORCH_FLAVOR} ({@code cpu}, {@code cu124}, ...). Without them the CPU libtorch bundled in the
 * {@code pytorch-native-cpu} jar is used. The intra-op thread count is the system property {@code
 * ai.djl.pytorch.num_threads}, read once when the engine starts; set it before the first model is
 * loaded. Always run with {@code -Dai.djl.offline=true} so that DJL never downloads anything.
 * When the engine first starts, {@link MklCpuDispatch} lets MKL use its fast kernels on non-Intel
 * x86 CPUs. Thread-safe.
 */
public final class PyTorch {
  /** DJL's name of the engine. */
  public static final String ENGINE_NAME = "PyTorch";

  private static volatile boolean started;

  private PyTorch() {}

  /**
   * The engine, loading its native library on first use.
   *
   * @return the engine, never null
   * @throws CeException if the native library cannot be loaded, with how to fix it
   */
  public static Engine engine() {
    try {
      Engine engine = Engine.getEngine(ENGINE_NAME);
      if (!started) {
        MklCpuDispatch.applyOnce();
        started = true;
      }
      return engine;
    } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e) {
      throw new CeException(
          "cannot load DJL's PyTorch engine: "
              + e.getMessage()
              + ". Check that pytorch-engine, pytorch-jni and pytorch-native-cpu (or a libtorch"
              + " named by PYTORCH_LIBRARY_PATH / PYTORCH_FLAVOR) are available",
          e);
    }
  }

  /**
   * A new root manager on a device, for the PyTorch engine.
   *
   * @param device the device, never null
   * @return a manager the caller must close, never null
   */
  public static NDManager newManager(Device device) {
    return NDManager.newBaseManager(device, engine().getEngineName());
  }

  /**
   * The engine's intra-op thread count.
   *
   * @return the number of threads libtorch uses per operation
   */
  public static int intraOpThreads() {
    engine();
    return JniUtils.getNumThreads();
  }

  /**
   * Sets the engine's intra-op thread count (libtorch's {@code at::set_num_threads}).
   *
   * @param threads the number of threads, at least 1
   */
  public static void setIntraOpThreads(int threads) {
    engine();
    JniUtils.setNumThreads(threads);
  }

  /**
   * Turns cuDNN's benchmark mode (which picks kernels by timing them, so not deterministically) on
   * or off.
   *
   * @param on whether to benchmark
   */
  public static void setCudnnBenchmark(boolean on) {
    engine();
    JniUtils.setBenchmarkCuDNN(on);
  }

  /**
   * DJL's version.
   *
   * @return the version, or null when DJL does not say
   */
  public static String djlVersion() {
    return Engine.getDjlVersion();
  }

  /**
   * The engine's version as DJL reports it (the libtorch version).
   *
   * @return the version, never null
   */
  public static String version() {
    return engine().getVersion();
  }

  /**
   * Turns autograd off on the calling thread until the returned scope is closed (PyTorch's grad
   * mode is per thread). Inference does this so that no graph is recorded even while the parameters
   * require gradients.
   *
   * @return a scope that restores the previous mode when closed, never null
   */
  public static GradScope noGrad() {
    engine();
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    return new GradScope(previous);
  }

  /** Restores the calling thread's previous autograd mode when closed. Not thread-safe. */
  public static final class GradScope implements AutoCloseable {
    private final boolean previous;
    private boolean closed;

    private GradScope(boolean previous) {
      this.previous = previous;
    }

    /** Restores the previous mode; idempotent. Must be called on the opening thread. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        JniUtils.setGradMode(previous);
      }
    }
  }
}
