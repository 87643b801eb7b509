package dev.ce4j.core;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.predict.PredictActivation;
import dev.ce4j.core.predict.PredictOptions;
import dev.ce4j.core.predict.RankOptions;
import dev.ce4j.core.tokenize.EncodedPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CrossEncoder}'s scoring calls share: tokenize in chunks, sort by length, batch, run
 * the model's forward pass, check every logit, apply the activation, report progress, and rank.
 * Stateless apart from the model it serves; thread-safe as the model's scoring is.
 */
final class CrossEncoderScoring {
  /**
   * The most attention scores per head a batch may hold: 32 pairs of 512 tokens. A batch of longer
   * pairs holds fewer (a pair of 8,192 tokens is a batch of its own), so that scoring long documents
   * needs the memory of one batch's attention, not {@code batchSize} times a long pair's.
   */
  static final long MAX_BATCH_SCORES = 32L * 512 * 512;

  private final CrossEncoder model;

  CrossEncoderScoring(CrossEncoder model) {
    this.model = model;
  }

  /** {@link CrossEncoder#predict(List, PredictOptions)}. */
  double[][] predict(List<TextPair> pairs, PredictOptions options) {
    Objects.requireNonNull(pairs, "pairs");
    Objects.requireNonNull(options, "options");
    ModelConfig config = model.config();
    int c = config.numLabels();
    if (options.activation() == PredictActivation.SOFTMAX && c < 2) {
      throw new IllegalArgumentException("the softmax of a model with one output is always 1;"
          + " use SIGMOID, NONE or DEFAULT for this model");
    }
    int batchSize = options.batchSize();
    double[][] out = new double[pairs.size()][];
    // tokenize and length-sort in chunks, so that memory stays bounded for any number of pairs
    int chunk = Math.max(batchSize * 64, 4096);
    int scored = 0;
    try (PyTorch.GradScope g = PyTorch.noGrad()) {
      for (int start = 0; start < pairs.size(); start += chunk) {
        int end = Math.min(pairs.size(), start + chunk);
        List<EncodedPair> encoded = model.tokenizer().encode(pairs.subList(start, end));
        checkIds(encoded);
        Integer[] order = new Integer[encoded.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -encoded.get(i).length()));
        for (int b = 0; b < order.length; ) {
          long longest = encoded.get(order[b]).length(); // sorted longest first
          int n = (int) Math.min(Math.min(batchSize, order.length - b), Math.max(1, MAX_BATCH_SCORES / (longest * longest)));
          List<EncodedPair> batch = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            batch.add(encoded.get(order[b + i]));
          }
          float[] logits = model.forward(batch);
          checkFinite(logits, c, start, order, b, n);
          for (int i = 0; i < n; i++) {
            double[] row = new double[c];
            for (int j = 0; j < c; j++) {
              row[j] = logits[i * c + j];
            }
            out[start + order[b + i]] = options.activation().apply(row, config.activation());
          }
          scored += n;
          options.listener().onProgress(scored, pairs.size());
          b += n;
        }
      }
    }
    return out;
  }

  /** {@link CrossEncoder#predictScores(List, PredictOptions)}. */
  double[] predictScores(List<TextPair> pairs, PredictOptions options, String caller) {
    requireOneOutput(caller);
    double[][] rows = predict(pairs, options);
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][0];
    }
    return out;
  }

  /** {@link CrossEncoder#rank(String, List, RankOptions)}. */
  List<RankedDocument> rank(String query, List<String> documents, RankOptions options) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(documents, "documents");
    Objects.requireNonNull(options, "options");
    requireOneOutput("rank");
    List<TextPair> pairs = new ArrayList<>(documents.size());
    for (String d : documents) {
      pairs.add(new TextPair(query, d));
    }
    double[] scores = predictScores(pairs, options.predict(), "rank");
    List<RankedDocument> ranked = new ArrayList<>(scores.length);
    for (int i = 0; i < scores.length; i++) {
      ranked.add(new RankedDocument(i, scores[i], options.returnDocuments() ? documents.get(i) : null));
    }
    ranked.sort(Comparator.comparingDouble(RankedDocument::score).reversed().thenComparingInt(RankedDocument::index));
    return List.copyOf(ranked.subList(0, Math.min(options.topK(), ranked.size())));
  }

  private void requireOneOutput(String caller) {
    ModelConfig config = model.config();
    if (config.numLabels() != 1) {
      throw new IllegalStateException(caller + " needs a model with one output; this one has " + config.numLabels()
          + " labels " + config.labels() + ": use predict, which gives a row of scores per pair");
    }
  }

  private static void checkFinite(float[] logits, int numLabels, int start, Integer[] order, int b, int n) {
    int bad = -1;
    for (int k = 0; k < n * numLabels; k++) {
      if (!Float.isFinite(logits[k])) {
        int i = k / numLabels;
        if (bad < 0 || order[b + i] < order[b + bad]) {
          bad = i;
        }
      }
    }
    if (bad >= 0) {
      int label = 0;
      while (Float.isFinite(logits[bad * numLabels + label])) {
        label++;
      }
      throw new NonFiniteScoreException(start + order[b + bad], label, logits[bad * numLabels + label]);
    }
  }

  /** Refuses ids the model has no embedding row for, naming the tokenizer and the configuration. */
  void checkIds(List<EncodedPair> encoded) {
    ModelConfig config = model.config();
    for (EncodedPair p : encoded) {
      for (long id : p.ids()) {
        if (id < 0 || id >= config.vocabSize()) {
          throw new InvalidInputException(model.tokenizerFiles().source() + " produced token id " + id
              + ", outside vocab_size " + config.vocabSize() + " of " + model.configSource()
              + "; the tokenizer does not belong to this model");
        }
      }
      for (long t : config.typeVocabSize() == 0 ? new long[0] : p.typeIds()) {
        if (t < 0 || t >= config.typeVocabSize()) {
          throw new InvalidInputException(model.tokenizerFiles().source() + " produced token type id " + t
              + ", outside type_vocab_size " + config.typeVocabSize() + " of " + model.configSource());
        }
      }
    }
  }
}
