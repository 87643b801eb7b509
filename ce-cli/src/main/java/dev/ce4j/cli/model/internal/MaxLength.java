package dev.ce4j.cli.model.internal;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.tokenize.PairTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks the {@code --max-length N} option of the commands that run a model, so that a bad value
 * is a usage error naming the option rather than a message from deep inside the model.
 *
 * <p>{@code 0} keeps the model's own maximum length. Otherwise N counts the tokens of a whole
 * encoded pair, {@code [CLS] query [SEP] document [SEP]}: three special tokens and at least one
 * token of text, so at least {@value #MIN} (the lowest value {@code ce-core} accepts; longer texts
 * are truncated longest first), and more where the tokenizer adds more special tokens (RoBERTa's
 * {@code <s> A </s></s> B </s>}: at least 5). N can be at most the model's {@code max_position_embeddings}, the
 * number of positions it has weights for. Stateless and thread-safe.
 */
public final class MaxLength {
  /** The option's name. */
  public static final String OPTION = "--max-length";

  /** The smallest length other than 0: three special tokens and one token of text. */
  public static final int MIN = 4;

  private MaxLength() {}

  /**
   * Checks the lower bound, before anything is read.
   *
   * @param spec the command, for the error, never null
   * @param maxLength the value given
   * @throws ParameterException if it is negative or between 1 and {@value #MIN} - 1
   */
  public static void check(CommandSpec spec, int maxLength) {
    Objects.requireNonNull(spec, "spec");
    if (maxLength < 0 || (maxLength > 0 && maxLength < MIN)) {
      throw new ParameterException(spec.commandLine(), OPTION + " must be 0 (the model's own maximum) or at least "
          + MIN + " (a pair needs [CLS], [SEP] twice and one token of text), got " + maxLength);
    }
  }

  /**
   * Checks the upper bound against a model folder's {@code config.json}, before the model is
   * loaded. Does nothing for 0.
   *
   * @param spec the command, for the error, never null
   * @param maxLength the value given, already {@linkplain #check checked}
   * @param model the model folder, never null
   * @throws ParameterException if it exceeds the model's {@code max_position_embeddings}
   * @throws dev.ce4j.api.InvalidInputException if the folder's {@code config.json} is invalid (a
   *     missing one is left to the model's loading to report)
   */
  public static void checkAgainst(CommandSpec spec, int maxLength, Path model) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(model, "model");
    if (maxLength == 0 || !Files.isRegularFile(model.resolve(ModelFolder.CONFIG))) {
      return; // loading the model reports a missing folder or config.json
    }
    ModelConfig config = ModelFolder.readConfig(model);
    if (maxLength > config.maxPositions()) {
      throw new ParameterException(spec.commandLine(), OPTION + " " + maxLength + " is more than the "
          + config.maxPositions() + " positions the model has (max_position_embeddings in "
          + model.resolve(ModelFolder.CONFIG) + "); give at most " + config.maxPositions()
          + ", or 0 for the model's own maximum (" + config.maxLength() + ")");
    }
    Path tokenizer = model.resolve(ModelFolder.TOKENIZER);
    if (Files.isRegularFile(tokenizer)) {
      int special = PairTokenizer.specialTokens(TokenizerFiles.of(tokenizer).tokenizerJson(), tokenizer.toString());
      if (maxLength <= special) {
        throw new ParameterException(spec.commandLine(), OPTION + " " + maxLength + " leaves no token for"
            + " text: the model's tokenizer (" + tokenizer + ") adds " + special + " special tokens to"
            + " every pair; give at least " + (special + 1) + ", or 0 for the model's own maximum ("
            + config.maxLength() + ")");
      }
    }
  }
}
