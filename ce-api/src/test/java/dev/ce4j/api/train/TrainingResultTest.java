package dev.ce4j.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingResultTest {
  @Test
  void copiesTheMetrics() {
    Map<String, Double> metrics = new HashMap<>(Map.of("ndcg@10", 0.5));
    TrainingResult r = new TrainingResult(Path.of("out"), "abc", 10, metrics);
    metrics.put("mrr@10", 0.1);
    assertThat(r.finalMetrics()).containsOnlyKeys("ndcg@10");
    assertThatThrownBy(() -> r.finalMetrics().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> new TrainingResult(null, "abc", 1, Map.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TrainingResult(Path.of("o"), null, 1, Map.of())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new TrainingResult(Path.of("o"), "abc", 1, null)).isInstanceOf(NullPointerException.class);
  }
}
