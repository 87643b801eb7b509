package dev.ce4j.core.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT encoder read from an ONNX file: its architecture and its weights under Hugging Face {@code
 * BertForSequenceClassification} names.
 *
 * <p>Immutable and thread-safe.
 *
 * @param config the architecture recovered from the graph, never null
 * @param tensors the weights by Hugging Face name ({@code bert.embeddings.word_embeddings.weight},
 *     {@code bert.encoder.layer.0.attention.self.query.weight}, ...), in the order of a Hugging
 *     Face state dict, never null; includes {@code bert.pooler.dense.weight} and {@code
 *     bert.pooler.dense.bias} only when the ONNX graph computes the pooler; each tensor's name
 *     equals its key
 * @param ignoredInitializers the names of ONNX initializers that are not encoder weights and were
 *     left out (for example the {@code position_ids} buffer or a task head), never null
 * @param producer the exporter that wrote the file, as {@code producer_name producer_version},
 *     never null (empty when the file does not say)
 */
public record ImportedBert(
    ImportedBertConfig config,
    Map<String, NamedTensor> tensors,
    List<String> ignoredInitializers,
    String producer) {

  /** The prefix of every encoder tensor name in {@code BertForSequenceClassification}. */
  public static final String PREFIX = "bert.";

  /** The Hugging Face name of the pooler's dense weight. */
  public static final String POOLER_WEIGHT = PREFIX + "pooler.dense.weight";

  /** The Hugging Face name of the pooler's dense bias. */
  public static final String POOLER_BIAS = PREFIX + "pooler.dense.bias";

  /** Validates that every key names its tensor and copies the collections. */
  public ImportedBert {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(ignoredInitializers, "ignoredInitializers");
    Objects.requireNonNull(producer, "producer");
    for (Map.Entry<String, NamedTensor> e : tensors.entrySet()) {
      if (!e.getKey().equals(e.getValue().name())) {
        throw new IllegalArgumentException(
            "key '" + e.getKey() + "' holds tensor '" + e.getValue().name() + "'");
      }
    }
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    ignoredInitializers = List.copyOf(ignoredInitializers);
  }

  /**
   * Whether the ONNX graph carried the pooler ({@code tanh(dense([CLS]))}); exports of a bare
   * encoder that only output {@code last_hidden_state} usually do not.
   *
   * @return true when {@link #tensors()} holds both pooler tensors
   */
  public boolean hasPooler() {
    return tensors.containsKey(POOLER_WEIGHT) && tensors.containsKey(POOLER_BIAS);
  }

  /**
   * One tensor by its Hugging Face name.
   *
   * @param name for example {@code bert.embeddings.LayerNorm.weight}, never null
   * @return the tensor, never null
   * @throws IllegalArgumentException when there is no tensor of that name
   */
  public NamedTensor tensor(String name) {
    NamedTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no imported tensor named '" + name + "'");
    }
    return t;
  }
}
