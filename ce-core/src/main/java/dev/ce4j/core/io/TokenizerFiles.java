package dev.ce4j.core.io;

import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The tokenizer files of a model folder, held in memory so that a model can be saved anywhere
 * (including over the folder it came from): {@code tokenizer.json} and, when present, {@code
 * tokenizer_config.json} and {@code special_tokens_map.json}.
 *
 * <p>The arrays are not copied; callers must not modify them. Thread-safe if not modified.
 *
 * @param tokenizerJson the contents of {@code tokenizer.json}, never null
 * @param tokenizerConfigJson the contents of {@code tokenizer_config.json}, or null when absent
 * @param specialTokensMapJson the contents of {@code special_tokens_map.json}, or null when absent
 */
public record TokenizerFiles(
    byte[] tokenizerJson, byte[] tokenizerConfigJson, byte[] specialTokensMapJson) {
  /** Validates that {@code tokenizer.json} is present. */
  public TokenizerFiles {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
  }

  /**
   * Reads a {@code tokenizer.json} alone (no side files).
   *
   * @param tokenizerJson the file, never null
   * @return the files, never null
   * @throws InvalidInputException if the file is missing or unreadable, naming it
   */
  public static TokenizerFiles of(Path tokenizerJson) {
    return new TokenizerFiles(read(tokenizerJson, true), null, null);
  }

  /**
   * Reads the tokenizer files of a folder.
   *
   * @param folder the folder, never null
   * @return the files, never null
   * @throws InvalidInputException if {@code tokenizer.json} is missing or a file is unreadable,
   *     naming it
   */
  public static TokenizerFiles fromFolder(Path folder) {
    return new TokenizerFiles(
        read(folder.resolve(ModelFolder.TOKENIZER), true),
        read(folder.resolve(ModelFolder.TOKENIZER_CONFIG), false),
        read(folder.resolve(ModelFolder.SPECIAL_TOKENS_MAP), false));
  }

  private static byte[] read(Path file, boolean required) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new InvalidInputException(file + ": file not found", e);
      }
      return null;
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
