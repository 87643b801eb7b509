package dev.ce4j.core.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Lets Intel MKL, which the CPU libtorch uses for every matrix product, pick its AVX2 / AVX-512
 * kernels on x86 CPUs not made by Intel (AMD EPYC, Ryzen).
 *
 * <p>MKL chooses its kernels by feature detection only after a vendor check ({@code
 * mkl_serv_intel_cpu_true}); on other vendors it falls back to a generic path. On the 2-core AMD
 * EPYC (AVX-512) this project is developed on, a {@code [4096, 384] x [384, 1536]} product takes
 * 29 ms on that path and 13 ms on the AVX-512 path, and the whole MiniLM forward pass at batch 32
 * of 128 tokens becomes about twice as fast. The usual fix is an {@code LD_PRELOAD} library that
 * answers the vendor check with "yes"; this class does the equivalent from Java, so that it also
 * works for applications that embed {@code ce}: the function reads its answer from a cache word in
 * libtorch's data segment, so the cache is filled by calling it once and then set to 1. The first
 * instruction of the function must be the expected {@code mov eax, [rip + cache]}; any other
 * libtorch (a different MKL, a CUDA or ARM build) is left untouched and reported as {@link
 * State#NOT_APPLICABLE}. Nothing is done on Intel CPUs ({@link State#INTEL_CPU}).
 *
 * <p>The kernels MKL picks determine the bits of every result, so the state is part of a training
 * run's recorded environment: a run replays bit for bit only with the same state. Switch the
 * behaviour off with the system property {@value #PROPERTY}{@code =false} (before the engine
 * starts). It is applied once, when {@link PyTorch#engine()} first starts the engine, before any
 * matrix product; an engine started by other code before {@code ce} touched it may already have
 * made its choice. Thread-safe.
 */
public final class MklCpuDispatch {
  /** System property that switches the fast path off when {@code false}; default {@code true}. */
  public static final String PROPERTY = "ce.mkl.nonIntelFastPath";

  private static final String LIBRARY = "libtorch_cpu.so";
  private static final String VENDOR_CHECK = "mkl_serv_intel_cpu_true";

  private static Status status;

  private MklCpuDispatch() {}

  /** What was done to MKL's kernel choice. */
  public enum State {
    /** The CPU is not Intel's and MKL now uses its feature-detected (AVX2 / AVX-512) kernels. */
    ENABLED,
    /** The CPU is Intel's: MKL already uses its best kernels, nothing was changed. */
    INTEL_CPU,
    /** The system property {@value MklCpuDispatch#PROPERTY} is {@code false}. */
    DISABLED,
    /** Not an x86 Linux libtorch with the expected MKL, so nothing was changed. */
    NOT_APPLICABLE
  }

  /**
   * The outcome, with a one-line explanation.
   *
   * @param state what was done, never null
   * @param detail why, for logs and manifests, never null
   */
  public record Status(State state, String detail) {
    /** Validates. */
    public Status {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(detail, "detail");
    }

    /**
     * The state's name in lower case, the form recorded in run manifests.
     *
     * @return for example {@code enabled}, never null
     */
    public String id() {
      return state.name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Applies the fast path once (starting the engine if needed) and reports what was done.
   *
   * @return the status, the same on every call, never null
   */
  public static Status status() {
    PyTorch.engine();
    synchronized (MklCpuDispatch.class) {
      return status;
    }
  }

  /** Called by {@link PyTorch#engine()} right after the engine has started, once. */
  static synchronized void applyOnce() {
    if (status == null) {
      status = apply();
    }
  }

  private static Status apply() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())) {
      return new Status(State.DISABLED, "switched off by -D" + PROPERTY + "=false");
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return new Status(State.NOT_APPLICABLE, "not x86-64 Linux (" + os + ", " + arch + ")");
    }
    Path library;
    try {
      library = MappedLibraries.find(LIBRARY).orElse(null);
    } catch (IOException e) {
      return new Status(State.NOT_APPLICABLE, "cannot read /proc/self/maps: " + e.getMessage());
    }
    if (library == null) {
      return new Status(State.NOT_APPLICABLE, "no " + LIBRARY + " mapped into this process");
    }
    Function check;
    try {
      check = NativeLibrary.getInstance(library.toString()).getFunction(VENDOR_CHECK);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return new Status(State.NOT_APPLICABLE, library + " has no " + VENDOR_CHECK + " (no MKL)");
    }
    byte[] code = check.getByteArray(0, 6);
    if ((code[0] & 0xff) != 0x8b || (code[1] & 0xff) != 0x05) {
      return new Status(
          State.NOT_APPLICABLE, VENDOR_CHECK + " in " + library + " is not the expected MKL build");
    }
    if (check.invokeInt(new Object[0]) != 0) {
      return new Status(State.INTEL_CPU, "MKL reports an Intel CPU; nothing changed");
    }
    int displacement =
        (code[2] & 0xff) | (code[3] & 0xff) << 8 | (code[4] & 0xff) << 16 | (code[5] & 0xff) << 24;
    // rip-relative: the address is relative to the end of the 6-byte instruction
    Pointer cache = check.share(6L + displacement);
    if (cache.getInt(0) != 0) {
      return new Status(
          State.NOT_APPLICABLE, VENDOR_CHECK + "'s cached answer is not where expected");
    }
    cache.setInt(0, 1);
    if (check.invokeInt(new Object[0]) != 1) {
      cache.setInt(0, 0);
      return new Status(State.NOT_APPLICABLE, VENDOR_CHECK + " did not take the new answer");
    }
    return new Status(State.ENABLED, "MKL's AVX2/AVX-512 kernels enabled on a non-Intel CPU");
  }

}
