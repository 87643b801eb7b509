package dev.ce4j.benchmarks.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Lines of this process's {@code /proc/self/status} (Linux), such as {@code VmRSS}. */
public final class ProcessStatus {
  private ProcessStatus() {}

  /**
   * A line's value in KiB.
   *
   * @param key the key, such as {@code VmRSS} or {@code VmHWM}, never null
   * @return the value in KiB, or -1 when it cannot be read
   */
  public static long kib(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * A line's value formatted in MiB, such as {@code 602 MiB}.
   *
   * @param key the key, never null
   * @return the text, {@code n/a} when it cannot be read, never null
   */
  public static String mib(String key) {
    long kb = kib(key);
    return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
  }
}
