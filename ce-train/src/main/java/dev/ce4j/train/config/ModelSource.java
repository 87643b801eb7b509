package dev.ce4j.train.config;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.ModelConfig;
import java.nio.file.Path;

/**
 * Where the model to train comes from: a model folder to load (pretrained, or an imported encoder
 * whose classification head is initialised by the trainer), or a {@code config.json} and a {@code
 * tokenizer.json} to create a new model from scratch. Either way the trainer builds the model, so
 * the run's seed governs every newly initialised weight.
 *
 * @param path a model folder, or null when creating from scratch
 * @param config a {@code config.json} of an architecture on the class path (see {@code ce
 *     architectures}), or null when loading a folder
 * @param tokenizer a {@code tokenizer.json}, or null when loading a folder
 * @param numLabels the number of outputs of the classification head; 0 keeps the model's own
 */
public record ModelSource(Path path, Path config, Path tokenizer, int numLabels) {
  /** Validates that exactly one form is given. */
  public ModelSource {
    if (path != null && (config != null || tokenizer != null)) {
      throw new InvalidInputException(
          "model: give either \"path\" (a model folder) or \"config\" and \"tokenizer\" (a new"
              + " model), not both; got path '" + path + "' and config '" + config + "'");
    }
    if (path == null && (config == null || tokenizer == null)) {
      throw new InvalidInputException(
          "model: give \"path\" (a model folder) or both \"config\" (config.json) and"
              + " \"tokenizer\" (tokenizer.json); got config '" + config + "', tokenizer '"
              + tokenizer + "'");
    }
    if (numLabels < 0 || numLabels > ModelConfig.MAX_LABELS) {
      throw new InvalidInputException(
          "model.numLabels must be 0 (keep the model's) or from 1 to " + ModelConfig.MAX_LABELS + ", got " + numLabels);
    }
  }

  /**
   * A model folder to load, keeping its head.
   *
   * @param folder the folder, never null
   * @return the source, never null
   */
  public static ModelSource folder(Path folder) {
    return new ModelSource(folder, null, null, 0);
  }

  /**
   * A new model created from a configuration and a tokenizer.
   *
   * @param configJson a {@code config.json} of an architecture on the class path, never null
   * @param tokenizerJson a {@code tokenizer.json}, never null
   * @return the source, never null
   */
  public static ModelSource fromScratch(Path configJson, Path tokenizerJson) {
    return new ModelSource(null, configJson, tokenizerJson, 0);
  }

  /**
   * This source with another head size.
   *
   * @param n 0 to keep the model's, or the number of outputs
   * @return a new source, never null
   */
  public ModelSource withNumLabels(int n) {
    return new ModelSource(path, config, tokenizer, n);
  }

  /**
   * Whether the model is created from scratch rather than loaded.
   *
   * @return true when {@link #config()} and {@link #tokenizer()} are set
   */
  public boolean isFromScratch() {
    return path == null;
  }
}
