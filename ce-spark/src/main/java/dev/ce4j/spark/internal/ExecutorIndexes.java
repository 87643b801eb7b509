package dev.ce4j.spark.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkFiles;

/**
 * The BM25 indexes of one executor JVM: a zipped index shipped with {@code SparkContext.addFile}
 * is unzipped and opened once per JVM and kept for its life. Thread-safe (opening is serialised;
 * searching is thread-safe).
 */
public final class ExecutorIndexes {
  private static final Map<String, Bm25HardNegativeMiner> INDEXES = new HashMap<>();
  private static final AtomicInteger OPENS = new AtomicInteger();

  private ExecutorIndexes() {}

  /**
   * The miner of a shipped index.
   *
   * @param zipName the file name given to {@code addFile}, never null
   * @return the miner, shared, never closed by the caller
   * @throws CeException naming this executor if the index cannot be read
   */
  public static synchronized Bm25HardNegativeMiner get(String zipName) {
    Bm25HardNegativeMiner miner = INDEXES.get(zipName);
    if (miner != null) {
      return miner;
    }
    try {
      Path zip = Path.of(SparkFiles.get(zipName));
      Path folder = Files.createTempDirectory(Path.of(SparkFiles.getRootDirectory()), "ce-bm25-");
      Zips.unzip(zip, folder);
      miner = Bm25HardNegativeMiner.open(folder);
    } catch (IOException | RuntimeException e) {
      throw new CeException("cannot open the shipped BM25 index " + zipName + " on " + ExecutorInfo.describe() + ": "
          + e.getMessage(), e);
    }
    OPENS.incrementAndGet();
    INDEXES.put(zipName, miner);
    return miner;
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
