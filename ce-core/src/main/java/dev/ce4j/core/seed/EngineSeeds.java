package dev.ce4j.core.seed;

import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.WeightInit;

/**
 * The one place that seeds DJL's process-global random number generators.
 *
 * <p>DJL keeps two generators for the whole process: its Java {@code RandomUtils.RANDOM} and
 * libtorch's default generator (CPU and CUDA), which dropout and {@code NDManager.random*} draw
 * from. {@code Engine.setRandomSeed(int)} seeds both. Because they are process-global, code that
 * needs reproducible dropout must reseed them immediately before the work that draws (the trainer
 * reseeds before each step, with a seed derived for that step), and must not run such work on
 * several threads at once.
 *
 * <p>Weight initialisation does not use these generators (see {@link
 * dev.ce4j.core.model.WeightInit}). On the CPU, results are bitwise reproducible for a fixed
 * intra-op thread count ({@code ai.djl.pytorch.num_threads}). Thread-safe in the sense that the
 * call is atomic; the generators themselves are shared.
 */
public final class EngineSeeds {
  private EngineSeeds() {}

  /**
   * Seeds DJL's Java generator and libtorch's default generators.
   *
   * <p>DJL takes an {@code int}; the long is folded to 32 bits as {@code (int) (seed ^ (seed >>>
   * 32))}, so every bit of the seed matters.
   *
   * @param seed the seed, any long
   * @return the 32-bit seed actually passed to DJL
   */
  public static int seedEngine(long seed) {
    int folded = fold(seed);
    PyTorch.engine().setRandomSeed(folded);
    return folded;
  }

  /**
   * The 32-bit value {@link #seedEngine(long)} passes to DJL.
   *
   * @param seed the seed, any long
   * @return {@code (int) (seed ^ (seed >>> 32))}
   */
  public static int fold(long seed) {
    return (int) (seed ^ (seed >>> 32));
  }
}
