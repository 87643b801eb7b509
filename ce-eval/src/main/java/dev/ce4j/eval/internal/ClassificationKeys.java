package dev.ce4j.eval.internal;

import dev.ce4j.api.eval.MetricSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric keys the multi-label and multi-class evaluators share; each evaluator re-exports
 * the ones it produces as its own public constants. Stateless.
 */
public final class ClassificationKeys {
  /** Micro-averaged F-beta. */
  public static final String FBETA_MICRO = "fbeta_micro";
  /** Macro-averaged F-beta. */
  public static final String FBETA_MACRO = "fbeta_macro";
  /** Support-weighted F-beta. */
  public static final String FBETA_WEIGHTED = "fbeta_weighted";
  /** Sample-averaged F-beta (multi-label only). */
  public static final String FBETA_SAMPLES = "fbeta_samples";
  /** Micro-averaged F1. */
  public static final String F1_MICRO = "f1_micro";
  /** Macro-averaged F1. */
  public static final String F1_MACRO = "f1_macro";
  /** Support-weighted F1. */
  public static final String F1_WEIGHTED = "f1_weighted";
  /** Sample-averaged F1 (multi-label only). */
  public static final String F1_SAMPLES = "f1_samples";
  /** Micro-averaged precision. */
  public static final String PRECISION_MICRO = "precision_micro";
  /** Macro-averaged precision. */
  public static final String PRECISION_MACRO = "precision_macro";
  /** Support-weighted precision. */
  public static final String PRECISION_WEIGHTED = "precision_weighted";
  /** Sample-averaged precision (multi-label only). */
  public static final String PRECISION_SAMPLES = "precision_samples";
  /** Micro-averaged recall. */
  public static final String RECALL_MICRO = "recall_micro";
  /** Macro-averaged recall. */
  public static final String RECALL_MACRO = "recall_macro";
  /** Support-weighted recall. */
  public static final String RECALL_WEIGHTED = "recall_weighted";
  /** Sample-averaged recall (multi-label only). */
  public static final String RECALL_SAMPLES = "recall_samples";
  /** F-beta of each label or class, in index order. */
  public static final String FBETA_PER_LABEL = "fbeta_per_label";
  /** F1 of each label or class, in index order. */
  public static final String F1_PER_LABEL = "f1_per_label";
  /** Precision of each label or class, in index order. */
  public static final String PRECISION_PER_LABEL = "precision_per_label";
  /** Recall of each label or class, in index order. */
  public static final String RECALL_PER_LABEL = "recall_per_label";
  /** Number of true samples of each label or class, in index order. */
  public static final String SUPPORT_PER_LABEL = "support_per_label";

  private ClassificationKeys() {}

  /**
   * The declarations of the averaged metrics, in the order the evaluators report them: F-beta, F1,
   * precision and recall, each with every average named; all higher-is-better.
   *
   * @param averages the averages, such as {@code micro}, {@code macro}, {@code weighted}, never null
   * @return the specs, never null
   */
  public static List<MetricSpec> averageSpecs(String... averages) {
    List<MetricSpec> out = new ArrayList<>();
    String[][] metrics = {{"fbeta", "F-beta"}, {"f1", "F1"}, {"precision", "precision"}, {"recall", "recall"}};
    for (String[] metric : metrics) {
      for (String average : averages) {
        out.add(MetricSpec.higherIsBetter(metric[0] + "_" + average, average + "-averaged " + metric[1]));
      }
    }
    return out;
  }

  /**
   * The declarations of the per-label arrays, in the order the evaluators report them: F-beta,
   * F1, precision and recall (higher-is-better) and the support (a count).
   *
   * @param what {@code label} or {@code class}, for the descriptions, never null
   * @return the specs, never null
   */
  public static List<MetricSpec> perLabelSpecs(String what) {
    MetricSpec.Direction higher = MetricSpec.Direction.HIGHER_IS_BETTER;
    return List.of(
        MetricSpec.perLabel(FBETA_PER_LABEL, higher, "F-beta of each " + what),
        MetricSpec.perLabel(F1_PER_LABEL, higher, "F1 of each " + what),
        MetricSpec.perLabel(PRECISION_PER_LABEL, higher, "precision of each " + what),
        MetricSpec.perLabel(RECALL_PER_LABEL, higher, "recall of each " + what),
        MetricSpec.countPerLabel(SUPPORT_PER_LABEL, "number of true samples of each " + what));
  }
}
