package dev.ce4j.spark.app;

import dev.ce4j.spark.internal.SparkErrors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** Reading and writing datasets by path: JSON Lines for {@code .jsonl}/{@code .json}, else Parquet. */
final class Io {
  private Io() {}

  static SparkSession session(String command) {
    return SparkSession.builder().appName("ce-spark " + command).getOrCreate();
  }

  static boolean isJson(String path) {
    return path.endsWith(".jsonl") || path.endsWith(".json");
  }

  static Dataset<Row> read(SparkSession spark, String path) {
    return SparkErrors.run(() -> isJson(path) ? spark.read().json(path) : spark.read().parquet(path));
  }

  static void write(Dataset<Row> data, String path) {
    SparkErrors.run(() -> {
      if (isJson(path)) {
        data.write().mode(SaveMode.Overwrite).json(path);
      } else {
        data.write().mode(SaveMode.Overwrite).parquet(path);
      }
      return null;
    });
  }
}
