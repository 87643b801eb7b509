package dev.ce4j.spark;

import org.apache.spark.sql.SparkSession;

/** The test classes' Spark sessions: small, quiet, on loopback. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A {@code local[2]} session (one per test class; stop it in {@code @AfterAll}).
   *
   * @return the session
   */
  public static SparkSession local() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("ce-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate();
  }
}
