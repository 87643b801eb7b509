package dev.ce4j.api.seed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The default {@link SeedStrategy}, stable across releases.
 *
 * <p>The seed for (master, purpose, index) is the first 8 bytes, read big-endian as a signed
 * long, of
 * <pre>SHA-256( "ce-seed-v1" 0x00 UTF-8(purpose) 0x00 int64_be(master) int64_be(index) )</pre>
 * A cryptographic hash makes seeds of different purposes, indices and masters statistically
 * independent, including neighbouring masters such as 0 and 1. For example, master 42, purpose
 * {@code weight-init}, index 0 gives {@code 2318848683828522353}.
 *
 * @param masterSeed the master seed, any long
 */
public record DefaultSeedStrategy(long masterSeed) implements SeedStrategy {
  private static final byte[] DOMAIN = "ce-seed-v1".getBytes(StandardCharsets.US_ASCII);

  @Override
  public long seed(String purpose, long index) {
    Objects.requireNonNull(purpose, "purpose");
    byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(DOMAIN.length + 1 + p.length + 1 + 16).order(ByteOrder.BIG_ENDIAN);
    buf.put(DOMAIN).put((byte) 0).put(p).put((byte) 0).putLong(masterSeed).putLong(index);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(buf.array());
      return ByteBuffer.wrap(digest, 0, 8).order(ByteOrder.BIG_ENDIAN).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
