package dev.ce4j.examples.usage.internal;

/**
 * Pins the engine's intra-op thread count and DJL's offline mode before the engine starts, as the
 * {@code ce} launcher does with {@code -Dai.djl.pytorch.num_threads}: training is bitwise
 * reproducible only for a fixed thread count, and the examples never download anything.
 *
 * <p>Sets process-wide system properties; call it first thing in an example, from one thread.
 */
public final class EngineThreads {
  /** The property DJL's PyTorch engine reads its intra-op thread count from at start. */
  public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

  private EngineThreads() {}

  /**
   * Sets {@value #NUM_THREADS} unless the JVM was started with it, and {@code ai.djl.offline}.
   *
   * @param threads the thread count to pin when none is set, at least 1
   * @return the thread count in effect (the one set, or the JVM's)
   * @throws IllegalArgumentException if {@code threads} is below 1 or the JVM's value is not a
   *     positive number
   */
  public static int pin(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    System.setProperty("ai.djl.offline", "true");
    String set = System.getProperty(NUM_THREADS);
    if (set == null) {
      System.setProperty(NUM_THREADS, Integer.toString(threads));
      return threads;
    }
    try {
      int n = Integer.parseInt(set.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + NUM_THREADS + " must be a positive number, got '" + set + "'");
  }
}
