package dev.ce4j.spark.mine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The random stream of a query in a cluster job: derived from the query's id alone (never from its
 * partition or position), so that a seed gives the same negatives whatever the partitioning.
 * Stateless.
 */
public final class QueryStreams {
  private QueryStreams() {}

  /**
   * The stream index of a query id: the first 8 bytes (big-endian) of the SHA-256 of its UTF-8
   * bytes, sign bit cleared. It is then the index of the {@code negative-sampling} seed of the run's
   * seed strategy ({@link dev.ce4j.train.mining.Bm25HardNegativeMiner#mine(
   * dev.ce4j.train.mining.MiningQuery, long, dev.ce4j.train.mining.MiningOptions,
   * dev.ce4j.api.seed.SeedStrategy)}).
   *
   * @param queryId the id, never null
   * @return a non-negative stream index
   */
  public static long of(String queryId) {
    Objects.requireNonNull(queryId, "queryId");
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(queryId.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(h, 0, 8).getLong() & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
