package dev.ce4j.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The instruction-set flags the operating system reports for this CPU ({@code /proc/cpuinfo} on
 * Linux, as {@code lscpu} shows them): {@code avx512_bf16}, {@code avx512_vnni}, {@code avx2} and
 * so on. Read once. On another system, or where the file cannot be read, no flag is reported.
 *
 * <p>Thread-safe.
 */
public final class CpuFeatures {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private CpuFeatures() {}

  private static final class Holder {
    static final String[] INFO = read();
  }

  /**
   * Whether the CPU reports a flag.
   *
   * @param flag the flag as {@code /proc/cpuinfo} spells it, such as {@code avx512_bf16}, never null
   * @return true if reported
   */
  public static boolean has(String flag) {
    return flags().contains(flag.toLowerCase(Locale.ROOT));
  }

  /**
   * Every flag the CPU reports.
   *
   * @return the flags, never null; empty when unknown
   */
  public static Set<String> flags() {
    return Arrays.stream(Holder.INFO[1].split("\\s+")).filter(f -> !f.isEmpty()).collect(Collectors.toSet());
  }

  /**
   * The CPU's model name, or {@code "unknown"}.
   *
   * @return the name, never null
   */
  public static String modelName() {
    return Holder.INFO[0];
  }

  private static String[] read() {
    String model = "unknown";
    String flags = "";
    try {
      for (String line : Files.readAllLines(CPUINFO, StandardCharsets.UTF_8)) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String key = line.substring(0, colon).trim();
        if (key.equals("model name") && model.equals("unknown")) {
          model = line.substring(colon + 1).trim();
        } else if (key.equals("flags") && flags.isEmpty()) {
          flags = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        }
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or not readable: no flags known
    }
    return new String[] {model, flags};
  }
}
