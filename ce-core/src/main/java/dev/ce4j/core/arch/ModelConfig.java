package dev.ce4j.core.arch;

import dev.ce4j.core.model.ScoreActivation;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration of a cross-encoder model: what every {@link Architecture} shares (the
 * classifier's labels, the score activation, the maximum length, the vocabulary and the sizes that
 * bound it), read from and written to a Hugging Face {@code config.json}. Each architecture has its
 * own record with its own fields besides these.
 *
 * <p>Implementations are immutable and thread-safe, validate every field on construction, and
 * compare by value.
 */
public interface ModelConfig {
  /** The most labels (classifier outputs) {@code ce} supports. */
  int MAX_LABELS = 1 << 20;

  /**
   * The architecture this configuration belongs to.
   *
   * @return the architecture, never null
   */
  Architecture architecture();

  /**
   * The {@code model_type} of {@code config.json}, such as {@code bert} or {@code xlm-roberta}.
   *
   * @return the type, one of {@link Architecture#modelTypes()}, never null
   */
  String modelType();

  /**
   * The number of token ids the word embedding has rows for.
   *
   * @return {@code vocab_size}, at least 1
   */
  int vocabSize();

  /**
   * The number of token type (segment) ids the model embeds.
   *
   * @return {@code type_vocab_size}, at least 1; 0 when the model has no token type embedding and
   *     ignores type ids (DistilBERT)
   */
  int typeVocabSize();

  /**
   * The id written in padded positions.
   *
   * @return {@code pad_token_id}, at least 0
   */
  int padTokenId();

  /**
   * The longest token sequence the model's positions allow: {@code max_position_embeddings} for
   * BERT, two fewer for RoBERTa (whose positions start after the padding index).
   *
   * @return the length, at least 4
   */
  int maxPositions();

  /**
   * The classifier's labels, in output order.
   *
   * @return an unmodifiable list of at least one name, never null
   */
  List<String> labels();

  /**
   * The number of classifier outputs.
   *
   * @return {@code labels().size()}, at least 1
   */
  default int numLabels() {
    return labels().size();
  }

  /**
   * The function applied to logits to give scores.
   *
   * @return the activation, never null
   */
  ScoreActivation activation();

  /**
   * The longest token sequence fed to the model; longer pairs are truncated.
   *
   * <p>The tokenizer may need more than 4: a pair needs one token more than the special tokens it
   * adds ({@code PairTokenizer.specialTokens()}), 5 for RoBERTa.
   *
   * @return the length, from 4 to {@link #maxPositions()}
   */
  int maxLength();

  /**
   * The standard deviation of newly initialised weights.
   *
   * @return {@code initializer_range}, positive
   */
  double initializerRange();

  /**
   * The number of weights of a model of this configuration (every tensor of {@link
   * Architecture#tensorShapes}).
   *
   * @return the count, exact
   */
  long parameterCount();

  /**
   * A one-line summary, such as {@code 6 layers, hidden 384, 12 heads}.
   *
   * @return the summary, never null
   */
  String describeSizes();

  /**
   * A copy with other labels (a new classifier), keeping everything else, the activation included.
   *
   * @param labels the labels, at least one, never null
   * @return the copy, never null
   * @throws IllegalArgumentException if there are none or more than {@link #MAX_LABELS}
   */
  ModelConfig withLabels(List<String> labels);

  /**
   * A copy with {@code numLabels} labels named as transformers names them ({@code LABEL_0}, ...).
   *
   * @param numLabels the number of outputs, from 1 to {@link #MAX_LABELS}
   * @return the copy, never null
   * @throws IllegalArgumentException if {@code numLabels} is out of range
   */
  default ModelConfig withNumLabels(int numLabels) {
    return withLabels(defaultLabels(numLabels));
  }

  /**
   * A copy with another score activation.
   *
   * @param activation the activation, never null
   * @return the copy, never null
   */
  ModelConfig withActivation(ScoreActivation activation);

  /**
   * A copy with another maximum length.
   *
   * @param maxLength the length, from 4 to {@link #maxPositions()}
   * @return the copy, never null
   * @throws IllegalArgumentException if the length is out of range
   */
  ModelConfig withMaxLength(int maxLength);

  /**
   * The labels transformers gives a classifier of {@code numLabels} outputs: {@code LABEL_0}, ...
   *
   * @param numLabels the number of outputs, from 1 to {@link #MAX_LABELS}
   * @return the labels, never null
   * @throws IllegalArgumentException if {@code numLabels} is out of range
   */
  static List<String> defaultLabels(int numLabels) {
    if (numLabels < 1) {
      throw new IllegalArgumentException("num_labels must be at least 1, got " + numLabels);
    }
    if (numLabels > MAX_LABELS) {
      throw new IllegalArgumentException(
          "num_labels " + numLabels + " is more than ce supports (at most " + MAX_LABELS + ")");
    }
    List<String> l = new ArrayList<>(numLabels);
    for (int i = 0; i < numLabels; i++) {
      l.add("LABEL_" + i);
    }
    return List.copyOf(l);
  }
}
