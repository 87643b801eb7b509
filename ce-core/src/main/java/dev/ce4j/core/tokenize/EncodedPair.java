package dev.ce4j.core.tokenize;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tokenized pair, unpadded: {@code [CLS] query [SEP] document [SEP]} as ids, with segment ids 0
 * for the first part and 1 for the second. Every token is real (the attention mask is all ones).
 *
 * <p>The arrays are not copied; callers must not modify them. Thread-safe if not modified.
 *
 * @param ids token ids, never null, non-empty
 * @param typeIds segment ids, never null, same length
 */
public record EncodedPair(long[] ids, long[] typeIds) {
  /** Validates that both arrays have one length. */
  public EncodedPair {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(typeIds, "typeIds");
    if (ids.length != typeIds.length) {
      throw new IllegalArgumentException(
          "ids has " + ids.length + " tokens but typeIds has " + typeIds.length);
    }
  }

  /**
   * The number of tokens.
   *
   * @return the length, special tokens included
   */
  public int length() {
    return ids.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedPair p
        && Arrays.equals(ids, p.ids)
        && Arrays.equals(typeIds, p.typeIds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + Arrays.hashCode(typeIds);
  }

  @Override
  public String toString() {
    return "EncodedPair" + Arrays.toString(ids);
  }
}
