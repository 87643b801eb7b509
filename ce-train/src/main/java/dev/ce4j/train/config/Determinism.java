package dev.ce4j.train.config;

import java.util.Locale;

/** How far a run goes to be bitwise reproducible. */
public enum Determinism {
  /**
   * Every random number is seeded from the master seed and the thread count is pinned: bitwise
   * reproducible on the CPU; on a GPU, non-deterministic kernels may still differ.
   */
  SEEDED,
  /**
   * As {@link #SEEDED}, and PyTorch's deterministic algorithms (failing on an operation that has no
   * deterministic implementation) and cuDNN determinism are turned on and cuDNN benchmark off,
   * through native calls into libtorch (Linux only), and read back before training starts. On the
   * CPU it also requires the thread count pinned when the JVM starts ({@code
   * -Dai.djl.pytorch.num_threads}); on CUDA it refuses to start without a deterministic cuBLAS
   * workspace ({@code CUBLAS_WORKSPACE_CONFIG=:4096:8} or {@code :16:8}).
   */
  STRICT;

  /**
   * The name used in JSON configs.
   *
   * @return the lowercase name, never null
   */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
