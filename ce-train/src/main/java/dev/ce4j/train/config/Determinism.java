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
   * As {@link #SEEDED}, and on CUDA PyTorch's deterministic algorithms and cuDNN determinism are
   * turned on and cuDNN benchmark off; refuses to start without a deterministic cuBLAS workspace.
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
