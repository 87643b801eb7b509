package dev.ce4j.spark.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.broadcast.Broadcast;

/**
 * The BM25 indexes of one executor JVM: a zipped index shipped as a broadcast variable (sent to each
 * executor once) is unzipped into a temporary folder and opened once per JVM, and kept for its life.
 * (Not {@code SparkContext.addFile}: Spark 4 runs Dataset actions with the session's own artifact
 * set, so a file added to the context is not fetched by their tasks.) Thread-safe (opening is
 * serialised; searching is thread-safe).
 */
public final class ExecutorIndexes {
  private static final Map<String, Bm25HardNegativeMiner> INDEXES = new HashMap<>();
  private static final AtomicInteger OPENS = new AtomicInteger();

  private ExecutorIndexes() {}

  /**
   * The miner of a shipped index.
   *
   * @param zipName the zip's name (its content hash), never null
   * @param zip the zip's bytes, never null
   * @return the miner, shared, never closed by the caller
   * @throws CeException naming this executor if the index cannot be read
   */
  public static synchronized Bm25HardNegativeMiner get(String zipName, Broadcast<byte[]> zip) {
    Bm25HardNegativeMiner miner = INDEXES.get(zipName);
    if (miner != null) {
      return miner;
    }
    try {
      Path folder = Files.createTempDirectory("ce-bm25-");
      Path file = folder.resolve(zipName);
      Files.write(file, zip.value());
      Path index = Files.createDirectory(folder.resolve("index"));
      Zips.unzip(file, index);
      Files.delete(file);
      miner = Bm25HardNegativeMiner.open(index);
      deleteOnExit(folder, index);
    } catch (IOException | RuntimeException e) {
      throw new CeException("cannot open the shipped BM25 index " + zipName + " on " + ExecutorInfo.describe() + ": "
          + e.getMessage(), e);
    }
    OPENS.incrementAndGet();
    INDEXES.put(zipName, miner);
    return miner;
  }

  private static void deleteOnExit(Path folder, Path index) throws IOException {
    folder.toFile().deleteOnExit();
    index.toFile().deleteOnExit();
    try (var files = Files.list(index)) {
      files.forEach(f -> f.toFile().deleteOnExit());
    }
  }

  /**
   * How many indexes this JVM has opened (for tests and logs).
   *
   * @return the count
   */
  public static int opens() {
    return OPENS.get();
  }
}
