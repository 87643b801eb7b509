package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankingPredictionsTest {
  private static RankingPredictions.Query query(String id, double[] scores, double[] labels) {
    return new RankingPredictions.Query(id, scores, labels);
  }

  @Test
  void holdsQueriesInOrder() {
    RankingPredictions p = new RankingPredictions(List.of(
        query("q2", new double[] {0.3, 0.1}, new double[] {0, 2}),
        query("q1", new double[] {0.5}, new double[] {1})));
    assertThat(p.queries()).extracting(RankingPredictions.Query::id).containsExactly("q2", "q1");
    assertThat(p.size()).isEqualTo(2);
    assertThat(p.kind()).isEqualTo(InputKind.RANKING);
    assertThat(p.queries().get(0).labels()).containsExactly(0, 2);
  }

  @Test
  void noQueriesIsValid() {
    assertThat(new RankingPredictions(List.of()).size()).isZero();
  }

  @Test
  void aDuplicateQueryIdIsRejectedNamingIt() {
    assertThatThrownBy(() -> new RankingPredictions(List.of(
            query("q7", new double[] {1}, new double[] {1}),
            query("q8", new double[] {1}, new double[] {1}),
            query("q7", new double[] {2}, new double[] {0}))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'q7'")
        .hasMessageContaining("twice");
  }

  @Test
  void mismatchedLengthsAreRejectedNamingTheQuery() {
    assertThatThrownBy(() -> query("q1", new double[] {1, 2}, new double[] {1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores of query 'q1' has 2 entries but its labels has 1");
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void aNonFiniteScoreIsRejectedNamingTheQueryAndIndex(double bad) {
    assertThatThrownBy(() -> query("q1", new double[] {1, bad}, new double[] {1, 0}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("scores of query 'q1'[1] is " + bad);
  }

  @Test
  void aNegativeGradeIsRejectedNamingTheQueryAndDocument() {
    assertThatThrownBy(() -> query("q1", new double[] {1, 2}, new double[] {1, -1}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("document 1 of query 'q1'")
        .hasMessageContaining("negative");
  }

  @Test
  void aQueryWithoutDocumentsIsRejected() {
    assertThatThrownBy(() -> query("q1", new double[0], new double[0]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'q1' has no documents");
  }

  @Test
  void aNullIdIsRejected() {
    assertThatThrownBy(() -> query(null, new double[] {1}, new double[] {1})).isInstanceOf(NullPointerException.class);
  }

  @Test
  void mutatingTheInputsDoesNotChangeTheRecords() {
    double[] scores = {0.4, 0.6};
    double[] labels = {1, 0};
    RankingPredictions.Query q = query("q1", scores, labels);
    scores[0] = 9;
    labels[0] = 9;
    q.scores()[1] = 9;
    q.labels()[1] = 9;
    assertThat(q.scores()).containsExactly(0.4, 0.6);
    assertThat(q.labels()).containsExactly(1, 0);

    List<RankingPredictions.Query> list = new ArrayList<>(List.of(q));
    RankingPredictions p = new RankingPredictions(list);
    list.add(query("q2", new double[] {1}, new double[] {1}));
    assertThat(p.size()).isEqualTo(1);
    assertThatThrownBy(() -> p.queries().add(q)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalityIsByContent() {
    RankingPredictions.Query a = query("q1", new double[] {0.4}, new double[] {1});
    RankingPredictions.Query b = query("q1", new double[] {0.4}, new double[] {1});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(query("q2", new double[] {0.4}, new double[] {1}));
    assertThat(new RankingPredictions(List.of(a))).isEqualTo(new RankingPredictions(List.of(b)));
    assertThat(a.toString()).contains("q1", "documents=1");
  }
}
