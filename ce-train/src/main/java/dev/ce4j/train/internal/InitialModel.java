package dev.ce4j.train.internal;

import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.BertConfig;
import dev.ce4j.core.model.BertWeights;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.train.config.ModelSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The model a new run starts from, as its configuration describes it. Stateless and thread-safe. */
public final class InitialModel {
  private InitialModel() {}

  /**
   * Builds the model a source describes: a new model from a config and tokenizer with weights from
   * {@code weightSeed}, or a model folder whose missing head tensors ({@code bert.pooler.*}, {@code
   * classifier.*}) are initialised from {@code weightSeed}; with {@link ModelSource#numLabels()}
   * set and different from the folder's, the classifier is re-initialised for that many labels.
   *
   * @param source the configured model, never null
   * @param weightSeed the seed of every new tensor
   * @param options device and maximum length, never null
   * @return the model, to be closed, never null
   * @throws dev.ce4j.api.InvalidInputException if a file is missing or damaged, its weights are not
   *     finite, or the tokenizer does not fit the configuration, naming the file
   */
  public static CrossEncoder build(ModelSource source, long weightSeed, CrossEncoderOptions options) {
    if (source.isFromScratch()) {
      BertConfig config = ConfigJson.read(source.config());
      if (source.numLabels() > 0 && source.numLabels() != config.numLabels()) {
        config = config.toBuilder().numLabels(source.numLabels()).build();
      }
      TokenizerFiles tokenizer = TokenizerFiles.of(source.tokenizer());
      tokenizer.checkFits(config, source.config().toString());
      return CrossEncoder.fromWeights(config, WeightInit.initialWeights(config, weightSeed), tokenizer, options);
    }
    Path folder = source.path();
    BertConfig config = ModelFolder.readConfig(folder);
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder);
    boolean newHead = source.numLabels() > 0 && source.numLabels() != config.numLabels();
    if (newHead) {
      config = config.toBuilder().numLabels(source.numLabels()).build();
    }
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    Map<String, long[]> expected = BertWeights.expectedShapes(config);
    for (String name : expected.keySet()) {
      boolean head = name.startsWith("classifier.") || name.startsWith("bert.pooler.");
      FloatTensor t = stored.get(name);
      if (t == null && head || newHead && name.startsWith("classifier.")) {
        t = WeightInit.initialTensor(config, name, weightSeed);
      }
      if (t != null) {
        weights.put(name, t);
      }
    }
    Map<String, long[]> shapes = new HashMap<>();
    weights.forEach((k, v) -> shapes.put(k, v.shape()));
    BertWeights.checkShapes(expected, shapes, ModelFolder.weightsFile(folder).toString());
    return CrossEncoder.fromWeights(config, weights, TokenizerFiles.fromFolder(folder), options);
  }
}
