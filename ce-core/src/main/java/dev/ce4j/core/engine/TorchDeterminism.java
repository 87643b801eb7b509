package dev.ce4j.core.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.ce4j.api.CeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * PyTorch's global determinism switches ({@code torch.use_deterministic_algorithms}, {@code
 * torch.backends.cudnn.deterministic}, {@code torch.backends.cudnn.benchmark}), which DJL does not
 * expose, set and read through JNA calls into the {@code libtorch_cpu.so} that DJL loaded.
 *
 * <p>The switches live in libtorch's process-wide {@code at::Context}; this class calls its
 * exported C++ members ({@code at::globalContext()}, {@code Context::setDeterministicAlgorithms(bool,
 * bool)}, {@code setDeterministicCuDNN(bool)}, {@code setBenchmarkCuDNN(bool)} and the matching
 * getters) as C functions with the context pointer as first argument, which is the Itanium C++ ABI
 * used on Linux. The library is found among the files mapped into this process ({@code
 * /proc/self/maps}), so it is always the one the engine runs on, CPU or CUDA build. Linux only:
 * elsewhere every method throws a {@link CeException}. The cuDNN switches exist in every libtorch
 * and simply have no effect on the CPU.
 *
 * <p>The switches are global to the process; set them before training starts. Methods are
 * synchronized on the class; libtorch itself does not guard the switches against concurrent
 * kernels.
 */
public final class TorchDeterminism {
  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_ALGORITHMS = "_ZN2at7Context26setDeterministicAlgorithmsEbb";
  private static final String SET_CUDNN = "_ZN2at7Context21setDeterministicCuDNNEb";
  private static final String SET_BENCHMARK = "_ZN2at7Context17setBenchmarkCuDNNEb";
  private static final String GET_ALGORITHMS = "_ZNK2at7Context23deterministicAlgorithmsEv";
  private static final String GET_WARN_ONLY = "_ZNK2at7Context31deterministicAlgorithmsWarnOnlyEv";
  private static final String GET_CUDNN = "_ZNK2at7Context18deterministicCuDNNEv";
  private static final String GET_BENCHMARK = "_ZNK2at7Context14benchmarkCuDNNEv";

  /** What {@link #enableStrict()} sets: everything deterministic, errors not warnings, no benchmark. */
  public static final Flags STRICT = new Flags(true, false, true, false);

  private static NativeLibrary library;

  private TorchDeterminism() {}

  /**
   * The state of libtorch's determinism switches.
   *
   * @param deterministicAlgorithms {@code torch.are_deterministic_algorithms_enabled()}
   * @param warnOnly whether a non-deterministic operation only warns instead of failing
   * @param deterministicCudnn {@code torch.backends.cudnn.deterministic}
   * @param benchmarkCudnn {@code torch.backends.cudnn.benchmark}
   */
  public record Flags(
      boolean deterministicAlgorithms, boolean warnOnly, boolean deterministicCudnn, boolean benchmarkCudnn) {}

  /**
   * Reads the switches, starting the engine if needed.
   *
   * @return the current state, never null
   * @throws CeException if libtorch cannot be reached (not Linux, library or symbol not found)
   */
  public static synchronized Flags read() {
    Pointer context = context();
    return new Flags(
        getter(GET_ALGORITHMS, context),
        getter(GET_WARN_ONLY, context),
        getter(GET_CUDNN, context),
        getter(GET_BENCHMARK, context));
  }

  /**
   * Sets the switches, starting the engine if needed.
   *
   * @param flags the state to set, never null
   * @return the state read back afterwards, never null
   * @throws CeException if libtorch cannot be reached (not Linux, library or symbol not found)
   */
  public static synchronized Flags write(Flags flags) {
    Pointer context = context();
    function(SET_ALGORITHMS).invokeVoid(
        new Object[] {context, bool(flags.deterministicAlgorithms()), bool(flags.warnOnly())});
    function(SET_CUDNN).invokeVoid(new Object[] {context, bool(flags.deterministicCudnn())});
    function(SET_BENCHMARK).invokeVoid(new Object[] {context, bool(flags.benchmarkCudnn())});
    return read();
  }

  /**
   * Turns on deterministic algorithms (failing, not warning, on a non-deterministic operation) and
   * cuDNN determinism, turns off cuDNN benchmark mode, and checks by reading them back.
   *
   * @return the state read back, equal to {@link #STRICT}, never null
   * @throws CeException if libtorch cannot be reached or the switches do not read back as set
   */
  public static synchronized Flags enableStrict() {
    Flags actual = write(STRICT);
    if (!actual.equals(STRICT)) {
      throw new CeException(
          "libtorch did not take the determinism switches: set " + STRICT + ", read back " + actual
              + " from " + libraryPath());
    }
    return actual;
  }

  /**
   * The {@code libtorch_cpu.so} mapped into this process, starting the engine if needed.
   *
   * @return the absolute path, never null
   * @throws CeException if not on Linux or no such library is mapped
   */
  public static Path libraryPath() {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      throw new CeException(
          "switching on PyTorch's deterministic algorithms is implemented for Linux only, not '" + os
              + "'; use \"determinism\": \"seeded\"");
    }
    PyTorch.engine();
    Optional<Path> path;
    try {
      path = MappedLibraries.find(LIBRARY);
    } catch (IOException e) {
      throw new CeException("cannot read /proc/self/maps to find the loaded " + LIBRARY + ": " + e.getMessage(), e);
    }
    if (path.isPresent()) {
      return path.get();
    }
    throw new CeException(
        "the PyTorch engine is running but no " + LIBRARY + " is mapped into this process; cannot"
            + " switch on deterministic algorithms, use \"determinism\": \"seeded\"");
  }

  private static Pointer context() {
    Pointer context = function(GLOBAL_CONTEXT).invokePointer(new Object[0]);
    if (context == null) {
      throw new CeException("libtorch's at::globalContext() returned null");
    }
    return context;
  }

  private static boolean getter(String symbol, Pointer context) {
    // a C++ bool comes back in the low byte only; the rest of the register is undefined
    Object b = function(symbol).invoke(byte.class, new Object[] {context});
    return ((Byte) b) != 0;
  }

  private static Byte bool(boolean b) {
    return b ? (byte) 1 : (byte) 0;
  }

  private static Function function(String symbol) {
    try {
      if (library == null) {
        library = NativeLibrary.getInstance(libraryPath().toString());
      }
      return library.getFunction(symbol);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new CeException(
          "cannot call " + symbol + " in libtorch through JNA (" + e.getMessage() + "); this libtorch"
              + " does not support determinism strict, use \"determinism\": \"seeded\"",
          e);
    }
  }
}
