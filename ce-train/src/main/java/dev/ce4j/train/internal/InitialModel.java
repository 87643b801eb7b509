package dev.ce4j.train.internal;

import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
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
   * {@code weightSeed}, or a model folder whose missing head tensors (the architecture's {@link
   * Architecture#isHead}, for BERT {@code bert.pooler.*} and {@code classifier.*}) are initialised
   * from {@code weightSeed}; with {@link ModelSource#numLabels()} set and different from the
   * folder's, the head's output layer is re-initialised for that many labels.
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
      ModelConfig config = ConfigJson.read(source.config());
      if (source.numLabels() > 0 && source.numLabels() != config.numLabels()) {
        config = config.withNumLabels(source.numLabels());
      }
      TokenizerFiles tokenizer = TokenizerFiles.of(source.tokenizer());
      tokenizer.checkFits(config, source.config().toString());
      return CrossEncoder.fromWeights(config, WeightInit.initialWeights(config, weightSeed), tokenizer, options);
    }
    Path folder = source.path();
    ModelConfig config = ModelFolder.readConfig(folder);
    Architecture arch = config.architecture();
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, config);
    boolean newHead = source.numLabels() > 0 && source.numLabels() != config.numLabels();
    if (newHead) {
      config = config.withNumLabels(source.numLabels());
    }
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    Map<String, long[]> expected = arch.tensorShapes(config);
    for (String name : expected.keySet()) {
      FloatTensor t = stored.get(name);
      if (t == null && arch.isHead(name) || newHead && arch.isOutputLayer(name)) {
        t = WeightInit.initialTensor(config, name, weightSeed);
      }
      if (t != null) {
        weights.put(name, t);
      }
    }
    Map<String, long[]> shapes = new HashMap<>();
    weights.forEach((k, v) -> shapes.put(k, v.shape()));
    ModelWeights.checkShapes(expected, shapes, ModelFolder.weightsFile(folder).toString());
    return CrossEncoder.fromWeights(config, weights, TokenizerFiles.fromFolder(folder), options);
  }
}
