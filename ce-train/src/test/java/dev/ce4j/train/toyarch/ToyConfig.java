package dev.ce4j.train.toyarch;

import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.ScoreActivation;
import java.util.List;
import java.util.Objects;

/**
 * The configuration of {@link ToyArchitecture}: a bag of word embeddings and a linear classifier.
 *
 * @param vocabSize rows of the word embedding
 * @param hiddenSize width of the word embedding
 * @param maxPositions the longest sequence
 * @param padTokenId the padding id
 * @param initializerRange standard deviation of new weights
 * @param labels the labels
 * @param activation the score activation
 * @param maxLength the maximum length
 */
record ToyConfig(
    int vocabSize, int hiddenSize, int maxPositions, int padTokenId, double initializerRange,
    List<String> labels, ScoreActivation activation, int maxLength) implements ModelConfig {

  ToyConfig {
    labels = List.copyOf(labels);
    Objects.requireNonNull(activation, "activation");
    if (vocabSize < 1 || hiddenSize < 1) {
      throw new IllegalArgumentException("vocab_size and hidden_size must be at least 1");
    }
    if (maxLength < 4 || maxLength > maxPositions) {
      throw new IllegalArgumentException("max_length " + maxLength + " must be between 4 and " + maxPositions);
    }
  }

  @Override
  public Architecture architecture() {
    return new ToyArchitecture();
  }

  @Override
  public String modelType() {
    return ToyArchitecture.MODEL_TYPE;
  }

  @Override
  public int typeVocabSize() {
    return 0;
  }

  @Override
  public long parameterCount() {
    return (long) vocabSize * hiddenSize + (long) numLabels() * hiddenSize + numLabels();
  }

  @Override
  public String describeSizes() {
    return "bag of words, hidden " + hiddenSize;
  }

  @Override
  public ToyConfig withLabels(List<String> newLabels) {
    return new ToyConfig(vocabSize, hiddenSize, maxPositions, padTokenId, initializerRange, newLabels, activation, maxLength);
  }

  @Override
  public ToyConfig withActivation(ScoreActivation newActivation) {
    return new ToyConfig(vocabSize, hiddenSize, maxPositions, padTokenId, initializerRange, labels, newActivation, maxLength);
  }

  @Override
  public ToyConfig withMaxLength(int newMaxLength) {
    return new ToyConfig(vocabSize, hiddenSize, maxPositions, padTokenId, initializerRange, labels, activation, newMaxLength);
  }
}
