package dev.ce4j.spark.internal;

import org.apache.spark.SparkEnv;

/** Describes the JVM a task runs in, for error messages. Stateless. */
public final class ExecutorInfo {
  private ExecutorInfo() {}

  /**
   * This JVM as messages name it: {@code executor 1 on 127.0.0.1 (pid 4242)}; in local mode the executor
   * is called {@code driver}, as Spark calls it.
   *
   * @return a description, never null
   */
  public static String describe() {
    long pid = ProcessHandle.current().pid();
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return "this JVM (pid " + pid + ")";
    }
    String host = env.blockManager() == null ? "?" : env.blockManager().blockManagerId().host();
    String id = env.executorId();
    return "executor " + id + " on " + host + " (pid " + pid + ")";
  }

  /**
   * The executor id of this JVM ({@code driver} in local mode).
   *
   * @return the id, never null
   */
  public static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "driver" : env.executorId();
  }
}
