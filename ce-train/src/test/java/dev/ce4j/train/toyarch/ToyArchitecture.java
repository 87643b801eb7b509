package dev.ce4j.train.toyarch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ClassifierSettings;
import dev.ce4j.core.arch.ConfigKeys;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * An architecture defined outside {@code ce-core}, registered only on this module's test class path
 * ({@code META-INF/services}), to prove the seam: a bag-of-words classifier (the mean of the
 * tokens' embeddings, then a linear layer) with {@code model_type} {@code toy-bow}, no token types
 * and no faster scoring pass. Stateless.
 */
public class ToyArchitecture implements Architecture {
  /** The model type it serves. */
  public static final String MODEL_TYPE = "toy-bow";

  static final String EMBEDDING = "toy.embeddings.weight";

  /** Creates it; ServiceLoader calls this. */
  public ToyArchitecture() {
    // stateless
  }

  @Override
  public String id() {
    return "toy";
  }

  @Override
  public List<String> modelTypes() {
    return List.of(MODEL_TYPE);
  }

  @Override
  public String description() {
    return "a bag-of-words test architecture";
  }

  @Override
  public ModelConfig parseConfig(JsonNode config, ClassifierSettings settings, String source) {
    ConfigKeys keys = new ConfigKeys(config, source);
    int positions = keys.integer("max_position_embeddings", 64);
    try {
      return new ToyConfig(
          keys.requiredInt("vocab_size"), keys.requiredInt("hidden_size"), positions,
          keys.integer("pad_token_id", 0), keys.number("initializer_range", 0.02), settings.labels(),
          settings.effectiveActivation(), settings.effectiveMaxLength(positions));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void writeConfig(ModelConfig modelConfig, ObjectNode json) {
    ToyConfig c = (ToyConfig) modelConfig;
    json.put("model_type", MODEL_TYPE);
    json.put("vocab_size", c.vocabSize());
    json.put("hidden_size", c.hiddenSize());
    json.put("max_position_embeddings", c.maxPositions());
    json.put("pad_token_id", c.padTokenId());
    json.put("initializer_range", c.initializerRange());
  }

  @Override
  public LinkedHashMap<String, long[]> tensorShapes(ModelConfig modelConfig) {
    ToyConfig c = (ToyConfig) modelConfig;
    LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
    s.put(EMBEDDING, new long[] {c.vocabSize(), c.hiddenSize()});
    s.put("classifier.weight", new long[] {c.numLabels(), c.hiddenSize()});
    s.put("classifier.bias", new long[] {c.numLabels()});
    return s;
  }

  @Override
  public boolean isHead(String name) {
    return name.startsWith("classifier.");
  }

  @Override
  public boolean isOutputLayer(String name) {
    return name.startsWith("classifier.");
  }

  @Override
  public FloatTensor initialTensor(ModelConfig config, String name, long seed) {
    long[] shape = tensorShapes(config).get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "'");
    }
    return name.endsWith(".bias") ? WeightInit.filled(shape, 0f) : WeightInit.normal(name, shape, config.initializerRange(), seed);
  }

  @Override
  public SequenceClassifier classifier(ModelWeights weights) {
    return new SequenceClassifier() {
      @Override
      public NDArray logits(ModelInputs inputs, boolean training) {
        NDArray emb = Embedding.embedding(inputs.inputIds(), weights.get(EMBEDDING), SparseFormat.DENSE).singletonOrThrow();
        NDArray mask = inputs.attentionMask().toType(DataType.FLOAT32, false).expandDims(2);
        NDArray mean = emb.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));
        return Linear.linear(mean, weights.get("classifier.weight"), weights.get("classifier.bias")).singletonOrThrow();
      }

      @Override
      public ModelWeights weights() {
        return weights;
      }
    };
  }
}
