package dev.ce4j.test.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescribeTest {
  @Test
  void writesTheKindAndValuesOfEachPredictionsType() {
    assertThat(Describe.of(new PointwisePredictions(new double[] {0.5}, new double[] {1})))
        .isEqualTo("POINTWISE {scores=[0.5], labels=[1.0]}");
    assertThat(Describe.of(new MulticlassPredictions(new double[][] {{0.5, 1}}, new int[] {1})))
        .isEqualTo("MULTICLASS {scores=[[0.5, 1.0]], labels=[1]}");
    assertThat(Describe.of(new MultilabelPredictions(new double[][] {{0.5}}, new int[][] {{0}})))
        .isEqualTo("MULTILABEL {scores=[[0.5]], labels=[[0]]}");
    assertThat(Describe.of(new RankingPredictions(List.of(
            new RankingPredictions.Query("a", new double[] {1}, new double[] {2}),
            new RankingPredictions.Query("b", new double[] {3}, new double[] {0})))))
        .isEqualTo("RANKING {a: scores=[1.0], labels=[2.0]; b: scores=[3.0], labels=[0.0]}");
  }

  @Test
  void cutsLongInputs() {
    String text = Describe.of(new PointwisePredictions(new double[1000], new double[1000]));
    assertThat(text).hasSize(403).endsWith("...");
  }
}
