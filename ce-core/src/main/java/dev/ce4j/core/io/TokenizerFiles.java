package dev.ce4j.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.internal.JsonErrors;
import dev.ce4j.core.io.internal.RegularFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The tokenizer files of a model folder, held in memory so that a model can be saved anywhere
 * (including over the folder it came from): {@code tokenizer.json} and, when present, {@code
 * tokenizer_config.json} and {@code special_tokens_map.json}, plus where {@code tokenizer.json}
 * came from, so that every message about it names the file the user gave.
 *
 * <p>The arrays are not copied; callers must not modify them. Thread-safe if not modified.
 *
 * @param tokenizerJson the contents of {@code tokenizer.json}, never null
 * @param tokenizerConfigJson the contents of {@code tokenizer_config.json}, or null when absent
 * @param specialTokensMapJson the contents of {@code special_tokens_map.json}, or null when absent
 * @param source where {@code tokenizer.json} was read from (its path as given), for messages, never
 *     null
 */
public record TokenizerFiles(
    byte[] tokenizerJson, byte[] tokenizerConfigJson, byte[] specialTokensMapJson, String source) {

  /** The largest {@code tokenizer.json} read (multilingual ones are tens of MB). */
  public static final long MAX_TOKENIZER_BYTES = 1L << 30;

  /** Validates that {@code tokenizer.json} and the source are present. */
  public TokenizerFiles {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Files held in memory whose origin is not a path; messages call the tokenizer {@code
   * tokenizer.json}.
   *
   * @param tokenizerJson the contents of {@code tokenizer.json}, never null
   * @param tokenizerConfigJson the contents of {@code tokenizer_config.json}, or null when absent
   * @param specialTokensMapJson the contents of {@code special_tokens_map.json}, or null when
   *     absent
   */
  public TokenizerFiles(
      byte[] tokenizerJson, byte[] tokenizerConfigJson, byte[] specialTokensMapJson) {
    this(tokenizerJson, tokenizerConfigJson, specialTokensMapJson, ModelFolder.TOKENIZER);
  }

  /**
   * One token id a tokenizer can produce, with where it is defined.
   *
   * @param id the id
   * @param token the token's text, never null
   * @param where the part of {@code tokenizer.json} that defines it (such as {@code model.vocab}),
   *     never null
   */
  public record TokenId(long id, String token, String where) {
    /** Validates non-null fields. */
    public TokenId {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(where, "where");
    }
  }

  /**
   * Reads a {@code tokenizer.json} alone (no side files).
   *
   * @param tokenizerJson the file, never null; named as given in every message
   * @return the files, never null
   * @throws InvalidInputException if the file is missing, not a regular file, empty or unreadable,
   *     naming it
   */
  public static TokenizerFiles of(Path tokenizerJson) {
    return new TokenizerFiles(read(tokenizerJson, true), null, null, tokenizerJson.toString());
  }

  /**
   * Reads the tokenizer files of a folder.
   *
   * @param folder the folder, never null
   * @return the files, never null
   * @throws InvalidInputException if {@code tokenizer.json} is missing or a file is not a regular
   *     file, empty or unreadable, naming it
   */
  public static TokenizerFiles fromFolder(Path folder) {
    Path tokenizer = folder.resolve(ModelFolder.TOKENIZER);
    return new TokenizerFiles(
        read(tokenizer, true),
        read(folder.resolve(ModelFolder.TOKENIZER_CONFIG), false),
        read(folder.resolve(ModelFolder.SPECIAL_TOKENS_MAP), false),
        tokenizer.toString());
  }

  /**
   * The largest token id this tokenizer can produce: the largest of {@code model.vocab} (an object
   * of token to id, or Unigram's array whose index is the id), {@code added_tokens} and the special
   * tokens of {@code post_processor}.
   *
   * @return the largest id, or null when the file defines no id at all
   * @throws InvalidInputException naming {@link #source()} when {@code tokenizer.json} is not a
   *     JSON object
   */
  public TokenId largestTokenId() {
    JsonNode root = parseTokenizerJson();
    TokenId[] max = {null};
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Map.Entry<String, JsonNode> e : vocab.properties()) {
        max[0] = larger(max[0], e.getValue(), e.getKey(), "model.vocab");
      }
    } else if (vocab.isArray() && vocab.size() > 0) {
      JsonNode last = vocab.get(vocab.size() - 1);
      String token = last.isArray() && last.size() > 0 ? last.get(0).asText() : last.asText();
      max[0] = new TokenId(vocab.size() - 1L, token, "model.vocab");
    }
    for (JsonNode added : root.path("added_tokens")) {
      max[0] = larger(max[0], added.path("id"), added.path("content").asText(), "added_tokens");
    }
    postProcessorIds(root.path("post_processor"), max);
    return max[0];
  }

  /**
   * The padding token's id: {@code padding.pad_id}, else the id of {@code [PAD]} in {@code
   * model.vocab}, else 0.
   *
   * @return the id
   * @throws InvalidInputException naming {@link #source()} when {@code tokenizer.json} is not a
   *     JSON object
   */
  public int padTokenId() {
    JsonNode root = parseTokenizerJson();
    JsonNode padId = root.path("padding").path("pad_id");
    if (padId.isIntegralNumber() && padId.canConvertToInt()) {
      return padId.asInt();
    }
    JsonNode pad = root.path("model").path("vocab").path("[PAD]");
    return pad.isIntegralNumber() && pad.canConvertToInt() ? pad.asInt() : 0;
  }

  /**
   * A copy that names another source in messages.
   *
   * @param newSource where {@code tokenizer.json} came from, never null
   * @return the copy (sharing the arrays), never null
   */
  public TokenizerFiles withSource(String newSource) {
    return new TokenizerFiles(tokenizerJson, tokenizerConfigJson, specialTokensMapJson, newSource);
  }

  /**
   * Checks that every token id this tokenizer can produce is a row of the configuration's word
   * embedding ({@code id < vocab_size}).
   *
   * @param config the model's configuration, never null
   * @param configSource the configuration's file for the message (such as {@code
   *     models/x/config.json}), never null
   * @throws InvalidInputException naming {@link #source()}, {@code configSource}, the id, its token
   *     and {@code vocab_size} when the tokenizer does not fit, or when {@code tokenizer.json} is
   *     not a JSON object
   */
  public void checkFits(ModelConfig config, String configSource) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(configSource, "configSource");
    TokenId max = largestTokenId();
    if (max != null && max.id() >= config.vocabSize()) {
      throw new InvalidInputException(
          source
              + ": token id "
              + max.id()
              + " ('"
              + abbreviate(max.token())
              + "' in "
              + max.where()
              + ") does not fit "
              + configSource
              + ", whose vocab_size "
              + config.vocabSize()
              + " gives ids 0 to "
              + (config.vocabSize() - 1)
              + "; the tokenizer does not belong to this model: use the tokenizer the model was"
              + " made with, or a vocab_size of at least "
              + (max.id() + 1));
    }
  }

  private JsonNode parseTokenizerJson() {
    JsonNode root;
    try {
      root = ConfigJson.mapper().readTree(tokenizerJson);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          source
              + ": not a valid Hugging Face tokenizer.json: malformed JSON at "
              + JsonErrors.describe(e),
          e);
    } catch (IOException e) {
      throw new InvalidInputException(
          source + ": not a valid Hugging Face tokenizer.json: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(
          source
              + ": not a valid Hugging Face tokenizer.json: the top level must be a JSON object");
    }
    return root;
  }

  /** The special-token ids of a post-processor (Template, Bert, Roberta, or a Sequence of them). */
  private static void postProcessorIds(JsonNode processor, TokenId[] max) {
    String where = "post_processor";
    for (JsonNode p : processor.path("processors")) {
      postProcessorIds(p, max);
    }
    for (Map.Entry<String, JsonNode> e : processor.path("special_tokens").properties()) {
      for (JsonNode id : e.getValue().path("ids")) {
        max[0] = larger(max[0], id, e.getKey(), where);
      }
    }
    for (String key : new String[] {"sep", "cls"}) {
      JsonNode pair = processor.path(key);
      if (pair.isArray() && pair.size() == 2) {
        max[0] = larger(max[0], pair.get(1), pair.get(0).asText(), where);
      }
    }
  }

  private static TokenId larger(TokenId max, JsonNode id, String token, String where) {
    if (!id.isIntegralNumber() || !id.canConvertToLong()) {
      return max; // not an id the tokenizer library would accept either; it reports that itself
    }
    long v = id.asLong();
    return max == null || v > max.id() ? new TokenId(v, token, where) : max;
  }

  private static String abbreviate(String token) {
    return token.length() <= 40 ? token : token.substring(0, 37) + "...";
  }

  private static byte[] read(Path file, boolean required) {
    if (!required && !RegularFiles.isPresent(file)) {
      return null;
    }
    return RegularFiles.readAllBytes(file, MAX_TOKENIZER_BYTES);
  }
}
