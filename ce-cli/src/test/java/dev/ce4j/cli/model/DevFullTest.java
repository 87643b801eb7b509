package dev.ce4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ce4j.cli.CeCommand;
import dev.ce4j.cli.ExitCodes;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link CeCommand#main} in a JVM of its own with standard output redirected to Linux's
 * {@code /dev/full}, where every write fails with ENOSPC: what {@code ce ... > /dev/full} and a
 * full disk behind a redirect do.
 */
class DevFullTest {
  private static final File DEV_FULL = new File("/dev/full");
  private static final String REASON = "No space left on device";

  @TempDir static Path shared;

  static Path model;

  @BeforeAll
  static void setUp() {
    assumeTrue(DEV_FULL.exists(), "no /dev/full on this system");
    model = TinyModels.folder(shared.resolve("model"), 1, 5);
  }

  /** The exit status and standard error of {@code ce args} with standard output on {@code /dev/full}. */
  private static Result ceOnDevFull(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), CeCommand.class.getName()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(shared, "stderr", ".txt");
    Process p = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.to(DEV_FULL))
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("ce finished in time").isTrue();
    return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Result(int status, String err) {
    List<String> messages() {
      return err.lines().filter(l -> !l.contains(": device ")).toList();
    }
  }

  @Test
  void evaluate() throws Exception {
    Result r = ceOnDevFull("evaluate", "--evaluator", "reranking", "--predictions",
        Path.of("..", "ce-examples", "predictions", "reranking.jsonl").toString());
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.messages()).containsExactly("ce evaluate: cannot write the results to standard output: " + REASON);
  }

  @Test
  void predict() throws Exception {
    Path pairs = Files.writeString(shared.resolve("pairs.jsonl"), "[\"a\", \"b\"]\n[\"capital\", \"paris\"]\n");
    Result r = ceOnDevFull("predict", "--model", model.toString(), "--input", pairs.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.messages()).containsExactly("ce predict: cannot write the results to standard output: " + REASON);
  }

  @Test
  void fingerprint() throws Exception {
    Result r = ceOnDevFull("fingerprint", model.toString());
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.messages()).containsExactly("ce fingerprint: cannot write the results to standard output: " + REASON);
  }

  @Test
  void help() throws Exception {
    Result r = ceOnDevFull("--help");
    assertThat(r.status()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.messages()).containsExactly("ce: cannot write the help to standard output: " + REASON);
  }
}
