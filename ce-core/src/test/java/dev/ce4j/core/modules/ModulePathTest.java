package dev.ce4j.core.modules;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.CeVersion;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.Architecture;
import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ce-core} as a named module ({@code src/main/java/module-info.java}), checked from the
 * module path, where the descriptor counts (the other tests run on the class path, where it is
 * ignored).
 *
 * <p>Each check compiles modules with {@code javac} against {@code target/classes} and ce-core's
 * run-time dependencies ({@code target/runtime-classpath.txt}, written by the build) and runs them
 * in a new JVM: an application that loads and scores a folder sentence-transformers saved (the
 * scores must be Python's), one that names an internal package (must not compile), and an
 * {@code Architecture} plugin as a named module and as a class-path jar (must be found). A
 * dependency that cannot be a module goes on the class path, as a user would put it: DJL's {@code
 * pytorch-native-cpu} jar, whose {@code Automatic-Module-Name} {@code
 * ai.djl.pytorch_native_cpu_linux-x86_64} is not a valid module name (it holds only the native
 * libraries).
 */
class ModulePathTest {
  private static final String CORE = "dev.ce4j.core";

  /** The packages every module sees: the API. */
  private static final Set<String> API =
      Set.of(
          "dev.ce4j.core",
          "dev.ce4j.core.arch",
          "dev.ce4j.core.arch.bert",
          "dev.ce4j.core.arch.encoder",
          "dev.ce4j.core.device",
          "dev.ce4j.core.fingerprint",
          "dev.ce4j.core.io",
          "dev.ce4j.core.model",
          "dev.ce4j.core.onnx",
          "dev.ce4j.core.predict",
          "dev.ce4j.core.tokenize");

  /** The only modules an internal package may be exported to: ce's own. */
  private static final Set<String> CE_MODULES =
      Set.of("dev.ce4j.train", "dev.ce4j.cli", "dev.ce4j.benchmarks");

  private static final double TOLERANCE = 1e-5;
  private static final String FOLDER = "interop/st-saved/st-tiny-f32-sigmoid";

  private static Path coreClasses;
  private static ModuleDescriptor descriptor;
  /** ce-core and its dependencies that are modules (named or automatic). */
  private static List<Path> modulePath;
  /** The dependencies that cannot be modules. */
  private static List<Path> classPath;

  @TempDir Path tmp;

  @BeforeAll
  static void locate() throws Exception {
    coreClasses = Path.of(CrossEncoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    descriptor =
        ModuleFinder.of(coreClasses)
            .find(CORE)
            .orElseThrow(() -> new AssertionError("no module " + CORE + " in " + coreClasses))
            .descriptor();
    Path list = coreClasses.getParent().resolve("runtime-classpath.txt");
    assertThat(list).as("written by the build (mvn test)").exists();
    modulePath = new ArrayList<>(List.of(coreClasses));
    classPath = new ArrayList<>();
    for (String entry : Files.readString(list, UTF_8).trim().split(File.pathSeparator)) {
      Path p = Path.of(entry);
      (isModule(p) ? modulePath : classPath).add(p);
    }
  }

  @Test
  void theDescriptorExportsTheApiToAllAndTheRestOnlyToCeModules() throws IOException {
    assertThat(descriptor.isAutomatic()).isFalse();
    Set<String> unqualified = new TreeSet<>();
    for (ModuleDescriptor.Exports e : descriptor.exports()) {
      if (e.isQualified()) {
        assertThat(API).as("an API package is exported to all").doesNotContain(e.source());
        assertThat(CE_MODULES).as(e.source() + "'s targets").containsAll(e.targets());
      } else {
        unqualified.add(e.source());
      }
    }
    assertThat(unqualified).containsExactlyInAnyOrderElementsOf(API);
    assertThat(descriptor.opens()).isEmpty();

    // ServiceLoader in a named module reads the descriptor, not META-INF/services: the providers
    // declared there are the ones @AutoService registered for the class path
    assertThat(descriptor.uses()).contains(Architecture.class.getName());
    Path services = coreClasses.resolve("META-INF/services/" + Architecture.class.getName());
    Set<String> registered =
        Files.readAllLines(services, UTF_8).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .collect(Collectors.toSet());
    List<String> provided =
        descriptor.provides().stream()
            .filter(p -> p.service().equals(Architecture.class.getName()))
            .flatMap(p -> p.providers().stream())
            .toList();
    assertThat(provided).isNotEmpty().containsExactlyInAnyOrderElementsOf(registered);
  }

  @Test
  void anApplicationOnTheModulePathLoadsAndScoresAFolderAsPythonDid() throws Exception {
    // every dependency is a module but DJL's native-library jar
    assertThat(classPath).allMatch(p -> p.getFileName().toString().startsWith("pytorch-native-"));
    Path app = compileApp();
    Path folder = resource(FOLDER);

    List<String> out = run(app, List.of(), folder, resource("interop/pairs.jsonl"));

    assertThat(out)
        .contains(
            "module dev.ce4j.core named",
            "exported dev.ce4j.core.engine false",
            "reflection into dev.ce4j.core.engine IllegalAccessException",
            "architecture bert dev.ce4j.core",
            "architecture roberta dev.ce4j.core",
            "reloaded true")
        .doesNotContain("version " + CeVersion.UNKNOWN);
    double[][] python = readMatrix(folder.resolve("st-scores.json"), "scores");
    List<Double> scores = scores(out);
    assertThat(scores).hasSize(python.length);
    for (int i = 0; i < python.length; i++) {
      assertThat(scores.get(i)).as("pair " + i).isCloseTo(python[i][0], within(TOLERANCE));
    }
  }

  @Test
  void theApiCompilesAndEveryOtherPackageIsNotVisible() throws Exception {
    Map<String, String> internal = new TreeMap<>();
    Map<String, String> api = new TreeMap<>();
    for (String pkg : descriptor.packages()) {
      publicClass(pkg).ifPresent(c -> (API.contains(pkg) ? api : internal).put(pkg, c));
    }
    assertThat(api.keySet()).containsExactlyInAnyOrderElementsOf(API);
    assertThat(internal)
        .containsKeys("dev.ce4j.core.engine", "dev.ce4j.core.seed", "dev.ce4j.core.io.internal");

    Compiled user = javac(tmp.resolve("user"), "user", api.values());
    assertThat(user.errors()).isEmpty();

    Compiled intruder = javac(tmp.resolve("intruder"), "intruder", internal.values());
    assertThat(intruder.ok()).isFalse();
    for (String pkg : internal.keySet()) {
      assertThat(intruder.errors())
          .as(pkg)
          .anyMatch(e -> e.contains("package " + pkg + " is not visible"));
    }
  }

  @Test
  void anArchitecturePluginIsFoundAsANamedModuleAndOnTheClassPath() throws Exception {
    Path app = compileApp();
    Path folder = tmp.resolve("alias");
    copyFolder(resource(FOLDER), folder);
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(folder.resolve("config.json").toFile());
    config.put("model_type", "modpath-bert");
    json.writeValue(folder.resolve("config.json").toFile(), config);
    double[][] python = readMatrix(folder.resolve("st-scores.json"), "scores");
    Path pairs = resource("interop/pairs.jsonl");

    // as a named module: it provides Architecture, ce-core uses it
    Path pluginModule = tmp.resolve("plugin-module");
    write(pluginModule.resolve("src/module-info.java"), PLUGIN_MODULE);
    write(pluginModule.resolve("src/modpath/plugin/AliasArchitecture.java"), PLUGIN);
    Compiled named = javac(pluginModule.resolve("classes"), pluginModule.resolve("src"), List.of());
    assertThat(named.errors()).isEmpty();
    List<String> out = run(app, List.of(pluginModule.resolve("classes")), folder, pairs);
    assertThat(out).contains("architecture modpath-alias modpath.plugin");
    assertThat(scores(out).get(0)).isCloseTo(python[0][0], within(TOLERANCE));

    // on the class path, registered in META-INF/services, with ce-core on the module path
    Path pluginJar = tmp.resolve("plugin-classpath");
    write(pluginJar.resolve("src/modpath/plugin/AliasArchitecture.java"), PLUGIN);
    List<String> all = new ArrayList<>();
    modulePath.forEach(p -> all.add(p.toString()));
    classPath.forEach(p -> all.add(p.toString()));
    Compiled unnamed =
        javac(pluginJar.resolve("classes"), pluginJar.resolve("src"),
            List.of("-cp", String.join(File.pathSeparator, all)));
    assertThat(unnamed.errors()).isEmpty();
    write(pluginJar.resolve("classes/META-INF/services/" + Architecture.class.getName()),
        "modpath.plugin.AliasArchitecture\n");
    out = runWithClassPath(app, List.of(pluginJar.resolve("classes")), folder, pairs);
    assertThat(out).contains("architecture modpath-alias unnamed");
    assertThat(scores(out).get(0)).isCloseTo(python[0][0], within(TOLERANCE));
  }

  // --- the modules compiled here ----------------------------------------------------------------

  private static final String APP_MODULE = "module app {\n  requires dev.ce4j.core;\n}\n";

  /** Loads a folder, scores the pairs of a JSON-lines file, and reports what it can see. */
  private static final String APP =
      """
      package app;

      import com.fasterxml.jackson.databind.JsonNode;
      import com.fasterxml.jackson.databind.ObjectMapper;
      import dev.ce4j.api.TextPair;
      import dev.ce4j.core.CeVersion;
      import dev.ce4j.core.CrossEncoder;
      import dev.ce4j.core.arch.Architecture;
      import dev.ce4j.core.arch.Architectures;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.ArrayList;
      import java.util.List;

      public final class Main {
        public static void main(String[] args) throws Exception {
          Module core = CrossEncoder.class.getModule();
          System.out.println("module " + core.getName() + (core.isNamed() ? " named" : " unnamed"));
          System.out.println("exported dev.ce4j.core.engine " + core.isExported("dev.ce4j.core.engine"));
          try {
            Class.forName("dev.ce4j.core.engine.PyTorch").getMethod("engine").invoke(null);
            System.out.println("reflection into dev.ce4j.core.engine allowed");
          } catch (IllegalAccessException e) {
            System.out.println("reflection into dev.ce4j.core.engine IllegalAccessException");
          }
          for (Architecture a : Architectures.load().architectures()) {
            Module m = a.getClass().getModule();
            System.out.println("architecture " + a.id() + " " + (m.isNamed() ? m.getName() : "unnamed"));
          }
          ObjectMapper json = new ObjectMapper();
          List<TextPair> pairs = new ArrayList<>();
          for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (!line.isBlank()) {
              JsonNode pair = json.readTree(line);
              pairs.add(TextPair.of(pair.get(0).asText(), pair.get(1).asText()));
            }
          }
          try (CrossEncoder model = CrossEncoder.load(Path.of(args[0]))) {
            double[] scores = model.predictScores(pairs);
            for (double s : scores) {
              System.out.println("score " + s);
            }
            // saving writes the version from a resource in ce-core's own package
            Path copy = Files.createTempDirectory("app-save").resolve("model");
            model.save(copy);
            try (CrossEncoder reloaded = CrossEncoder.load(copy)) {
              double[] again = reloaded.predictScores(pairs);
              System.out.println("reloaded " + java.util.Arrays.equals(again, scores));
            }
            System.out.println("version " + CeVersion.get());
          }
        }
      }
      """;

  private static final String PLUGIN_MODULE =
      """
      module modpath.plugin {
        requires dev.ce4j.core;
        provides dev.ce4j.core.arch.Architecture with modpath.plugin.AliasArchitecture;
      }
      """;

  /** A third-party architecture: BERT under another model type, written against the API alone. */
  private static final String PLUGIN =
      """
      package modpath.plugin;

      import com.fasterxml.jackson.databind.JsonNode;
      import com.fasterxml.jackson.databind.node.ObjectNode;
      import dev.ce4j.core.arch.Architecture;
      import dev.ce4j.core.arch.ClassifierSettings;
      import dev.ce4j.core.arch.ModelConfig;
      import dev.ce4j.core.arch.ScoringPass;
      import dev.ce4j.core.arch.SequenceClassifier;
      import dev.ce4j.core.arch.bert.BertArchitecture;
      import dev.ce4j.core.model.FloatTensor;
      import dev.ce4j.core.model.ModelWeights;
      import java.util.LinkedHashMap;
      import java.util.List;
      import java.util.Optional;

      public final class AliasArchitecture implements Architecture {
        private final Architecture bert = new BertArchitecture();

        public AliasArchitecture() {}

        @Override public String id() { return "modpath-alias"; }
        @Override public List<String> modelTypes() { return List.of("modpath-bert"); }
        @Override public ModelConfig parseConfig(JsonNode c, ClassifierSettings s, String source) {
          return bert.parseConfig(c, s, source);
        }
        @Override public void writeConfig(ModelConfig c, ObjectNode json) { bert.writeConfig(c, json); }
        @Override public LinkedHashMap<String, long[]> tensorShapes(ModelConfig c) {
          return bert.tensorShapes(c);
        }
        @Override public boolean isIgnoredBuffer(String name, ModelConfig c) {
          return bert.isIgnoredBuffer(name, c);
        }
        @Override public boolean isHead(String name) { return bert.isHead(name); }
        @Override public boolean isOutputLayer(String name) { return bert.isOutputLayer(name); }
        @Override public FloatTensor initialTensor(ModelConfig c, String name, long seed) {
          return bert.initialTensor(c, name, seed);
        }
        @Override public SequenceClassifier classifier(ModelWeights w) { return bert.classifier(w); }
        @Override public Optional<ScoringPass> scoringPass(ModelWeights w, boolean onednn) {
          return bert.scoringPass(w, onednn);
        }
      }
      """;

  // --- helpers ----------------------------------------------------------------------------------

  private record Compiled(boolean ok, List<String> errors) {}

  private Path compileApp() throws IOException {
    Path src = tmp.resolve("app/src");
    write(src.resolve("module-info.java"), APP_MODULE);
    write(src.resolve("app/Main.java"), APP);
    Compiled app = javac(tmp.resolve("app/classes"), src, List.of());
    assertThat(app.errors()).isEmpty();
    return tmp.resolve("app/classes");
  }

  /** A module {@code name} whose one class names each of {@code classes}. */
  private Compiled javac(Path dir, String name, Iterable<String> classes) throws IOException {
    StringBuilder refs = new StringBuilder();
    classes.forEach(c -> refs.append("      ").append(c).append(".class,\n"));
    write(dir.resolve("src/module-info.java"), "module " + name + " {\n  requires dev.ce4j.core;\n}\n");
    write(dir.resolve("src/" + name + "/Refs.java"),
        "package " + name + ";\n\npublic final class Refs {\n  public static final Class<?>[] ALL = {\n"
            + refs + "  };\n}\n");
    return javac(dir.resolve("classes"), dir.resolve("src"), List.of());
  }

  /** Compiles every source under {@code src} with ce-core on the module path. */
  private static Compiled javac(Path out, Path src, List<String> extra) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(src)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-proc:none"));
    if (extra.isEmpty()) {
      options.addAll(List.of("--module-path", join(modulePath)));
    } else {
      options.addAll(extra);
    }
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
      boolean ok =
          compiler
              .getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
              .call();
      List<String> errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
              .map(d -> d.getMessage(Locale.ROOT))
              .toList();
      return new Compiled(ok, errors);
    }
  }

  /** Runs the application with ce-core (and {@code moreModules}) on the module path. */
  private List<String> run(Path app, List<Path> moreModules, Path folder, Path pairs)
      throws IOException, InterruptedException {
    List<Path> mp = new ArrayList<>(List.of(app));
    mp.addAll(moreModules);
    mp.addAll(modulePath);
    return java(mp, classPath, folder, pairs);
  }

  /** Runs the application with ce-core on the module path and {@code jars} on the class path. */
  private List<String> runWithClassPath(Path app, List<Path> jars, Path folder, Path pairs)
      throws IOException, InterruptedException {
    List<Path> mp = new ArrayList<>(List.of(app));
    mp.addAll(modulePath);
    List<Path> cp = new ArrayList<>(classPath);
    cp.addAll(jars);
    return java(mp, cp, folder, pairs);
  }

  private List<String> java(List<Path> mp, List<Path> cp, Path folder, Path pairs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-Djava.io.tmpdir=" + Files.createTempDirectory(tmp, "java-tmp"));
    command.addAll(List.of("--module-path", join(mp)));
    if (!cp.isEmpty()) {
      command.addAll(List.of("-cp", join(cp)));
    }
    command.addAll(List.of("-m", "app/app.Main", folder.toString(), pairs.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output.lines().toList();
  }

  private static List<Double> scores(List<String> out) {
    return out.stream()
        .filter(l -> l.startsWith("score "))
        .map(l -> Double.parseDouble(l.substring("score ".length())))
        .toList();
  }

  /** A public top-level class of a ce-core package, if it has one. */
  private static Optional<String> publicClass(String pkg) throws IOException {
    Path dir = coreClasses.resolve(pkg.replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String file = f.getFileName().toString();
        if (!file.endsWith(".class") || file.contains("$") || file.startsWith("package-info")) {
          continue;
        }
        String name = pkg + "." + file.substring(0, file.length() - ".class".length());
        try {
          if (Modifier.isPublic(Class.forName(name, false, ModulePathTest.class.getClassLoader()).getModifiers())) {
            return Optional.of(name);
          }
        } catch (ClassNotFoundException e) {
          throw new AssertionError(name, e);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isModule(Path p) {
    try {
      ModuleFinder.of(p).findAll();
      return true;
    } catch (FindException e) {
      return false;
    }
  }

  private static double[][] readMatrix(Path file, String key) throws IOException {
    JsonNode rows = new ObjectMapper().readTree(file.toFile()).get(key);
    double[][] m = new double[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new double[rows.get(i).size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = rows.get(i).get(j).asDouble();
      }
    }
    return m;
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, UTF_8);
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static Path resource(String relative) throws URISyntaxException {
    return Path.of(ModulePathTest.class.getResource("/dev/ce4j/core/" + relative).toURI());
  }
}
