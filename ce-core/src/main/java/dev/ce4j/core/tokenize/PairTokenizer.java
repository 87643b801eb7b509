package dev.ce4j.core.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.TokenizerFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tokenizes (query, document) pairs with a Hugging Face {@code tokenizer.json}, as
 * sentence-transformers' {@code CrossEncoder} does: special tokens added, truncation {@code
 * longest_first} to {@link #maxLength()} tokens, no padding.
 *
 * <p>Whatever truncation and padding the {@code tokenizer.json} itself asks for (the MiniLM one
 * pads every sequence to 128) is switched off and replaced by the settings above; padding is done
 * per batch by {@link Batches}. Thread-safe: the native tokenizer is only read after construction.
 */
public final class PairTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final String source;

  private PairTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, String source) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.source = source;
  }

  /**
   * Loads a {@code tokenizer.json} file.
   *
   * @param tokenizerJson the file, never null
   * @param maxLength the longest encoded pair, special tokens included, at least 4
   * @return the tokenizer, to be closed, never null
   * @throws InvalidInputException if the file is missing, not a regular file, empty or not a valid
   *     tokenizer, naming it
   */
  public static PairTokenizer load(Path tokenizerJson, int maxLength) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    byte[] json = TokenizerFiles.of(tokenizerJson).tokenizerJson();
    return fromJson(json, maxLength, tokenizerJson.toString());
  }

  /**
   * Creates a tokenizer from the contents of a {@code tokenizer.json}.
   *
   * @param tokenizerJson the file's bytes, never null
   * @param maxLength the longest encoded pair, special tokens included, at least 4
   * @param source where the bytes came from, for error messages, never null
   * @return the tokenizer, to be closed, never null
   * @throws InvalidInputException if the contents are not a valid tokenizer, naming {@code source}
   */
  public static PairTokenizer fromJson(byte[] tokenizerJson, int maxLength, String source) {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    Objects.requireNonNull(source, "source");
    if (maxLength < 4) {
      throw new IllegalArgumentException("maxLength must be at least 4, got " + maxLength);
    }
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "withOverflowingTokens", "false",
            "truncation", "true", // DJL: "true" means LONGEST_FIRST
            "padding", "false",
            "maxLength", Integer.toString(maxLength),
            "modelMaxLength", Integer.toString(maxLength));
    HuggingFaceTokenizer t;
    try {
      t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          source + ": not a valid Hugging Face tokenizer.json: " + e.getMessage(), e);
    }
    PairTokenizer pairs = new PairTokenizer(t, maxLength, source);
    try {
      int special = pairs.specialTokens();
      if (maxLength <= special) {
        throw new InvalidInputException(
            source + ": a maximum length of " + maxLength + " tokens leaves none for text: this"
                + " tokenizer adds " + special + " special tokens to every pair ("
                + String.join(" ", pairs.tokens(new TextPair("", ""))) + " around the two texts);"
                + " the maximum length must be at least " + (special + 1));
      }
      return pairs;
    } catch (RuntimeException e) {
      pairs.close();
      throw e;
    }
  }

  /**
   * The number of special tokens this tokenizer adds to a pair: 3 for BERT's {@code [CLS] A [SEP] B
   * [SEP]}, 4 for RoBERTa's {@code <s> A </s></s> B </s>}. A pair needs one token more.
   *
   * @return the count, at least 0
   */
  public int specialTokens() {
    try {
      return tokenizer.encode("", "").getIds().length;
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          source + ": the tokenizer cannot encode an empty pair: " + e.getMessage(), e);
    }
  }

  /**
   * The number of special tokens a {@code tokenizer.json} adds to a pair (see {@link
   * #specialTokens()}).
   *
   * @param tokenizerJson the file's bytes, never null
   * @param source where the bytes came from, for error messages, never null
   * @return the count, at least 0
   * @throws InvalidInputException if the contents are not a valid tokenizer, naming {@code source}
   */
  public static int specialTokens(byte[] tokenizerJson, String source) {
    // a length no pair of special tokens reaches, so that nothing is truncated
    try (PairTokenizer t = fromJson(tokenizerJson, 64, source)) {
      return t.specialTokens();
    }
  }

  /**
   * Checks that the token type ids this tokenizer gives a pair are rows of the model's token type
   * embedding ({@code type_id < type_vocab_size}): BERT's tokenizers give the second text type id
   * 1, which a {@code type_vocab_size} of 1 has no row for. Type ids come from the tokenizer's
   * template, not from the text, so one short pair is encoded. A model without a token type
   * embedding ({@link ModelConfig#typeVocabSize()} 0) ignores type ids.
   *
   * @param config the model's configuration, never null
   * @param configSource the configuration's file for the message, never null
   * @throws InvalidInputException naming this tokenizer's file, {@code configSource}, the type id
   *     and {@code type_vocab_size} when a type id does not fit
   */
  public void checkTypeIdsFit(ModelConfig config, String configSource) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(configSource, "configSource");
    if (config.typeVocabSize() == 0) {
      return; // the model has no token type embedding: type ids are not read
    }
    long max = 0;
    for (long t : encode(new TextPair("a", "b")).typeIds()) {
      max = Math.max(max, t);
    }
    if (max >= config.typeVocabSize()) {
      throw new InvalidInputException(
          source
              + ": the tokenizer gives a pair's tokens type id "
              + max
              + ", but "
              + configSource
              + " has type_vocab_size "
              + config.typeVocabSize()
              + " (type ids 0 to "
              + (config.typeVocabSize() - 1)
              + "); a cross-encoder needs a type_vocab_size of at least "
              + (max + 1)
              + " (BERT's is 2)");
    }
  }

  /**
   * The longest encoded pair, special tokens included.
   *
   * @return the maximum length
   */
  public int maxLength() {
    return maxLength;
  }

  /**
   * Tokenizes one pair.
   *
   * @param pair the pair, never null
   * @return the encoding, never null
   */
  public EncodedPair encode(TextPair pair) {
    Objects.requireNonNull(pair, "pair");
    Encoding e = tokenizer.encode(pair.query(), pair.document());
    return new EncodedPair(e.getIds(), e.getTypeIds());
  }

  /**
   * Tokenizes pairs (in parallel inside the native tokenizer).
   *
   * @param pairs the pairs, never null, no null elements
   * @return one encoding per pair, in input order, never null
   */
  public List<EncodedPair> encode(List<TextPair> pairs) {
    Objects.requireNonNull(pairs, "pairs");
    if (pairs.isEmpty()) {
      return List.of();
    }
    PairList<String, String> in = new PairList<>(pairs.size());
    for (TextPair p : pairs) {
      in.add(p.query(), p.document());
    }
    Encoding[] enc = tokenizer.batchEncode(in);
    List<EncodedPair> out = new ArrayList<>(enc.length);
    for (Encoding e : enc) {
      out.add(new EncodedPair(e.getIds(), e.getTypeIds()));
    }
    return out;
  }

  /**
   * The token strings of an encoding's ids, for diagnostics and tests.
   *
   * @param pair the pair, never null
   * @return the tokens, never null
   */
  public List<String> tokens(TextPair pair) {
    return List.of(tokenizer.encode(pair.query(), pair.document()).getTokens());
  }

  /** Releases the native tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
  }
}
