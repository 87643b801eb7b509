package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs {@link TrainMain} in a new JVM with the test class path, {@code -Dai.djl.offline=true} and
 * {@code -Dai.djl.pytorch.num_threads=1}; standard output and error go to files.
 */
final class ChildJvm {
  /** The tiny example config, relative to this module. */
  static final Path TINY = Path.of("..", "ce-examples", "configs", "tiny.json");

  private final Process process;
  private final Path out;
  private final Path err;

  private ChildJvm(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts a child; {@code env} may set {@code CE_TRAIN_PAUSE_AT}. */
  static ChildJvm start(Path logDir, String name, Map<String, String> env, String... args) {
    try {
      Files.createDirectories(logDir);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Dai.djl.offline=true");
      cmd.add("-Dai.djl.pytorch.num_threads=1");
      cmd.add("-Xss4m");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(TrainMain.class.getName());
      cmd.addAll(List.of(args));
      Path out = logDir.resolve(name + ".out");
      Path err = logDir.resolve(name + ".err");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().remove("CE_TRAIN_PAUSE_AT");
      pb.environment().putAll(env);
      return new ChildJvm(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a child to its end and returns its fingerprint (asserting exit status 0). */
  static String run(Path logDir, String name, String... args) {
    ChildJvm c = start(logDir, name, Map.of(), args);
    c.awaitExit(0);
    return c.fingerprint();
  }

  /** Waits for the exit status. */
  void awaitExit(int expected) {
    try {
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("child finished in time").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(process.exitValue()).as("exit status; stderr:\n%s", stderr()).isEqualTo(expected);
  }

  /** Waits until a condition holds (polling), failing if the child exits first. */
  void awaitCondition(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new AssertionError("child exited before " + what + "; stderr:\n" + stderr());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until standard error holds a line. */
  void awaitStderr(String text) {
    awaitCondition(() -> stderr().contains(text), "'" + text + "' on stderr");
  }

  /** SIGKILL (on Unix, {@link Process#destroyForcibly()} sends it) and waits for the end. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(process.isAlive()).isFalse();
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  /** Waits for the end and returns the exit status. */
  int awaitAnyExit() {
    try {
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("child finished in time").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  String stderr() {
    return read(err);
  }

  String stdout() {
    return read(out);
  }

  /** The fingerprint printed by {@link TrainMain}. */
  String fingerprint() {
    String[] lines = stdout().strip().split("\n");
    String last = lines[lines.length - 1];
    assertThat(last).startsWith("FINGERPRINT ");
    return last.split(" ")[1];
  }

  /** The initial-weights fingerprint the trainer printed on stderr. */
  String initialFingerprint() {
    for (String line : stderr().split("\n")) {
      if (line.startsWith("ce-train: initial weights fingerprint ")) {
        return line.substring("ce-train: initial weights fingerprint ".length()).strip();
      }
    }
    throw new AssertionError("no initial fingerprint on stderr:\n" + stderr());
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String path(Path p) {
    return p.toAbsolutePath().toString().replace(File.separatorChar, '/');
  }
}
