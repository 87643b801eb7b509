package dev.ce4j.train.sampling;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, 2014; as in Vigna's {@code splitmix64.c}), with
 * bounded integers and a Fisher-Yates shuffle defined here, so that every sequence is fixed by this
 * code and not by a JDK release.
 *
 * <ul>
 *   <li>{@link #nextLong()}: {@code state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >>> 30)) *
 *       0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31)}.
 *   <li>{@link #nextInt(int)}: {@code u = nextLong() >>> 1}; rejected and redrawn while {@code u >=
 *       2^63 - (2^63 mod bound)}; then {@code u mod bound}. Unbiased.
 *   <li>{@link #nextDouble()}: {@code (nextLong() >>> 11) * 2^-53}, in [0, 1).
 *   <li>{@link #permutation(int, long)}: {@code a = [0, 1, ..., n-1]}; for {@code i} from {@code n -
 *       1} down to 1, swap {@code a[i]} with {@code a[nextInt(i + 1)]}.
 * </ul>
 *
 * <p>Not thread-safe; cheap to create.
 */
public final class SplitMix64 {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  /**
   * A generator whose state starts at {@code seed}.
   *
   * @param seed any long
   */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /**
   * The next 64 random bits.
   *
   * @return a long
   */
  public long nextLong() {
    long z = (state += GAMMA);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A uniform integer in {@code [0, bound)}.
   *
   * @param bound at least 1
   * @return the integer
   * @throws IllegalArgumentException if {@code bound < 1}
   */
  public int nextInt(int bound) {
    if (bound < 1) {
      throw new IllegalArgumentException("bound must be at least 1, got " + bound);
    }
    // 2^63 mod bound, computed without overflow: (2^63 - 1) mod bound + 1, wrapped
    long rem = (Long.MAX_VALUE % bound + 1) % bound;
    long limit = Long.MIN_VALUE - rem; // 2^63 - rem as an unsigned value
    while (true) {
      long u = nextLong() >>> 1;
      if (Long.compareUnsigned(u, limit) < 0) {
        return (int) (u % bound);
      }
    }
  }

  /**
   * A uniform double in [0, 1) with 53 random bits.
   *
   * @return the double
   */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * The state, to save and restore a generator (see {@link #SplitMix64(long)}).
   *
   * @return the current state
   */
  public long state() {
    return state;
  }

  /**
   * Shuffles an array in place (Fisher-Yates, as in the class comment).
   *
   * @param a the array, never null
   */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * A random permutation of {@code 0..n-1} from a fresh generator seeded with {@code seed}.
   *
   * @param n the length, at least 0
   * @param seed the seed
   * @return the permutation, never null
   */
  public static int[] permutation(int n, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be at least 0, got " + n);
    }
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    new SplitMix64(seed).shuffle(a);
    return a;
  }
}
