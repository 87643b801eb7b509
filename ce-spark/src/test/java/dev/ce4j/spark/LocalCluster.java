package dev.ce4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on loopback for one test class: a master and workers, each its own JVM
 * started from the test's class path (no Spark distribution). Every child JVM (and the executors
 * the workers start) is stopped by {@link #close()} and, should the test JVM exit first, by a
 * shutdown hook.
 */
public final class LocalCluster implements AutoCloseable {
  /** What Spark needs on Java 17 (spark-launcher's JavaModuleOptions), as in the pom's argLine. */
  private static final List<String> JVM_FLAGS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions", "--add-modules=jdk.incubator.vector",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true");

  private final Path dir;
  private final String masterUrl;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final Thread hook;

  /**
   * Starts a master and {@code workers} workers of one core and 1 GiB each.
   *
   * @param dir a folder for logs, work and local dirs
   * @param workerCount how many workers
   * @throws IOException if a JVM cannot start or the master does not listen within 60 s
   */
  public LocalCluster(Path dir, int workerCount) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("spark-home/jars"));
    int port = freePort();
    this.masterUrl = "spark://127.0.0.1:" + port;
    List<Process> started = new ArrayList<>();
    this.hook = new Thread(() -> started.forEach(LocalCluster::kill));
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      master = start("master", started, "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
      waitForPort(port);
      for (int i = 0; i < workerCount; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i));
        workers.add(start("worker-" + i, started, "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1", "--webui-port", "0", "--cores", "1", "--memory", "1g",
            "--work-dir", work.toString(), masterUrl));
      }
    } catch (IOException | RuntimeException e) {
      started.forEach(LocalCluster::kill);
      throw e;
    }
  }

  private Process start(String name, List<Process> started, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(JVM_FLAGS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", dir.resolve("spark-home").toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", dir.resolve("local-" + name).toString());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /**
   * The master's URL.
   *
   * @return {@code spark://127.0.0.1:PORT}
   */
  public String masterUrl() {
    return masterUrl;
  }

  /**
   * A worker JVM.
   *
   * @param i its index
   * @return the process
   */
  public Process worker(int i) {
    return workers.get(i);
  }

  /** Kills a worker and the executors it started (SIGKILL), as a machine failure would. */
  public static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The class path executors get ({@code spark.executor.extraClassPath}).
   *
   * @return the test JVM's class path
   */
  public static String classPath() {
    return System.getProperty("java.class.path");
  }

  @Override
  public void close() {
    workers.forEach(LocalCluster::kill);
    kill(master);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port) throws IOException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
    throw new IOException("the Spark master did not listen on port " + port + " within 60 s");
  }
}
