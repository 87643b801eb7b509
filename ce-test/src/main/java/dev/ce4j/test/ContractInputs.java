package dev.ce4j.test;

import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Ready-made {@link Predictions} for {@link EvaluatorContractTest}: an empty input of each kind,
 * a seeded "typical" input of each kind, and deep copies.
 *
 * <p>Typical inputs are small (24 samples, or 6 queries of 5 documents), use scores in (0, 1)
 * that lean towards the true label without separating it, and contain every class: both binary
 * labels, every class index, a 0 and a 1 in every label column, and in every query at least one
 * relevant and one irrelevant document. The same seed gives the same input on every JVM.
 * Stateless and thread-safe.
 */
public final class ContractInputs {
  private static final int SAMPLES = 24;
  private static final int CLASSES = 3;
  private static final int LABELS = 4;
  private static final int QUERIES = 6;
  private static final int DOCUMENTS = 5;

  private ContractInputs() {}

  /**
   * Valid predictions of a kind with no samples (no queries for {@link InputKind#RANKING}).
   *
   * @param kind the kind, never null
   * @return new empty predictions of that kind, never null
   */
  public static Predictions empty(InputKind kind) {
    Objects.requireNonNull(kind, "kind");
    switch (kind) {
      case POINTWISE:
        return new PointwisePredictions(new double[0], new double[0]);
      case MULTICLASS:
        return new MulticlassPredictions(new double[0][], new int[0]);
      case MULTILABEL:
        return new MultilabelPredictions(new double[0][], new int[0][]);
      case RANKING:
        return new RankingPredictions(List.of());
      default:
        throw new IllegalArgumentException("unknown input kind " + kind);
    }
  }

  /**
   * Seeded, realistic predictions of a kind: binary 0/1 labels for {@link InputKind#POINTWISE},
   * 3 classes for {@link InputKind#MULTICLASS}, 4 labels for {@link InputKind#MULTILABEL} and
   * relevance grades 0 to 2 for {@link InputKind#RANKING}.
   *
   * @param kind the kind, never null
   * @param seed the seed; equal seeds give equal predictions
   * @return new predictions of that kind, never null
   */
  public static Predictions typical(InputKind kind, long seed) {
    Objects.requireNonNull(kind, "kind");
    SplittableRandom random = new SplittableRandom(seed);
    switch (kind) {
      case POINTWISE:
        return typicalPointwise(random);
      case MULTICLASS:
        return typicalMulticlass(random);
      case MULTILABEL:
        return typicalMultilabel(random);
      case RANKING:
        return typicalRanking(random);
      default:
        throw new IllegalArgumentException("unknown input kind " + kind);
    }
  }

  /**
   * A deep copy of predictions: equal to the original and sharing no array with it.
   *
   * @param predictions the predictions, never null
   * @return a new, equal instance, never null
   */
  public static Predictions copyOf(Predictions predictions) {
    Objects.requireNonNull(predictions, "predictions");
    // Every accessor of the ce-api records already returns a fresh copy.
    if (predictions instanceof PointwisePredictions p) {
      return new PointwisePredictions(p.scores(), p.labels());
    }
    if (predictions instanceof MulticlassPredictions p) {
      return new MulticlassPredictions(p.scores(), p.labels());
    }
    if (predictions instanceof MultilabelPredictions p) {
      return new MultilabelPredictions(p.scores(), p.labels());
    }
    RankingPredictions r = (RankingPredictions) predictions;
    List<RankingPredictions.Query> queries = new ArrayList<>(r.queries().size());
    for (RankingPredictions.Query q : r.queries()) {
      queries.add(new RankingPredictions.Query(q.id(), q.scores(), q.labels()));
    }
    return new RankingPredictions(queries);
  }

  private static double lean(SplittableRandom random, double label) {
    return 0.3 * label + 0.7 * random.nextDouble();
  }

  private static Predictions typicalPointwise(SplittableRandom random) {
    double[] scores = new double[SAMPLES];
    double[] labels = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      labels[i] = i < 2 ? i : random.nextInt(2);
      scores[i] = lean(random, labels[i]);
    }
    return new PointwisePredictions(scores, labels);
  }

  private static Predictions typicalMulticlass(SplittableRandom random) {
    double[][] scores = new double[SAMPLES][CLASSES];
    int[] labels = new int[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      labels[i] = i < CLASSES ? i : random.nextInt(CLASSES);
      for (int c = 0; c < CLASSES; c++) {
        scores[i][c] = lean(random, c == labels[i] ? 1 : 0);
      }
    }
    return new MulticlassPredictions(scores, labels);
  }

  private static Predictions typicalMultilabel(SplittableRandom random) {
    double[][] scores = new double[SAMPLES][LABELS];
    int[][] labels = new int[SAMPLES][LABELS];
    for (int i = 0; i < SAMPLES; i++) {
      for (int j = 0; j < LABELS; j++) {
        labels[i][j] = i < 2 ? i : random.nextInt(2);
        scores[i][j] = lean(random, labels[i][j]);
      }
    }
    return new MultilabelPredictions(scores, labels);
  }

  private static Predictions typicalRanking(SplittableRandom random) {
    List<RankingPredictions.Query> queries = new ArrayList<>(QUERIES);
    for (int q = 0; q < QUERIES; q++) {
      double[] scores = new double[DOCUMENTS];
      double[] labels = new double[DOCUMENTS];
      for (int d = 0; d < DOCUMENTS; d++) {
        labels[d] = d == 0 ? 1 : d == 1 ? 0 : random.nextInt(3);
        scores[d] = lean(random, labels[d]);
      }
      queries.add(new RankingPredictions.Query("q" + (q + 1), scores, labels));
    }
    return new RankingPredictions(queries);
  }
}
