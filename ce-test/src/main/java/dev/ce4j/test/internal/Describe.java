package dev.ce4j.test.internal;

import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import java.util.Arrays;
import java.util.Objects;

/** Writes the values of predictions out, for assertion messages. Stateless and thread-safe. */
public final class Describe {
  private static final int MAX = 400;

  private Describe() {}

  /**
   * The kind and values of predictions, cut to a few hundred characters.
   *
   * @param predictions the predictions, never null
   * @return the text, never null
   */
  public static String of(Predictions predictions) {
    Objects.requireNonNull(predictions, "predictions");
    String text;
    if (predictions instanceof PointwisePredictions p) {
      text = "scores=" + Arrays.toString(p.scores()) + ", labels=" + Arrays.toString(p.labels());
    } else if (predictions instanceof MulticlassPredictions p) {
      text = "scores=" + Arrays.deepToString(p.scores()) + ", labels=" + Arrays.toString(p.labels());
    } else if (predictions instanceof MultilabelPredictions p) {
      text = "scores=" + Arrays.deepToString(p.scores()) + ", labels=" + Arrays.deepToString(p.labels());
    } else {
      StringBuilder sb = new StringBuilder();
      for (RankingPredictions.Query q : ((RankingPredictions) predictions).queries()) {
        sb.append(sb.length() == 0 ? "" : "; ").append(q.id()).append(": scores=")
            .append(Arrays.toString(q.scores())).append(", labels=").append(Arrays.toString(q.labels()));
      }
      text = sb.toString();
    }
    text = predictions.kind() + " {" + text + "}";
    return text.length() <= MAX ? text : text.substring(0, MAX) + "...";
  }
}
