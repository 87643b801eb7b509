package dev.ce4j.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The shared libraries mapped into this process, read from {@code /proc/self/maps} (Linux). */
final class MappedLibraries {
  private MappedLibraries() {}

  /**
   * The first mapped file whose name is {@code fileName}.
   *
   * @param fileName a file name such as {@code libtorch_cpu.so}, never null
   * @return its absolute path, or empty when no such file is mapped, never null
   * @throws IOException if {@code /proc/self/maps} cannot be read (not Linux)
   */
  static Optional<Path> find(String fileName) throws IOException {
    List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8);
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.endsWith("/" + fileName)) {
        return Optional.of(Path.of(line.substring(slash)));
      }
    }
    return Optional.empty();
  }
}
