package dev.ce4j.examples.demo;

import dev.ce4j.api.InvalidInputException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The options of {@code ce demo}.
 *
 * @param output the output folder, never null
 * @param seed the master seed of data building, weight initialisation and training
 * @param quick the reduced mode (a few steps on small data, for CI)
 */
public record DemoOptions(Path output, long seed, boolean quick) {
  /** The default output folder, relative to the working directory. */
  public static final String DEFAULT_OUTPUT = "ce-demo";
  /** The default seed. */
  public static final long DEFAULT_SEED = 42;

  /** Validates. */
  public DemoOptions {
    Objects.requireNonNull(output, "output");
  }

  /**
   * Parses {@code [--output DIR] [--seed N] [--quick]}.
   *
   * @param args the arguments, never null
   * @return the options, never null
   * @throws InvalidInputException naming a bad or unknown argument
   */
  public static DemoOptions parse(String[] args) {
    Path output = Path.of(DEFAULT_OUTPUT);
    long seed = DEFAULT_SEED;
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--output", "-o" -> output = Path.of(value(args, ++i, a));
        case "--seed" -> {
          String v = value(args, ++i, a);
          try {
            seed = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new InvalidInputException("--seed needs an integer, got '" + v + "'");
          }
        }
        case "--quick" -> quick = true;
        default -> throw new InvalidInputException(
            "unknown argument '" + a + "'; usage: ce demo [--output DIR] [--seed N] [--quick]");
      }
    }
    return new DemoOptions(output.toAbsolutePath().normalize(), seed, quick);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new InvalidInputException(name + " needs a value; usage: ce demo [--output DIR] [--seed N] [--quick]");
    }
    return args[i];
  }
}
