package dev.ce4j.examples.demo.wordnet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The fixed train/dev/test split by word: a word's split is a function of the word alone (the
 * first two bytes of SHA-256 of its lower-cased UTF-8 text, modulo 100: 0-79 train, 80-89 dev,
 * 90-99 test). It does not depend on the seed, so every run and every dataset puts a word in the
 * same split, and an example is kept only when all of its words fall in one split.
 */
public enum Split {
  /** 80% of the words. */
  TRAIN,
  /** 10% of the words. */
  DEV,
  /** 10% of the words. */
  TEST;

  /**
   * The split of a word.
   *
   * @param word the word, never null
   * @return its split, never null
   */
  public static Split of(String word) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest(word.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    int bucket = (((digest[0] & 0xff) << 8) | (digest[1] & 0xff)) % 100;
    return bucket < 80 ? TRAIN : bucket < 90 ? DEV : TEST;
  }

  /**
   * The lower-case name used in file names.
   *
   * @return {@code train}, {@code dev} or {@code test}
   */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
