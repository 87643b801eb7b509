package dev.ce4j.examples.usage.internal;

import dev.ce4j.api.InvalidInputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The command-line arguments of an example: options that take a value, written {@code --name
 * value} or {@code --name=value}. Unknown options, missing values and bad numbers are rejected
 * with an {@link InvalidInputException} that quotes the argument and repeats the usage.
 *
 * <p>Immutable after parsing and thread-safe.
 */
public final class Arguments {
  private final String usage;
  private final Map<String, String> values;

  private Arguments(String usage, Map<String, String> values) {
    this.usage = usage;
    this.values = values;
  }

  /**
   * Parses arguments.
   *
   * @param args the arguments, never null
   * @param usage the usage line quoted in errors, such as {@code ScoreAndRank [--model DIR]},
   *     never null
   * @param known the option names that take a value, such as {@code --model}, never null
   * @return the parsed arguments, never null
   * @throws InvalidInputException for an unknown option, a repeated option or a missing value
   */
  public static Arguments parse(String[] args, String usage, List<String> known) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(usage, "usage");
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (!known.contains(name)) {
        throw new InvalidInputException("unknown argument '" + a + "'; usage: " + usage);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new InvalidInputException(name + " needs a value; usage: " + usage);
        }
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw new InvalidInputException(name + " is given twice; usage: " + usage);
      }
    }
    return new Arguments(usage, values);
  }

  /**
   * A path option; an empty value counts as absent.
   *
   * @param name the option, such as {@code --model}, never null
   * @return the absolute, normalised path, or null when the option is absent or empty
   */
  public Path path(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? null : Path.of(v).toAbsolutePath().normalize();
  }

  /**
   * The output folder: {@code --output}, or a new temporary folder named after the example.
   *
   * @param example the example's name, used in the temporary folder's name, never null
   * @return the absolute folder, never null
   */
  public Path output(String example) {
    Path p = path("--output");
    return p != null ? p : OutputFolder.newTemporary(example);
  }

  /**
   * A whole-number option.
   *
   * @param name the option, never null
   * @param defaultValue the value when the option is absent
   * @param min the smallest value accepted
   * @return the value
   * @throws InvalidInputException if the value is not a whole number of at least {@code min}
   */
  public long number(String name, long defaultValue, long min) {
    String v = values.get(name);
    if (v == null) {
      return defaultValue;
    }
    long n;
    try {
      n = Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " needs a whole number, got '" + v + "'; usage: " + usage);
    }
    if (n < min) {
      throw new InvalidInputException(name + " must be at least " + min + ", got " + n + "; usage: " + usage);
    }
    return n;
  }
}
