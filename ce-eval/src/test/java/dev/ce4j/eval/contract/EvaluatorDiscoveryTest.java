package dev.ce4j.eval.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.eval.EvaluatorRegistry;
import org.junit.jupiter.api.Test;

/**
 * Discovery finds exactly this module's evaluators: an {@code @AutoService} processor that
 * silently did not run, or a stray registration, fails here.
 */
class EvaluatorDiscoveryTest {
  @Test
  void discoversExactlyTheFiveEvaluators() {
    assertThat(EvaluatorRegistry.load().ids()).containsExactlyInAnyOrder(
        "binary-classification", "multilabel-classification", "multiclass-classification", "reranking", "correlation");
  }
}
