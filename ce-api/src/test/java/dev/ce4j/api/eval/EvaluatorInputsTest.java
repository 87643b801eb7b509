package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorInputsTest {
  private static final PointwisePredictions POINTWISE =
      new PointwisePredictions(new double[] {0.2, 0.9}, new double[] {0, 1});

  @Test
  void requireKindCastsPredictionsOfTheKind() {
    PointwisePredictions p = EvaluatorInputs.requireKind("acc", POINTWISE, PointwisePredictions.class);
    assertThat(p).isSameAs(POINTWISE);
  }

  @Test
  void requireKindNamesTheEvaluatorAndBothKinds() {
    RankingPredictions ranking = new RankingPredictions(List.of());
    assertThatThrownBy(() -> EvaluatorInputs.requireKind("acc", ranking, PointwisePredictions.class))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("evaluator 'acc' reads POINTWISE predictions (one score and one numeric label per"
            + " sample) but got RANKING predictions");
    assertThatThrownBy(() -> EvaluatorInputs.requireKind("acc", null, PointwisePredictions.class))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void requireNonEmptySaysSamplesOrQueries() {
    assertThat(EvaluatorInputs.requireNonEmpty("acc", POINTWISE, PointwisePredictions.class)).isSameAs(POINTWISE);
    assertThatThrownBy(() -> EvaluatorInputs.requireNonEmpty(
            "acc", new PointwisePredictions(new double[0], new double[0]), PointwisePredictions.class))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("evaluator 'acc' got no samples");
    assertThatThrownBy(() -> EvaluatorInputs.requireNonEmpty(
            "mrr", new RankingPredictions(List.of()), RankingPredictions.class))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("evaluator 'mrr' got no queries");
    assertThatThrownBy(() -> EvaluatorInputs.requireNonEmpty(
            "mrr", new MulticlassPredictions(new double[0][], new int[0]), RankingPredictions.class))
        .as("the kind is checked first")
        .hasMessageContaining("reads RANKING predictions");
  }

  @Test
  void requireBinaryLabelsNamesTheFirstOtherLabel() {
    EvaluatorInputs.requireBinaryLabels("acc", new double[] {0, 1, 1, 0});
    EvaluatorInputs.requireBinaryLabels("acc", new double[0]);
    assertThatThrownBy(() -> EvaluatorInputs.requireBinaryLabels("acc", new double[] {0, 1, 0.5, 2}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("labels[2] is 0.5 but evaluator 'acc' needs every label to be 0 or 1");
    assertThatThrownBy(() -> EvaluatorInputs.requireBinaryLabels("acc", null))
        .isInstanceOf(NullPointerException.class);
  }
}
