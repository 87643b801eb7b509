package dev.ce4j.core.interop;

import dev.ce4j.core.CrossEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the {@code ce} side of the architecture check on a machine with transformers: every
 * reference case folder under {@code ce-core/src/test/resources/dev/ce4j/core/arch/}, loaded by
 * {@code ce} and saved again with {@link CrossEncoder#save} (with its {@code reference.json}), into
 * {@code OUT/<family>/<case>/}. {@code src/test/python/architectures/transformers_check.py OUT} then
 * checks that transformers and sentence-transformers load the folders {@code ce} wrote and score
 * them as the references say.
 *
 * <p>Usage (from the repository root, after {@code mvn -B install -DskipTests} and {@code mvn -q -pl
 * ce-core dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}):
 * {@code java -Dai.djl.offline=true -cp
 * ce-core/target/test-classes:ce-core/target/classes:$(cat ce-core/target/cp.txt)
 * dev.ce4j.core.interop.ArchitectureInteropInputs OUT}.
 */
public final class ArchitectureInteropInputs {
  private static final Path FIXTURES = Path.of("ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch");

  private ArchitectureInteropInputs() {}

  /**
   * Entry point.
   *
   * @param args the output folder
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ArchitectureInteropInputs OUT_DIR");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    List<Path> cases;
    try (Stream<Path> s = Files.walk(FIXTURES)) {
      cases = s.filter(p -> Files.isRegularFile(p.resolve("reference.json"))).sorted().toList();
    }
    for (Path folder : cases) {
      Path target = out.resolve(FIXTURES.relativize(folder));
      try (CrossEncoder model = CrossEncoder.load(folder)) {
        model.save(target);
      }
      Files.copy(folder.resolve("reference.json"), target.resolve("reference.json"));
      System.out.println("saved " + target);
    }
  }
}
