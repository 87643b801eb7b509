package dev.ce4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./ce} launcher builds at most once when two of them start together in one checkout,
 * with and without {@code flock}. Hermetic: the real script runs in a fake checkout (a
 * {@code pom.xml} and one file under {@code src/main}) with a fake {@code mvn} that logs when it
 * starts and ends, takes its time and writes the jar and class path the launcher expects, and a
 * fake {@code java} that logs its run.
 */
class LauncherBuildLockTest {
  private static final Path LAUNCHER = Path.of("..", "ce");
  /** The tools the launcher and the fakes use; a PATH of exactly these has no flock. */
  private static final List<String> TOOLS = List.of(
      "bash", "env", "dirname", "readlink", "find", "mktemp", "mv", "rm", "tr", "mkdir", "sleep", "cat", "touch");

  private static final String FAKE_MVN = """
      #!/usr/bin/env bash
      echo "start $$" >> "$FAKE_LOG"
      sleep 3
      mkdir -p ce-cli/target
      touch ce-cli/target/ce-cli-0.1.jar
      printf '%s' "$PWD/ce-cli/target/ce-cli-0.1.jar" > ce-cli/target/classpath.txt
      echo "end $$" >> "$FAKE_LOG"
      """;
  private static final String FAKE_JAVA = """
      #!/usr/bin/env bash
      echo "java $$" >> "$FAKE_LOG"
      """;

  @TempDir Path dir;

  private Path root;
  private Path log;

  private Path checkout() throws IOException {
    assumeTrue(new File("/bin/bash").canExecute() || new File("/usr/bin/bash").canExecute(), "needs bash");
    root = Files.createDirectories(dir.resolve("checkout"));
    executable(Files.copy(LAUNCHER, root.resolve("ce"), StandardCopyOption.COPY_ATTRIBUTES));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Files.createDirectories(root.resolve("ce-cli/src/main/java"));
    Files.writeString(root.resolve("ce-cli/src/main/java/Main.java"), "class Main {}\n");
    log = root.resolveSibling("log.txt");
    Path fakes = Files.createDirectories(dir.resolve("fakes"));
    executable(Files.writeString(fakes.resolve("mvn"), FAKE_MVN));
    executable(Files.writeString(fakes.resolve("java"), FAKE_JAVA));
    return fakes;
  }

  /** Removes the links to the system's tools before JUnit deletes the folder (and warns about them). */
  @AfterEach
  void removeToolLinks() throws IOException {
    Path tools = dir.resolve("tools");
    if (Files.isDirectory(tools)) {
      try (var links = Files.list(tools)) {
        for (Path link : links.toList()) {
          Files.delete(link);
        }
      }
    }
  }

  private static Path executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static Optional<Path> onPath(String tool) {
    for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** A folder with links to {@link #TOOLS} and nothing else. */
  private Path toolsWithoutFlock() throws IOException {
    Path tools = Files.createDirectories(dir.resolve("tools"));
    for (String tool : TOOLS) {
      Optional<Path> found = onPath(tool);
      assumeTrue(found.isPresent(), "no " + tool + " on the PATH");
      Files.createSymbolicLink(tools.resolve(tool), found.get().toRealPath());
    }
    return tools;
  }

  private Process launch(String path, String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(root.resolve("ce").toString(), "evaluators")
        .directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    Map<String, String> env = pb.environment();
    env.remove("JAVA_HOME");
    env.remove("JAVA_OPTS");
    env.remove("CE_JAVA_OPTS");
    env.put("PATH", path);
    env.put("FAKE_LOG", log.toString());
    return pb.start();
  }

  private void twoLaunchersAtOnceBuildOnce(String path) throws Exception {
    List<Process> launchers = new ArrayList<>();
    launchers.add(launch(path, "first"));
    launchers.add(launch(path, "second"));
    for (int i = 0; i < launchers.size(); i++) {
      Process p = launchers.get(i);
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("launcher %d finished", i).isTrue();
      assertThat(p.exitValue()).as("launcher %d: %s", i, stderr()).isZero();
    }
    List<String> events = Files.readAllLines(log, StandardCharsets.UTF_8);
    // one build, start then end, and both launchers ran java after it
    assertThat(events).as(stderr()).hasSize(4);
    assertThat(events.get(0)).startsWith("start ");
    assertThat(events.get(1)).isEqualTo("end " + events.get(0).substring("start ".length()));
    assertThat(events.subList(2, 4)).allMatch(e -> e.startsWith("java "));
    assertThat(stderr()).contains("ce: another ce is building " + root.toRealPath() + "; waiting for it to finish...");
    assertThat(root.resolve(".ce-build.lock.d")).doesNotExist();

    // with the build done, a third launcher builds nothing
    Process third = launch(path, "third");
    assertThat(third.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(third.exitValue()).isZero();
    assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).hasSize(5).last().asString().startsWith("java ");
  }

  private String stderr() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String name : List.of("first", "second")) {
      Path err = dir.resolve(name + ".err");
      all.append(name).append(": ").append(Files.exists(err) ? Files.readString(err) : "").append('\n');
    }
    return all.toString();
  }

  @Test
  void ceClasspathIsAppendedToTheClassPath() throws Exception {
    Path fakes = checkout();
    // a java that logs its class path
    executable(Files.writeString(fakes.resolve("java"), """
        #!/usr/bin/env bash
        while [ "$#" -gt 0 ]; do
          if [ "$1" = "-cp" ]; then echo "cp $2" >> "$FAKE_LOG"; fi
          shift
        done
        """));
    String path = fakes + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    ProcessBuilder pb = new ProcessBuilder(root.resolve("ce").toString(), "architectures")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("cp.out").toFile());
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("PATH", path);
    pb.environment().put("FAKE_LOG", log.toString());
    pb.environment().put("CE_CLASSPATH", "/plugins/my-architecture.jar");
    Process p = pb.start();
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("cp.out"))).isZero();
    assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).filteredOn(l -> l.startsWith("cp "))
        .singleElement().asString().endsWith(":/plugins/my-architecture.jar").contains("ce-cli-0.1.jar:");
  }

  @Test
  void aTreeBuiltByAPlainMavenInstallIsNotBuiltAgain() throws Exception {
    Path fakes = checkout();
    // what `mvn install` leaves: the jar and class path, newer than the sources, and no stamp
    Files.createDirectories(root.resolve("ce-cli/target"));
    Path jar = Files.writeString(root.resolve("ce-cli/target/ce-cli-0.1.jar"), "");
    Files.writeString(root.resolve("ce-cli/target/classpath.txt"), jar.toString());
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    Files.setLastModifiedTime(root.resolve("pom.xml"), old);
    Files.setLastModifiedTime(root.resolve("ce-cli/src/main/java/Main.java"), old);
    String path = fakes + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    Process p = launch(path, "first");
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(stderr()).isZero();
    assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).as(stderr()).hasSize(1).first().asString().startsWith("java ");

    // a source edited after that build is built
    Files.writeString(root.resolve("ce-cli/src/main/java/Main.java"), "class Main { }\n");
    Files.setLastModifiedTime(root.resolve("ce-cli/src/main/java/Main.java"),
        FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Process again = launch(path, "second");
    assertThat(again.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(again.exitValue()).as(stderr()).isZero();
    assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).as(stderr()).hasSize(4).element(1).asString().startsWith("start ");
  }

  @Test
  void withFlock() throws Exception {
    Path fakes = checkout();
    assumeTrue(onPath("flock").isPresent(), "no flock on the PATH");
    twoLaunchersAtOnceBuildOnce(fakes + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    assertThat(root.resolve(".ce-build.lock")).exists();
  }

  @Test
  void withoutFlockADirectoryIsTheLock() throws Exception {
    Path fakes = checkout();
    twoLaunchersAtOnceBuildOnce(fakes + File.pathSeparator + toolsWithoutFlock());
  }

  @Test
  void aLockLeftByALauncherThatIsGoneIsTakenOver() throws Exception {
    Path fakes = checkout();
    Path stale = Files.createDirectories(root.resolve(".ce-build.lock.d"));
    // a process id that is surely not running: above the kernel's pid_max default range
    Files.writeString(stale.resolve("pid"), "99999999\n");
    Process p = launch(fakes + File.pathSeparator + toolsWithoutFlock(), "first");
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(stderr()).isZero();
    assertThat(stderr()).contains("removing the build lock of process 99999999, which is gone");
    assertThat(Files.readAllLines(log)).hasSize(3);
    assertThat(stale).doesNotExist();
  }

  @Test
  void theLockFilesAreIgnoredByGit() throws IOException {
    List<String> ignored = Files.readAllLines(Path.of("..", ".gitignore"));
    assertThat(ignored).contains("/.ce-build.lock", "/.ce-build.lock.d/", "/.ce-build.stamp");
  }
}
