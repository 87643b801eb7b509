package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamplesTest {
  private static final List<TextPair> PAIRS = List.of(TextPair.of("q", "a"), TextPair.of("q", "b"));

  /** Scores a pair by the length of its document, with {@code width} outputs; records calls. */
  private static final class LengthScorer implements PairScorer {
    private final int width;
    private final List<TextPair> seen = new ArrayList<>();

    LengthScorer(int width) {
      this.width = width;
    }

    @Override
    public double[][] score(List<TextPair> pairs) {
      seen.addAll(pairs);
      double[][] out = new double[pairs.size()][width];
      for (int i = 0; i < pairs.size(); i++) {
        for (int j = 0; j < width; j++) {
          out[i][j] = pairs.get(i).document().length() + j;
        }
      }
      return out;
    }
  }

  @Test
  void pointwiseScoresEveryPairInOrder() {
    LengthScorer scorer = new LengthScorer(1);
    Samples samples = new Samples.Pointwise(List.of(TextPair.of("q", "aaa"), TextPair.of("q", "b")), new double[] {1, 0});
    Predictions p = samples.predict(scorer);
    assertThat(p).isEqualTo(new PointwisePredictions(new double[] {3, 1}, new double[] {1, 0}));
    assertThat(scorer.seen).containsExactly(TextPair.of("q", "aaa"), TextPair.of("q", "b"));
    assertThat(samples.kind()).isEqualTo(InputKind.POINTWISE).isEqualTo(p.kind());
  }

  @Test
  void multiclassUsesEveryOutputAsAClassScore() {
    Samples samples = new Samples.Multiclass(PAIRS, new int[] {2, 0});
    assertThat(samples.predict(new LengthScorer(3)))
        .isEqualTo(new MulticlassPredictions(new double[][] {{1, 2, 3}, {1, 2, 3}}, new int[] {2, 0}));
    assertThat(samples.kind()).isEqualTo(InputKind.MULTICLASS);
  }

  @Test
  void multilabelUsesEveryOutputAsALabelScore() {
    Samples samples = new Samples.Multilabel(PAIRS, new int[][] {{1, 0}, {0, 1}});
    assertThat(samples.predict(new LengthScorer(2)))
        .isEqualTo(new MultilabelPredictions(new double[][] {{1, 2}, {1, 2}}, new int[][] {{1, 0}, {0, 1}}));
    assertThat(samples.kind()).isEqualTo(InputKind.MULTILABEL);
  }

  @Test
  void rankingScoresEveryQueryDocumentPairAndRegroupsThem() {
    LengthScorer scorer = new LengthScorer(1);
    Samples samples = new Samples.Ranking(List.of(
        new Samples.RankingQuery("q1", "first", List.of("aa", "b"), new double[] {2, 0}),
        new Samples.RankingQuery("q2", "second", List.of("cccc"), new double[] {1})));
    Predictions p = samples.predict(scorer);
    assertThat(p).isEqualTo(new RankingPredictions(List.of(
        new RankingPredictions.Query("q1", new double[] {2, 1}, new double[] {2, 0}),
        new RankingPredictions.Query("q2", new double[] {4}, new double[] {1}))));
    assertThat(scorer.seen).containsExactly(
        TextPair.of("first", "aa"), TextPair.of("first", "b"), TextPair.of("second", "cccc"));
    assertThat(samples.kind()).isEqualTo(InputKind.RANKING);
  }

  static Stream<Arguments> everyKind() {
    return Stream.of(
        Arguments.of(new Samples.Pointwise(PAIRS, new double[] {1, 0})),
        Arguments.of(new Samples.Multiclass(PAIRS, new int[] {0, 1})),
        Arguments.of(new Samples.Multilabel(PAIRS, new int[][] {{0, 1}, {1, 0}})),
        Arguments.of(new Samples.Ranking(List.of(new Samples.RankingQuery("q", "q", List.of("a", "b"), new double[] {1, 0})))));
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void tooFewRowsFromTheScorerAreRejected(Samples samples) {
    PairScorer oneRow = pairs -> new double[][] {{0.5, 0.5}};
    assertThatThrownBy(() -> samples.predict(oneRow))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("returned 1 rows for 2 pairs");
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void tooManyRowsFromTheScorerAreRejected(Samples samples) {
    PairScorer threeRows = pairs -> new double[][] {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
    assertThatThrownBy(() -> samples.predict(threeRows))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("returned 3 rows for 2 pairs");
  }

  static Stream<Arguments> singleScoreKinds() {
    return Stream.of(
        Arguments.of(new Samples.Pointwise(PAIRS, new double[] {1, 0})),
        Arguments.of(new Samples.Ranking(List.of(new Samples.RankingQuery("q", "q", List.of("a", "b"), new double[] {1, 0})))));
  }

  @ParameterizedTest
  @MethodSource("singleScoreKinds")
  void aScorerWithSeveralOutputsIsRejectedWhereOneScoreIsNeeded(Samples samples) {
    assertThatThrownBy(() -> samples.predict(new LengthScorer(3)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("returned 3 outputs for pair 0")
        .hasMessageContaining("num_labels=1");
  }

  @ParameterizedTest
  @MethodSource("singleScoreKinds")
  void aNullRowIsRejectedWhereOneScoreIsNeeded(Samples samples) {
    assertThatThrownBy(() -> samples.predict(pairs -> new double[][] {{1}, null}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("returned 0 outputs for pair 1");
  }

  @Test
  void raggedMulticlassOutputsAreRejected() {
    Samples samples = new Samples.Multiclass(PAIRS, new int[] {0, 1});
    assertThatThrownBy(() -> samples.predict(pairs -> new double[][] {{1, 2, 3}, {1, 2}}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1] has 2 values but scores[0] has 3");
  }

  @Test
  void aNonFiniteScoreIsRejectedNamingTheRow() {
    Samples samples = new Samples.Pointwise(PAIRS, new double[] {1, 0});
    assertThatThrownBy(() -> samples.predict(pairs -> new double[][] {{1}, {Double.NaN}}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores[1] is NaN");
  }

  @Test
  void aScorerReturningNullIsReported() {
    Samples samples = new Samples.Pointwise(PAIRS, new double[] {1, 0});
    assertThatThrownBy(() -> samples.predict(pairs -> null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scorer returned null");
  }

  @Test
  void labelsMustMatchThePairs() {
    assertThatThrownBy(() -> new Samples.Pointwise(PAIRS, new double[] {1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("pairs has 2 entries but labels has 1");
    assertThatThrownBy(() -> new Samples.Multiclass(PAIRS, new int[] {1, 0, 1}))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Samples.Multilabel(PAIRS, new int[][] {{1}}))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Samples.RankingQuery("q", "q", List.of("a"), new double[] {1, 0}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'q'");
  }

  @Test
  void labelsAreCopied() {
    double[] labels = {1, 0};
    Samples.Pointwise samples = new Samples.Pointwise(PAIRS, labels);
    labels[0] = 5;
    samples.labels()[1] = 5;
    assertThat(samples.labels()).containsExactly(1, 0);

    int[][] rows = {{1, 0}, {0, 1}};
    Samples.Multilabel multilabel = new Samples.Multilabel(PAIRS, rows);
    rows[0][0] = 0;
    multilabel.labels()[1][1] = 0;
    assertThat(multilabel.labels()).isDeepEqualTo(new int[][] {{1, 0}, {0, 1}});

    int[] classes = {1, 0};
    Samples.Multiclass multiclass = new Samples.Multiclass(PAIRS, classes);
    classes[0] = 0;
    multiclass.labels()[1] = 1;
    assertThat(multiclass.labels()).containsExactly(1, 0);
  }

  @Test
  void aNullScorerIsRejected() {
    Samples samples = new Samples.Pointwise(PAIRS, new double[] {1, 0});
    assertThatThrownBy(() -> samples.predict(null)).isInstanceOf(NullPointerException.class);
  }
}
