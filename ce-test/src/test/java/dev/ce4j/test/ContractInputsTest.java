package dev.ce4j.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.test.internal.RawInput;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContractInputsTest {

  @ParameterizedTest
  @EnumSource(InputKind.class)
  void emptyHasTheKindAndNoSamples(InputKind kind) {
    Predictions empty = ContractInputs.empty(kind);
    assertThat(empty.kind()).isEqualTo(kind);
    assertThat(empty.size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(InputKind.class)
  void typicalIsSeededAndOfTheKind(InputKind kind) {
    Predictions a = ContractInputs.typical(kind, 7);
    assertThat(a.kind()).isEqualTo(kind);
    assertThat(a.size()).isPositive();
    assertThat(ContractInputs.typical(kind, 7)).isEqualTo(a);
    assertThat(ContractInputs.typical(kind, 8)).isNotEqualTo(a);
  }

  @ParameterizedTest
  @EnumSource(InputKind.class)
  void copyOfIsEqual(InputKind kind) {
    Predictions a = ContractInputs.typical(kind, 3);
    assertThat(ContractInputs.copyOf(a)).isEqualTo(a).isNotSameAs(a);
  }

  @ParameterizedTest
  @EnumSource(InputKind.class)
  void rawInputRebuildsEqualPredictions(InputKind kind) {
    Predictions a = ContractInputs.typical(kind, 3);
    RawInput raw = RawInput.of(a);
    assertThat(raw.predictions()).isEqualTo(a);
    assertThat(raw.unchanged()).isTrue();
  }

  @Test
  void typicalPointwiseHasBothLabels() {
    double[] labels = ((PointwisePredictions) ContractInputs.typical(InputKind.POINTWISE, 1)).labels();
    assertThat(labels).contains(0.0, 1.0).containsOnly(0.0, 1.0);
  }

  @Test
  void typicalMulticlassHasEveryClass() {
    MulticlassPredictions p = (MulticlassPredictions) ContractInputs.typical(InputKind.MULTICLASS, 1);
    assertThat(p.labels()).contains(IntStream.range(0, p.classCount()).toArray());
  }

  @Test
  void typicalMultilabelHasBothValuesInEveryColumn() {
    MultilabelPredictions p = (MultilabelPredictions) ContractInputs.typical(InputKind.MULTILABEL, 1);
    int[][] labels = p.labels();
    for (int j = 0; j < p.labelCount(); j++) {
      int column = j;
      assertThat(Arrays.stream(labels).mapToInt(row -> row[column]).toArray()).as("column %d", j).contains(0, 1);
    }
  }

  @Test
  void typicalRankingHasARelevantAndAnIrrelevantDocumentPerQuery() {
    RankingPredictions p = (RankingPredictions) ContractInputs.typical(InputKind.RANKING, 1);
    for (RankingPredictions.Query q : p.queries()) {
      assertThat(q.labels()).as(q.id()).contains(0.0);
      assertThat(Arrays.stream(q.labels()).max().orElse(0)).as(q.id()).isPositive();
    }
  }
}
