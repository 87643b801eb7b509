package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.TextPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  /** Records what it was given and answers with its size and parameters. */
  private static final class Recording implements Evaluator {
    final List<Predictions> predictions = new ArrayList<>();
    final List<Parameters> parameters = new ArrayList<>();

    @Override
    public String id() {
      return "recording";
    }

    @Override
    public InputKind inputKind() {
      return InputKind.POINTWISE;
    }

    @Override
    public Evaluation evaluate(Predictions p, Parameters params) {
      predictions.add(p);
      parameters.add(params);
      return Evaluation.builder(id()).put("n", p.size()).build();
    }
  }

  @Test
  void metadataDefaultsToEmpty() {
    Recording e = new Recording();
    assertThat(e.description()).isEmpty();
    assertThat(e.parameters()).isEmpty();
    assertThat(e.metrics(Parameters.empty())).as("undeclared metrics").isEmpty();
    assertThatThrownBy(() -> e.metrics(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void evaluateWithoutParametersUsesTheDefaults() {
    Recording e = new Recording();
    PointwisePredictions p = new PointwisePredictions(new double[] {1}, new double[] {1});
    assertThat(e.evaluate(p).get("n")).isEqualTo(1.0);
    assertThat(e.parameters).containsExactly(Parameters.empty());
  }

  @Test
  void evaluateOnSamplesScoresThemAndDelegates() {
    Recording e = new Recording();
    Samples samples = new Samples.Pointwise(List.of(TextPair.of("q", "d"), TextPair.of("q", "e")), new double[] {1, 0});
    Parameters params = Parameters.of(Map.of("k", "1"));
    Evaluation result = e.evaluate(samples, pairs -> new double[][] {{0.25}, {0.75}}, params);
    assertThat(result.get("n")).isEqualTo(2.0);
    assertThat(e.predictions).containsExactly(new PointwisePredictions(new double[] {0.25, 0.75}, new double[] {1, 0}));
    assertThat(e.parameters).containsExactly(params);
  }

  @Test
  void evaluateOnSamplesRejectsNulls() {
    Recording e = new Recording();
    Samples samples = new Samples.Pointwise(List.of(), new double[0]);
    PairScorer scorer = pairs -> new double[0][];
    assertThatThrownBy(() -> e.evaluate(null, scorer, Parameters.empty())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.evaluate(samples, null, Parameters.empty())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> e.evaluate(samples, scorer, null)).isInstanceOf(NullPointerException.class);
    assertThat(e.predictions).isEmpty();
  }

  @Test
  void everyInputKindNamesItsPredictionsType() {
    for (InputKind kind : InputKind.values()) {
      assertThat(Predictions.class.isAssignableFrom(kind.predictionsType())).isTrue();
    }
    assertThat(InputKind.RANKING.predictionsType()).isEqualTo(RankingPredictions.class);
  }
}
