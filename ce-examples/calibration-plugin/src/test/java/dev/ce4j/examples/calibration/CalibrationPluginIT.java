package dev.ce4j.examples.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin jar, dropped into a directory, is found by {@code ce --plugins DIR} running
 * in a separate JVM whose class path is ce-cli's alone: without {@code --plugins} the evaluator
 * is absent, so the test fails if discovery through {@code --plugins} breaks.
 */
class CalibrationPluginIT {
  @TempDir Path dir;
  private String classpath;
  private Path plugins;

  /** The outcome of one {@code ce} run. */
  private record Run(int status, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    String classpathFile = System.getProperty("ce.cli.classpath.file");
    String pluginJar = System.getProperty("ce.plugin.jar");
    assertThat(classpathFile).as("system property ce.cli.classpath.file (set by the pom)").isNotNull();
    assertThat(pluginJar).as("system property ce.plugin.jar (set by the pom)").isNotNull();
    classpath = Files.readString(Path.of(classpathFile), StandardCharsets.UTF_8).strip();
    Path jar = Path.of(pluginJar);
    assertThat(jar).isRegularFile();

    Path module = jar.toAbsolutePath().getParent().getParent();
    assertThat(Arrays.stream(classpath.split(File.pathSeparator)).map(e -> Path.of(e).toAbsolutePath()))
        .as("the ce class path must not hold this plugin's classes")
        .isNotEmpty()
        .noneMatch(e -> e.startsWith(module))
        .anyMatch(e -> e.getFileName().toString().startsWith("ce-cli"));

    plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(jar, plugins.resolve(jar.getFileName()));
  }

  private Run ce(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", classpath, "dev.ce4j.cli.CeCommand"));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("ce " + String.join(" ", args) + " did not finish");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void evaluatorsListsThePluginOnlyWithPlugins() throws Exception {
    Run without = ce("evaluators");
    assertThat(without.status()).as(without.err()).isZero();
    assertThat(without.out()).doesNotContain(ExpectedCalibrationErrorEvaluator.ID);

    Run with = ce("evaluators", "--plugins", plugins.toString());
    assertThat(with.status()).as(with.err()).isZero();
    assertThat(with.out().lines()).contains(ExpectedCalibrationErrorEvaluator.ID);
    assertThat(with.out()).contains("bins  (default 10)", "input: pointwise");
  }

  @Test
  void evaluateRunsThePlugin() throws Exception {
    // bins=2: {0.2, 0.3} mean p .25, mean label .5; {0.8} label 1.
    // ece = 2/3 * .25 + 1/3 * .2 = .7/3, mce = .25, brier = (.64 + .09 + .04) / 3 = .77/3
    Path file = Files.writeString(dir.resolve("probabilities.jsonl"),
        "{\"score\": 0.2, \"label\": 1}\n{\"score\": 0.3, \"label\": 0}\n{\"score\": 0.8, \"label\": 1}\n");
    Run run = ce("evaluate", "--plugins", plugins.toString(), "--evaluator", ExpectedCalibrationErrorEvaluator.ID,
        "--param", "bins=2", "--predictions", file.toString());
    assertThat(run.status()).as(run.err()).isZero();
    JsonNode metrics = new ObjectMapper().readTree(run.out());
    assertThat(metrics.get("ece").doubleValue()).isCloseTo(0.7 / 3, within(1e-12));
    assertThat(metrics.get("mce").doubleValue()).isCloseTo(0.25, within(1e-12));
    assertThat(metrics.get("brier").doubleValue()).isCloseTo(0.77 / 3, within(1e-12));
  }

  @Test
  void badProbabilitiesExitTwoNamingTheLine() throws Exception {
    Path file = Files.writeString(dir.resolve("logits.jsonl"),
        "{\"score\": 0.2, \"label\": 1}\n{\"score\": 2.5, \"label\": 0}\n");
    Run run = ce("evaluate", "--plugins", plugins.toString(), "--evaluator", ExpectedCalibrationErrorEvaluator.ID,
        "--predictions", file.toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("scores[1] is 2.5", "[0, 1]", file + ", line 2").doesNotContain("\tat ");
  }
}
