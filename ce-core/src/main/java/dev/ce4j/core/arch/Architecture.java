package dev.ce4j.core.arch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.WeightInit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * A model architecture: one family of Hugging Face {@code *ForSequenceClassification} models, such
 * as BERT. The extension point through which {@code ce} learns a new {@code model_type}: an
 * implementation registered with {@code @AutoService(Architecture.class)} (or a {@code
 * META-INF/services/dev.ce4j.core.arch.Architecture} file) on the class path is found by {@link
 * Architectures}, and every model folder whose {@code config.json} names one of its {@link
 * #modelTypes()} then loads, scores, trains, saves, replays and resumes through it.
 *
 * <p>What an architecture says, and what {@code ce} does with it generically:
 *
 * <ul>
 *   <li>its configuration ({@link #parseConfig}, {@link #writeConfig}): the keys of {@code
 *       config.json} besides the shared ones ({@link ClassifierSettings});
 *   <li>its tensors by their exact Hugging Face names and shapes, in transformers' order ({@link
 *       #tensorShapes}): loading, saving, fingerprints and optimiser state are keyed by them;
 *   <li>which tensors form the classification head ({@link #isHead}, {@link #isOutputLayer}): a
 *       model folder without them gets a seeded new head, and a new number of labels re-initialises
 *       the output layer;
 *   <li>seeded initialisation as transformers initialises the model ({@link #initialTensor});
 *   <li>the forward pass ({@link #classifier}), and optionally a faster one for scoring ({@link
 *       #scoringPass});
 *   <li>which weights take no weight decay ({@link #isNoDecay}).
 * </ul>
 *
 * <p>Implementations must be stateless and thread-safe, with a public no-argument constructor that
 * does no I/O and loads no native code.
 */
public interface Architecture {
  /**
   * The stable id, lowercase, such as {@code bert} or {@code roberta}.
   *
   * @return the id, never null
   */
  String id();

  /**
   * The {@code model_type} values of {@code config.json} this architecture serves.
   *
   * @return at least one, never null
   */
  List<String> modelTypes();

  /**
   * A one-line description, such as the transformers class it computes.
   *
   * @return the description, never null
   */
  default String description() {
    return "";
  }

  /**
   * Reads the architecture's keys of a {@code config.json}.
   *
   * @param config the whole file as a JSON object, never null
   * @param settings what was read of the shared keys, never null
   * @param source the file, for messages, never null
   * @return the configuration, never null
   * @throws dev.ce4j.api.InvalidInputException naming {@code source} and the key if a key is
   *     missing, of the wrong type or out of range, or the keys contradict each other
   */
  ModelConfig parseConfig(JsonNode config, ClassifierSettings settings, String source);

  /**
   * Writes the architecture's keys into a {@code config.json} object ({@code model_type} and
   * {@code architectures} included; the shared keys are written by the caller).
   *
   * @param config a configuration of this architecture, never null
   * @param json the object to write into, never null
   */
  void writeConfig(ModelConfig config, ObjectNode json);

  /**
   * Every weight tensor of a model of this configuration: its Hugging Face name and shape, in the
   * order transformers declares them.
   *
   * @param config a configuration of this architecture, never null
   * @return name to shape, never null
   */
  LinkedHashMap<String, long[]> tensorShapes(ModelConfig config);

  /**
   * Whether a name stored in {@code model.safetensors} is not a weight (a buffer transformers
   * saves, such as {@code position_ids}) and is skipped when reading.
   *
   * @param name a stored tensor name, never null
   * @return true to skip it
   */
  default boolean isIgnoredBuffer(String name) {
    return false;
  }

  /**
   * Whether a stored name is skipped when reading weights for a given configuration: {@link
   * #isIgnoredBuffer(String)}, and what transformers leaves unused for that configuration (such as a
   * position table a configuration without absolute positions does not read, which transformers
   * loads with a warning and ignores).
   *
   * @param name a stored tensor name, never null
   * @param config the configuration the weights are read for, never null
   * @return true to skip it
   */
  default boolean isIgnoredBuffer(String name, ModelConfig config) {
    return isIgnoredBuffer(name);
  }

  /**
   * Whether a tensor belongs to the classification head on top of the pretrained body: a model
   * folder that lacks head tensors (an encoder exported alone) gets them initialised from the seed.
   *
   * @param name a tensor name of {@link #tensorShapes}, never null
   * @return true for head tensors
   */
  boolean isHead(String name);

  /**
   * Whether a tensor is the head's output layer, whose shape depends on the number of labels: it
   * is re-initialised when a run asks for another number of labels.
   *
   * @param name a tensor name of {@link #tensorShapes}, never null
   * @return true for the output layer's tensors
   */
  boolean isOutputLayer(String name);

  /**
   * The seeded initial value of one tensor, as transformers initialises this model (the
   * distribution; the draws are {@code ce}'s own, see {@link dev.ce4j.core.model.WeightInit}). The
   * seed alone determines it, bit for bit.
   *
   * @param config a configuration of this architecture, never null
   * @param name a tensor name of {@link #tensorShapes}, never null
   * @param seed the seed, any long
   * @return the tensor, of the shape {@link #tensorShapes} gives, never null
   * @throws IllegalArgumentException if the configuration has no such tensor
   */
  FloatTensor initialTensor(ModelConfig config, String name, long seed);

  /**
   * Fills a {@code tokenizer_config.json} that {@code ce} writes because the model's tokenizer
   * files had none: what transformers needs to pick the right tokenizer class. The caller sets
   * {@code model_max_length}. By default nothing is added (transformers then goes by {@code
   * config.json}'s {@code model_type}).
   *
   * @param tokenizerJson the model's {@code tokenizer.json}, never null
   * @param tokenizerConfig the object to fill, never null
   */
  default void writeTokenizerConfig(JsonNode tokenizerJson, ObjectNode tokenizerConfig) {
    // nothing by default
  }

  /**
   * Whether AdamW leaves a tensor out of weight decay (transformers' default: biases and
   * normalisation weights, named {@code LayerNorm.} or {@code layer_norm}).
   *
   * @param name a tensor name of {@link #tensorShapes}, never null
   * @return true for no decay
   */
  default boolean isNoDecay(String name) {
    return name.endsWith(".bias") || name.contains("LayerNorm.") || name.contains("layer_norm");
  }

  /**
   * The forward pass over a model's weights.
   *
   * @param weights weights of a configuration of this architecture, never null
   * @return the pass, never null
   */
  SequenceClassifier classifier(ModelWeights weights);

  /**
   * A faster pass for scoring, compiled for these weights, or empty to score with {@link
   * #classifier}.
   *
   * @param weights weights of a configuration of this architecture, never null
   * @param onednn whether oneDNN products on reordered weights may be used (the CPU), which the
   *     pass should check for the model's shapes and refuse where they are wrong
   * @return the pass, or empty
   * @throws IllegalStateException if compiling fails (the caller reports it and how to score
   *     without the pass)
   */
  default Optional<ScoringPass> scoringPass(ModelWeights weights, boolean onednn) {
    return Optional.empty();
  }

  /**
   * A scoring pass whose linear layers compute in a reduced number format (int8 or bfloat16), made
   * from these float32 weights; empty when this family has none (the caller then refuses the
   * precision, naming the family).
   *
   * @param weights weights of a configuration of this architecture, on the CPU, never null
   * @param precision {@link dev.ce4j.core.CrossEncoderOptions.Precision#INT8} or {@link
   *     dev.ce4j.core.CrossEncoderOptions.Precision#BF16}, never null
   * @return the pass, or empty
   * @throws IllegalStateException if libtorch cannot compile or run it (no quantized engine, say)
   */
  default Optional<ScoringPass> reducedPrecisionPass(
      ModelWeights weights, dev.ce4j.core.CrossEncoderOptions.Precision precision) {
    return Optional.empty();
  }
}
