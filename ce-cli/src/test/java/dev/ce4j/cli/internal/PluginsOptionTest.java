package dev.ce4j.cli.internal;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.testing.DuplicateIdEvaluator;
import dev.ce4j.cli.testing.FailingStaticInitEvaluator;
import dev.ce4j.cli.testing.PluginOnlyEvaluator;
import dev.ce4j.cli.testing.PointwiseEchoEvaluator;
import dev.ce4j.cli.testing.ThrowingConstructorEvaluator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
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
    pluginJar(plugins, "C.JAR");
    Files.writeString(plugins.resolve("notes.txt"), "not a jar");
    Files.createDirectories(plugins.resolve("sub.jar"));
    assertThat(PluginsOption.jarsIn(plugins)).extracting(p -> p.getFileName().toString())
        .containsExactly("C.JAR", "a.jar", "b.jar");
    // but the command does not skip sub.jar without a word: see aDirectoryNamedLikeAJarIsNamed
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
    Path jar = pluginJar(plugins, "broken.jar", "com.example.NoSuchEvaluator");
    CliRun run = ce("evaluators", "--plugins", plugins.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).isEqualTo("ce evaluators: plugin jar '" + jar + "' could not be loaded: its "
        + PluginsOption.SERVICE_FILE + " names com.example.NoSuchEvaluator, a class that is neither in the jar nor"
        + " on ce's class path; fix the name or rebuild the jar\n");
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

  /** Runs both plugin commands on a plugin directory, the evaluation with the plugin's evaluator. */
  private List<CliRun> bothCommands(Path plugins) throws IOException {
    Path p = predictions();
    return List.of(
        ce("evaluators", "--plugins", plugins.toString()),
        ce("evaluate", "--plugins", plugins.toString(), "--evaluator", PluginOnlyEvaluator.ID, "--predictions", p.toString()));
  }

  /** Asserts exit 2 and one line naming the jar, with every fragment, for both commands. */
  private void assertJarRejected(Path plugins, Path jar, String... fragments) throws IOException {
    List<CliRun> runs = bothCommands(plugins);
    String[] names = {"ce evaluators", "ce evaluate"};
    for (int i = 0; i < runs.size(); i++) {
      CliRun run = runs.get(i);
      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith(names[i] + ": plugin jar '" + jar + "'").contains(fragments);
      assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
      assertThat(run.errHasStackTrace()).as(run.err()).isFalse();
    }
  }

  @Test
  void aJarThatIsNotAZipIsNamed() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "good.jar", PluginOnlyEvaluator.class.getName());
    Path bad = Files.writeString(plugins.resolve("notes.jar"), "this is text, not a jar\n");
    assertJarRejected(plugins, bad, "could not be loaded: it is not a valid jar (zip) file (", "rebuild it");
  }

  @Test
  void anEmptyJarIsNamed() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "good.jar", PluginOnlyEvaluator.class.getName());
    Path empty = Files.createFile(plugins.resolve("empty.jar"));
    assertJarRejected(plugins, empty, "not a valid jar (zip) file (zip file is empty)");
  }

  @Test
  void aTruncatedJarIsNamedInsteadOfItsEvaluatorBeingUnknown() throws IOException {
    Path plugins = dir.resolve("plugins");
    Path jar = pluginJar(plugins, "plugin.jar", PluginOnlyEvaluator.class.getName());
    byte[] whole = Files.readAllBytes(jar);
    Files.write(jar, Arrays.copyOf(whole, whole.length / 2));
    assertJarRejected(plugins, jar, "not a valid jar (zip) file");
  }

  @Test
  void aDirectoryNamedLikeAJarIsNamed() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "good.jar", PluginOnlyEvaluator.class.getName());
    Path exploded = Files.createDirectories(plugins.resolve("exploded.jar"));
    assertJarRejected(plugins, exploded, "it is a directory, not a jar file");
    // also when it is the only .jar there
    Path alone = Files.createDirectories(dir.resolve("alone").resolve("x.jar"));
    CliRun run = ce("evaluators", "--plugins", alone.getParent().toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce evaluators: plugin jar '" + alone + "' could not be loaded: it is a directory");
  }

  @Test
  void aDanglingSymbolicLinkIsNamed() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "good.jar", PluginOnlyEvaluator.class.getName());
    Path link = Files.createSymbolicLink(plugins.resolve("moved.jar"), dir.resolve("nowhere.jar"));
    assertJarRejected(plugins, link, "symbolic link to '" + dir.resolve("nowhere.jar") + "', which does not exist");
  }

  @Test
  void aSymbolicLinkToAJarIsLoaded() throws IOException {
    Path jar = pluginJar(dir.resolve("elsewhere"), "real.jar", PluginOnlyEvaluator.class.getName());
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.createSymbolicLink(plugins.resolve("linked.jar"), jar);
    for (CliRun run : bothCommands(plugins)) {
      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    }
  }

  @Test
  void aServiceThatIsNotAnEvaluatorIsNamed() throws IOException {
    Path plugins = dir.resolve("plugins");
    Path jar = pluginJar(plugins, "wrong.jar", PluginOnlyEvaluator.class.getName(), CliRun.class.getName());
    assertJarRejected(plugins, jar, "names " + CliRun.class.getName() + ", which does not implement dev.ce4j.api.eval.Evaluator");
  }

  @Test
  void aConstructorThatThrowsIsNamedWithItsReason() throws IOException {
    Path plugins = dir.resolve("plugins");
    pluginJar(plugins, "a-good.jar", PluginOnlyEvaluator.class.getName());
    Path jar = pluginJar(plugins, "b-licensed.jar", ThrowingConstructorEvaluator.class.getName());
    assertJarRejected(plugins, jar, "Provider " + ThrowingConstructorEvaluator.class.getName() + " could not be instantiated",
        "its constructor failed: " + ThrowingConstructorEvaluator.MESSAGE);
  }

  @Test
  void aStaticInitialiserThatThrowsIsNamedWithItsReason() throws IOException {
    Path plugins = dir.resolve("plugins");
    Path jar = pluginJar(plugins, "static.jar", FailingStaticInitEvaluator.class.getName(), PluginOnlyEvaluator.class.getName());
    CliRun first = ce("evaluators", "--plugins", plugins.toString());
    assertThat(first.err()).isEqualTo("ce evaluators: plugin jar '" + jar + "': an evaluator plugin could not be loaded:"
        + " Provider " + FailingStaticInitEvaluator.class.getName() + " could not be instantiated: its static initialiser"
        + " failed: For input string: \"ten\"\n");
    // in this JVM the class stays uninitialised: a second attempt names the jar and the failure again
    CliRun again = ce("evaluate", "--plugins", plugins.toString(), "--evaluator", PluginOnlyEvaluator.ID,
        "--predictions", predictions().toString());
    assertThat(again.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(again.err()).startsWith("ce evaluate: plugin jar '" + jar + "': ")
        .contains(FailingStaticInitEvaluator.class.getName() + " could not be instantiated: its static initialiser failed");
  }

  @Test
  void aPluginClassWhoseDependencyIsMissingIsNamedWithTheMissingClass() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assumeTrue(javac != null, "no Java compiler in this JDK");
    Path sources = Files.createDirectories(dir.resolve("src/com/example/dep"));
    Files.writeString(sources.resolve("Base.java"), """
        package com.example.dep;
        public abstract class Base extends dev.ce4j.cli.testing.PluginOnlyEvaluator {}
        """);
    Files.writeString(sources.resolve("DependentEvaluator.java"), """
        package com.example.dep;
        public class DependentEvaluator extends Base {
          @Override public String id() { return "dependent"; }
        }
        """);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        sources.resolve("Base.java").toString(), sources.resolve("DependentEvaluator.java").toString());
    assertThat(status).isZero();
    // the plugin jar holds the evaluator but not the library class it extends
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = plugins.resolve("dependent.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/services/dev.ce4j.api.eval.Evaluator"));
      out.write("com.example.dep.DependentEvaluator\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new JarEntry("com/example/dep/DependentEvaluator.class"));
      out.write(Files.readAllBytes(classes.resolve("com/example/dep/DependentEvaluator.class")));
      out.closeEntry();
    }
    assertJarRejected(plugins, jar, "could not be loaded: class com.example.dep.DependentEvaluator, named in its "
        + PluginsOption.SERVICE_FILE + ", needs com.example.dep.Base, which is neither in the jar nor on ce's class path;"
        + " put the jar that holds it in '" + plugins + "' too");

    // with the library jar next to it, the plugin loads
    try (OutputStream file = Files.newOutputStream(plugins.resolve("library.jar"));
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("com/example/dep/Base.class"));
      out.write(Files.readAllBytes(classes.resolve("com/example/dep/Base.class")));
      out.closeEntry();
    }
    CliRun run = ce("evaluators", "--plugins", plugins.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("dependent");
  }

  @Test
  void aPluginThatMissesALibraryWhileEvaluatingIsNamedWithExitTwo() throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assumeTrue(javac != null, "no Java compiler in this JDK");
    Path sources = Files.createDirectories(dir.resolve("src/com/example/lazy"));
    Files.writeString(sources.resolve("Helper.java"), """
        package com.example.lazy;
        public final class Helper {
          public static double mean(double[] v) { double s = 0; for (double x : v) s += x; return s / v.length; }
        }
        """);
    Files.writeString(sources.resolve("LazyEvaluator.java"), """
        package com.example.lazy;
        import dev.ce4j.api.eval.*;
        public class LazyEvaluator implements Evaluator {
          @Override public String id() { return "lazy"; }
          @Override public InputKind inputKind() { return InputKind.POINTWISE; }
          @Override public Evaluation evaluate(Predictions p, Parameters parameters) {
            return Evaluation.builder("lazy").put("mean", Helper.mean(((PointwisePredictions) p).scores())).build();
          }
        }
        """);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertThat(javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        sources.resolve("Helper.java").toString(), sources.resolve("LazyEvaluator.java").toString())).isZero();
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = plugins.resolve("lazy.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/services/dev.ce4j.api.eval.Evaluator"));
      out.write("com.example.lazy.LazyEvaluator\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new JarEntry("com/example/lazy/LazyEvaluator.class"));
      out.write(Files.readAllBytes(classes.resolve("com/example/lazy/LazyEvaluator.class")));
      out.closeEntry();
    }
    // listing it works: the missing class is only needed when it evaluates
    assertThat(ce("evaluators", "--plugins", plugins.toString()).out()).contains("lazy");
    CliRun run = ce("evaluate", "--plugins", plugins.toString(), "--evaluator", "lazy", "--predictions",
        predictions().toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).isEqualTo("ce evaluate: plugin jar '" + jar + "': class com.example.lazy.LazyEvaluator needs"
        + " com.example.lazy.Helper, which is neither in the jar nor on ce's class path; put the jar that holds it in '"
        + plugins + "' too\n");
  }

  @Test
  void aDirectoryWhoseJarsDeclareNoEvaluatorIsRejected() throws IOException {
    Path plugins = dir.resolve("plugins");
    library(plugins.resolve("commons.jar"));
    library(plugins.resolve("util.jar"));
    CliRun run = ce("evaluators", "--plugins", plugins.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).isEqualTo("ce evaluators: plugin directory '" + plugins + "' declares no evaluator: none of"
        + " its jars (commons.jar, util.jar) has a META-INF/services/dev.ce4j.api.eval.Evaluator file; build the"
        + " plugin with @AutoService(Evaluator.class) or add that file, naming its evaluator classes\n");
  }

  @Test
  void aJarWithoutEvaluatorsNextToAPluginIsTakenForALibrary() throws IOException {
    Path plugins = dir.resolve("plugins");
    library(plugins.resolve("commons.jar"));
    pluginJar(plugins, "plugin.jar", PluginOnlyEvaluator.class.getName());
    for (CliRun run : bothCommands(plugins)) {
      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
      assertThat(run.err()).isEmpty();
    }
  }

  /** A valid jar with one class-like entry and no service file. */
  private static void library(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("com/example/lib/README.txt"));
      out.write("a library\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
