package dev.ce4j.cli.internal;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.testing.DuplicateIdEvaluator;
import dev.ce4j.cli.testing.PluginOnlyEvaluator;
import dev.ce4j.cli.testing.PointwiseEchoEvaluator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PluginsOptionTest {
  @TempDir Path dir;

  /** A jar whose service file names the given evaluator classes. */
  private Path pluginJar(Path folder, String name, String... providers) throws IOException {
    Files.createDirectories(folder);
    Path jar = folder.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/services/dev.ce4j.api.eval.Evaluator"));
      out.write((String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private Path predictions() throws IOException {
    return Files.writeString(dir.resolve("p.jsonl"), "{\"score\": 0.25, \"label\": 1}\n{\"score\": 0.75, \"label\": 0}\n");
  }

  @Test
  void aPluginJarAddsItsEvaluators() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "b.jar", PluginOnlyEvaluator.class.getName());

    CliRun without = ce("evaluators");
    assertThat(without.out()).doesNotContain(PluginOnlyEvaluator.ID);

    CliRun with = ce("evaluators", "--plugins", plugins.toString());
    assertThat(with.status()).as(with.err()).isEqualTo(ExitCodes.OK);
    assertThat(with.out()).contains(PluginOnlyEvaluator.ID, "Only visible through --plugins.", PointwiseEchoEvaluator.ID);

    CliRun evaluated = ce("evaluate", "--plugins", plugins.toString(),
        "--evaluator", PluginOnlyEvaluator.ID, "--predictions", predictions().toString());
    assertThat(evaluated.status()).as(evaluated.err()).isEqualTo(ExitCodes.OK);
    assertThat(evaluated.out().strip()).isEqualTo("{\"mean_score\":0.5}");
  }

  @Test
  void jarsAreListedSortedAndOtherFilesIgnored() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "b.jar");
    pluginJar(plugins, "a.jar");
    Files.writeString(plugins.resolve("notes.txt"), "not a jar");
    Files.createDirectories(plugins.resolve("sub.jar"));
    assertThat(PluginsOption.jarsIn(plugins)).extracting(p -> p.getFileName().toString())
        .containsExactly("a.jar", "b.jar");
  }

  @Test
  void aDirectoryWithoutJarsIsRejected() throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.writeString(plugins.resolve("notes.txt"), "not a jar");
    assertThatThrownBy(() -> PluginsOption.jarsIn(plugins))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("contains no .jar file");
  }

  @Test
  void twoEvaluatorsWithOneIdAreRejectedNamingBothClasses() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "dup.jar", DuplicateIdEvaluator.class.getName());
    CliRun run = ce("evaluators", "--plugins", plugins.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce evaluators: ")
        .contains("'" + PointwiseEchoEvaluator.ID + "'", PointwiseEchoEvaluator.class.getName(),
            DuplicateIdEvaluator.class.getName());
    assertThat(run.errHasStackTrace()).as(run.err()).isFalse();
  }

  @Test
  void aProviderThatCannotBeLoadedIsAPluginProblem() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "broken.jar", "com.example.NoSuchEvaluator");
    CliRun run = ce("evaluators", "--plugins", plugins.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("could not be loaded", "com.example.NoSuchEvaluator");
    assertThat(run.err().strip().lines()).hasSize(1);
  }

  static Stream<Arguments> badDirectories() {
    return Stream.of(
        Arguments.of("missing", "does not exist"),
        Arguments.of("empty", "contains no .jar file"),
        Arguments.of("file.txt", "is not a directory"));
  }

  @ParameterizedTest
  @MethodSource("badDirectories")
  void unusablePluginDirectoriesExitTwo(String name, String fragment) throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    Files.writeString(dir.resolve("file.txt"), "x");
    Path plugins = dir.resolve(name);
    for (String command : new String[] {"evaluators", "evaluate"}) {
      CliRun run = command.equals("evaluators")
          ? ce("evaluators", "--plugins", plugins.toString())
          : ce("evaluate", "--plugins", plugins.toString(), "--evaluator", PointwiseEchoEvaluator.ID,
              "--predictions", predictions().toString());
      assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(run.err()).startsWith("ce " + command + ": ").contains("'" + plugins + "'", fragment);
      assertThat(run.err().strip().lines()).hasSize(1);
      assertThat(run.errHasStackTrace()).as(run.err()).isFalse();
    }
  }
}
