package dev.ce4j.eval.multiclass;

import com.google.auto.service.AutoService;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorInputs;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.eval.internal.ClassificationKeys;
import dev.ce4j.eval.internal.ClassificationParameters;
import dev.ce4j.eval.internal.ClassificationZeroDivision;
import dev.ce4j.eval.internal.PrecisionRecallFScore;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code multiclass-classification}: accuracy and precision, recall, F-beta and F1 with micro,
 * macro and weighted averages and per-class values.
 *
 * <p>Reads {@link InputKind#MULTICLASS} predictions. The predicted class of a sample is the
 * index of its highest score, the first such index on ties. The classes are every index
 * {@code 0..C-1} of the score vectors, present in the data or not. Metrics match current
 * scikit-learn (1.4 and later) {@code accuracy_score} and
 * {@code precision_recall_fscore_support(labels=range(C))} with {@code average} =
 * {@code micro}, {@code macro}, {@code weighted} and {@code None}: F-beta from counts; a zero
 * denominator gives {@code zero_division}, and with {@code nan} such values are {@code NaN} and
 * left out of the macro and weighted averages ({@code NaN} when every value is); the weighted
 * average weighs by support and, when the supports of the defined values sum to zero, is their
 * plain mean. Micro precision, recall and F-beta all equal accuracy.
 *
 * <p>Parameters: {@code beta} (default 1, &gt; 0), {@code zero_division} ({@code 0}, {@code 1}
 * or {@code nan}; default {@code 0}).
 *
 * <p>Keys, in order: {@value #ACCURACY}; {@code fbeta_}, {@code f1_}, {@code precision_} and
 * {@code recall_} each with {@code micro}, {@code macro} and {@code weighted}; the arrays
 * {@value #FBETA_PER_LABEL}, {@value #F1_PER_LABEL}, {@value #PRECISION_PER_LABEL},
 * {@value #RECALL_PER_LABEL}, {@value #SUPPORT_PER_LABEL} (one value per class, in class order).
 *
 * <p>Empty predictions (no samples) are rejected. Stateless and thread-safe; never modifies its
 * input.
 */
@AutoService(Evaluator.class)
public final class MulticlassClassificationEvaluator implements Evaluator {
  /** The evaluator id, {@code multiclass-classification}. */
  public static final String ID = "multiclass-classification";

  /** Fraction of samples whose predicted class is the true one. */
  public static final String ACCURACY = "accuracy";
  /** Micro-averaged F-beta (equals accuracy). */
  public static final String FBETA_MICRO = ClassificationKeys.FBETA_MICRO;
  /** Macro-averaged F-beta. */
  public static final String FBETA_MACRO = ClassificationKeys.FBETA_MACRO;
  /** Support-weighted F-beta. */
  public static final String FBETA_WEIGHTED = ClassificationKeys.FBETA_WEIGHTED;
  /** Micro-averaged F1 (equals accuracy). */
  public static final String F1_MICRO = ClassificationKeys.F1_MICRO;
  /** Macro-averaged F1. */
  public static final String F1_MACRO = ClassificationKeys.F1_MACRO;
  /** Support-weighted F1. */
  public static final String F1_WEIGHTED = ClassificationKeys.F1_WEIGHTED;
  /** Micro-averaged precision (equals accuracy). */
  public static final String PRECISION_MICRO = ClassificationKeys.PRECISION_MICRO;
  /** Macro-averaged precision. */
  public static final String PRECISION_MACRO = ClassificationKeys.PRECISION_MACRO;
  /** Support-weighted precision. */
  public static final String PRECISION_WEIGHTED = ClassificationKeys.PRECISION_WEIGHTED;
  /** Micro-averaged recall (equals accuracy). */
  public static final String RECALL_MICRO = ClassificationKeys.RECALL_MICRO;
  /** Macro-averaged recall. */
  public static final String RECALL_MACRO = ClassificationKeys.RECALL_MACRO;
  /** Support-weighted recall. */
  public static final String RECALL_WEIGHTED = ClassificationKeys.RECALL_WEIGHTED;
  /** F-beta per class. */
  public static final String FBETA_PER_LABEL = ClassificationKeys.FBETA_PER_LABEL;
  /** F1 per class. */
  public static final String F1_PER_LABEL = ClassificationKeys.F1_PER_LABEL;
  /** Precision per class. */
  public static final String PRECISION_PER_LABEL = ClassificationKeys.PRECISION_PER_LABEL;
  /** Recall per class. */
  public static final String RECALL_PER_LABEL = ClassificationKeys.RECALL_PER_LABEL;
  /** Support (number of samples of the class) per class. */
  public static final String SUPPORT_PER_LABEL = ClassificationKeys.SUPPORT_PER_LABEL;

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ClassificationParameters.BETA_SPEC, ClassificationParameters.ZERO_DIVISION_SPEC);

  private static final List<MetricSpec> METRICS = metricSpecs();

  /** Creates the evaluator; cheap, no I/O. */
  public MulticlassClassificationEvaluator() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.MULTICLASS;
  }

  @Override
  public String description() {
    return "Multi-class classification: accuracy and precision, recall, F-beta and F1 (micro,"
        + " macro, weighted and per class) of the arg-max class";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /**
   * {@inheritDoc}
   *
   * @return the metrics in report order, the same for every parameter value; the support arrays
   *     are counts
   */
  @Override
  public List<MetricSpec> metrics(Parameters parameters) {
    parameters.requireKnown(ID, PARAMETERS);
    return METRICS;
  }

  private static List<MetricSpec> metricSpecs() {
    List<MetricSpec> out = new ArrayList<>();
    out.add(MetricSpec.higherIsBetter(ACCURACY, "fraction of samples whose arg-max class is the true one"));
    out.addAll(ClassificationKeys.averageSpecs("micro", "macro", "weighted"));
    out.addAll(ClassificationKeys.perLabelSpecs("class"));
    return List.copyOf(out);
  }

  /**
   * Computes the metrics.
   *
   * @param predictions {@link MulticlassPredictions}, never null, not modified
   * @param parameters {@code beta}, {@code zero_division}, never null
   * @return the metrics, never null
   * @throws dev.ce4j.api.InvalidInputException if the predictions are not multi-class or have
   *     no samples, or a parameter is unknown or out of range (naming it)
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, PARAMETERS);
    double beta = ClassificationParameters.beta(parameters);
    ClassificationZeroDivision zd = ClassificationParameters.zeroDivision(parameters);
    MulticlassPredictions multiclass =
        EvaluatorInputs.requireNonEmpty(ID, predictions, MulticlassPredictions.class);

    double[][] scores = multiclass.scores();
    int[] labels = multiclass.labels();
    int n = scores.length;
    int classes = scores[0].length;
    long[] tp = new long[classes];
    long[] predicted = new long[classes];
    long[] actual = new long[classes];
    long correct = 0;
    for (int i = 0; i < n; i++) {
      int guess = argmax(scores[i]);
      predicted[guess]++;
      actual[labels[i]]++;
      if (guess == labels[i]) {
        tp[guess]++;
        correct++;
      }
    }
    PrecisionRecallFScore.Table table =
        PrecisionRecallFScore.table(tp, predicted, actual, beta, zd);
    Evaluation.Builder out = Evaluation.builder(ID).put(ACCURACY, (double) correct / n);
    putAverages(out, FBETA_MICRO, FBETA_MACRO, FBETA_WEIGHTED, table.fbetaAverages());
    putAverages(out, F1_MICRO, F1_MACRO, F1_WEIGHTED, table.f1Averages());
    putAverages(out, PRECISION_MICRO, PRECISION_MACRO, PRECISION_WEIGHTED,
        table.precisionAverages());
    putAverages(out, RECALL_MICRO, RECALL_MACRO, RECALL_WEIGHTED, table.recallAverages());
    return out
        .putArray(FBETA_PER_LABEL, table.fbeta())
        .putArray(F1_PER_LABEL, table.f1())
        .putArray(PRECISION_PER_LABEL, table.precision())
        .putArray(RECALL_PER_LABEL, table.recall())
        .putArray(SUPPORT_PER_LABEL, table.support())
        .build();
  }

  /** The index of the highest score, the first on ties. */
  private static int argmax(double[] row) {
    int best = 0;
    for (int j = 1; j < row.length; j++) {
      if (row[j] > row[best]) {
        best = j;
      }
    }
    return best;
  }

  private static void putAverages(Evaluation.Builder out, String micro, String macro,
      String weighted, PrecisionRecallFScore.Averages averages) {
    out.put(micro, averages.micro())
        .put(macro, averages.macro())
        .put(weighted, averages.weighted());
  }
}
