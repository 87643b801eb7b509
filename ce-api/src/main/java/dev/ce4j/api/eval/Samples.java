package dev.ce4j.api.eval;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled text pairs that a model must score before an {@link Evaluator} can read them: the
 * evaluation data of a training run.
 *
 * <p>Each implementation turns itself into the matching {@link Predictions} with
 * {@link #predict(PairScorer)}. Immutable and thread-safe.
 */
public sealed interface Samples {

  /**
   * Scores every pair with {@code scorer} and pairs the scores with the labels.
   *
   * @param scorer the model, never null
   * @return predictions of this samples' {@link #kind()}, never null
   * @throws InvalidInputException if the scorer returns the wrong number of rows or outputs
   */
  Predictions predict(PairScorer scorer);

  /**
   * The kind of predictions {@link #predict(PairScorer)} returns.
   *
   * @return the kind, never null
   */
  InputKind kind();

  /**
   * Pairs with one numeric label each; the scorer must give one output per pair.
   *
   * @param pairs the pairs, never null
   * @param labels one label per pair, never null
   */
  record Pointwise(List<TextPair> pairs, double[] labels) implements Samples {
    /** Validates and copies. */
    public Pointwise {
      pairs = List.copyOf(pairs);
      labels = Checks.finiteCopy(labels, "labels");
      Checks.sameLength(pairs.size(), labels.length, "pairs", "labels");
    }

    @Override
    public double[] labels() {
      return labels.clone();
    }

    @Override
    public Predictions predict(PairScorer scorer) {
      double[][] out = scoreAll(scorer, pairs, 1);
      double[] scores = new double[out.length];
      for (int i = 0; i < out.length; i++) {
        scores[i] = out[i][0];
      }
      return new PointwisePredictions(scores, labels);
    }

    @Override
    public InputKind kind() {
      return InputKind.POINTWISE;
    }
  }

  /**
   * Pairs with one class index each; the scorer gives one output per class.
   *
   * @param pairs the pairs, never null
   * @param labels one class index per pair, never null
   */
  record Multiclass(List<TextPair> pairs, int[] labels) implements Samples {
    /** Validates and copies. */
    public Multiclass {
      pairs = List.copyOf(pairs);
      labels = Objects.requireNonNull(labels, "labels").clone();
      Checks.sameLength(pairs.size(), labels.length, "pairs", "labels");
    }

    @Override
    public int[] labels() {
      return labels.clone();
    }

    @Override
    public Predictions predict(PairScorer scorer) {
      return new MulticlassPredictions(scoreAll(scorer, pairs, -1), labels);
    }

    @Override
    public InputKind kind() {
      return InputKind.MULTICLASS;
    }
  }

  /**
   * Pairs with a 0/1 indicator per label; the scorer gives one output per label.
   *
   * @param pairs the pairs, never null
   * @param labels one indicator row per pair, never null
   */
  record Multilabel(List<TextPair> pairs, int[][] labels) implements Samples {
    /** Validates and copies. */
    public Multilabel {
      pairs = List.copyOf(pairs);
      labels = Checks.deepCopy(Objects.requireNonNull(labels, "labels"));
      Checks.sameLength(pairs.size(), labels.length, "pairs", "labels");
    }

    @Override
    public int[][] labels() {
      return Checks.deepCopy(labels);
    }

    @Override
    public Predictions predict(PairScorer scorer) {
      return new MultilabelPredictions(scoreAll(scorer, pairs, -1), labels);
    }

    @Override
    public InputKind kind() {
      return InputKind.MULTILABEL;
    }
  }

  /**
   * Queries, each with candidate documents and graded relevance labels; the scorer gives one
   * output per (query, document) pair.
   *
   * @param queries the queries, never null
   */
  record Ranking(List<RankingQuery> queries) implements Samples {
    /** Copies the list. */
    public Ranking {
      queries = List.copyOf(queries);
    }

    @Override
    public Predictions predict(PairScorer scorer) {
      List<TextPair> pairs = new ArrayList<>();
      for (RankingQuery q : queries) {
        for (String doc : q.documents()) {
          pairs.add(new TextPair(q.query(), doc));
        }
      }
      double[][] out = scoreAll(scorer, pairs, 1);
      List<RankingPredictions.Query> result = new ArrayList<>(queries.size());
      int k = 0;
      for (RankingQuery q : queries) {
        double[] scores = new double[q.documents().size()];
        for (int i = 0; i < scores.length; i++) {
          scores[i] = out[k++][0];
        }
        result.add(new RankingPredictions.Query(q.id(), scores, q.labels()));
      }
      return new RankingPredictions(result);
    }

    @Override
    public InputKind kind() {
      return InputKind.RANKING;
    }
  }

  /**
   * One query of {@link Ranking} samples.
   *
   * @param id a stable id, never null
   * @param query the query text, never null
   * @param documents the candidate documents, never null
   * @param labels one relevance grade {@code >= 0} per document, never null
   */
  record RankingQuery(String id, String query, List<String> documents, double[] labels) {
    /** Validates and copies. */
    public RankingQuery {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(query, "query");
      documents = List.copyOf(documents);
      labels = Checks.finiteCopy(labels, "labels of query '" + id + "'");
      Checks.sameLength(documents.size(), labels.length, "documents of query '" + id + "'", "its labels");
    }

    @Override
    public double[] labels() {
      return labels.clone();
    }
  }

  private static double[][] scoreAll(PairScorer scorer, List<TextPair> pairs, int width) {
    Objects.requireNonNull(scorer, "scorer");
    double[][] out = scorer.score(pairs);
    if (out == null) {
      throw new InvalidInputException("the scorer returned null for " + pairs.size() + " pairs");
    }
    if (out.length != pairs.size()) {
      throw new InvalidInputException(
          "the scorer returned " + out.length + " rows for " + pairs.size() + " pairs");
    }
    if (width > 0) {
      for (int i = 0; i < out.length; i++) {
        if (out[i] == null || out[i].length != width) {
          throw new InvalidInputException(
              "the scorer returned " + (out[i] == null ? 0 : out[i].length) + " outputs for pair " + i
                  + " but this evaluation needs exactly " + width
                  + "; use a model with num_labels=" + width);
        }
      }
    }
    return out;
  }
}
