package dev.ce4j.eval.multilabel;

import com.google.auto.service.AutoService;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorInputs;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.MultilabelPredictions;
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
 * {@code multilabel-classification}: precision, recall, F-beta and F1 of thresholded scores with
 * micro, macro, weighted and samples averages, per-label values, subset accuracy and Hamming
 * loss.
 *
 * <p>Reads {@link InputKind#MULTILABEL} predictions. Label {@code j} is predicted for sample
 * {@code i} iff {@code scores[i][j] >= threshold}. Metrics match current scikit-learn (1.4 and
 * later) {@code precision_recall_fscore_support} on the indicator matrices with
 * {@code average} = {@code micro}, {@code macro}, {@code weighted}, {@code samples} and
 * {@code None} (per label, all L labels), {@code accuracy_score} (subset accuracy) and
 * {@code hamming_loss}:
 *
 * <ul>
 *   <li>F-beta is computed from counts, (1 + beta²) tp / ((1 + beta²) tp + beta² fn + fp);
 *   <li>a zero denominator gives {@code zero_division}; with {@code nan} such values are
 *       {@code NaN} and left out of the macro, weighted and samples averages, which are
 *       {@code NaN} when every value is;
 *   <li>the weighted average weighs by support and, when the supports of the defined values sum
 *       to zero, is their plain mean;
 *   <li>{@code samples} averages the per-sample values over samples.
 * </ul>
 *
 * <p>Parameters: {@code beta} (default 1, &gt; 0), {@code threshold} (default 0.5),
 * {@code zero_division} ({@code 0}, {@code 1} or {@code nan}; default {@code 0}).
 *
 * <p>Keys, in order: {@code fbeta_}, {@code f1_}, {@code precision_} and {@code recall_} each
 * with {@code micro}, {@code macro}, {@code weighted} and {@code samples}; the arrays
 * {@value #FBETA_PER_LABEL}, {@value #F1_PER_LABEL}, {@value #PRECISION_PER_LABEL},
 * {@value #RECALL_PER_LABEL}, {@value #SUPPORT_PER_LABEL} (one value per label, in label order);
 * {@value #SUBSET_ACCURACY} and {@value #HAMMING_LOSS}.
 *
 * <p>Empty predictions (no samples) are rejected. Stateless and thread-safe; never modifies its
 * input.
 */
@AutoService(Evaluator.class)
public final class MultilabelClassificationEvaluator implements Evaluator {
  /** The evaluator id, {@code multilabel-classification}. */
  public static final String ID = "multilabel-classification";

  /** Micro-averaged F-beta. */
  public static final String FBETA_MICRO = ClassificationKeys.FBETA_MICRO;
  /** Macro-averaged F-beta. */
  public static final String FBETA_MACRO = ClassificationKeys.FBETA_MACRO;
  /** Support-weighted F-beta. */
  public static final String FBETA_WEIGHTED = ClassificationKeys.FBETA_WEIGHTED;
  /** Sample-averaged F-beta. */
  public static final String FBETA_SAMPLES = ClassificationKeys.FBETA_SAMPLES;
  /** Micro-averaged F1. */
  public static final String F1_MICRO = ClassificationKeys.F1_MICRO;
  /** Macro-averaged F1. */
  public static final String F1_MACRO = ClassificationKeys.F1_MACRO;
  /** Support-weighted F1. */
  public static final String F1_WEIGHTED = ClassificationKeys.F1_WEIGHTED;
  /** Sample-averaged F1. */
  public static final String F1_SAMPLES = ClassificationKeys.F1_SAMPLES;
  /** Micro-averaged precision. */
  public static final String PRECISION_MICRO = ClassificationKeys.PRECISION_MICRO;
  /** Macro-averaged precision. */
  public static final String PRECISION_MACRO = ClassificationKeys.PRECISION_MACRO;
  /** Support-weighted precision. */
  public static final String PRECISION_WEIGHTED = ClassificationKeys.PRECISION_WEIGHTED;
  /** Sample-averaged precision. */
  public static final String PRECISION_SAMPLES = ClassificationKeys.PRECISION_SAMPLES;
  /** Micro-averaged recall. */
  public static final String RECALL_MICRO = ClassificationKeys.RECALL_MICRO;
  /** Macro-averaged recall. */
  public static final String RECALL_MACRO = ClassificationKeys.RECALL_MACRO;
  /** Support-weighted recall. */
  public static final String RECALL_WEIGHTED = ClassificationKeys.RECALL_WEIGHTED;
  /** Sample-averaged recall. */
  public static final String RECALL_SAMPLES = ClassificationKeys.RECALL_SAMPLES;
  /** F-beta per label. */
  public static final String FBETA_PER_LABEL = ClassificationKeys.FBETA_PER_LABEL;
  /** F1 per label. */
  public static final String F1_PER_LABEL = ClassificationKeys.F1_PER_LABEL;
  /** Precision per label. */
  public static final String PRECISION_PER_LABEL = ClassificationKeys.PRECISION_PER_LABEL;
  /** Recall per label. */
  public static final String RECALL_PER_LABEL = ClassificationKeys.RECALL_PER_LABEL;
  /** Support (number of samples truly carrying the label) per label. */
  public static final String SUPPORT_PER_LABEL = ClassificationKeys.SUPPORT_PER_LABEL;
  /** Fraction of samples whose predicted label set equals the true one exactly. */
  public static final String SUBSET_ACCURACY = "subset_accuracy";
  /** Fraction of (sample, label) indicators predicted wrongly. */
  public static final String HAMMING_LOSS = "hamming_loss";

  /** The default decision threshold, 0.5. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private static final List<ParameterSpec> PARAMETERS = List.of(
      ClassificationParameters.BETA_SPEC,
      ParameterSpec.of(ClassificationParameters.THRESHOLD,
          "decision threshold: a label is predicted iff its score >= threshold", "0.5"),
      ClassificationParameters.ZERO_DIVISION_SPEC);

  private static final List<MetricSpec> METRICS = metricSpecs();

  /** Creates the evaluator; cheap, no I/O. */
  public MultilabelClassificationEvaluator() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public InputKind inputKind() {
    return InputKind.MULTILABEL;
  }

  @Override
  public String description() {
    return "Multi-label classification: precision, recall, F-beta and F1 (micro, macro, weighted,"
        + " samples and per label), subset accuracy and Hamming loss at a threshold";
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
    List<MetricSpec> out = new ArrayList<>(ClassificationKeys.averageSpecs("micro", "macro", "weighted", "samples"));
    out.addAll(ClassificationKeys.perLabelSpecs("label"));
    out.add(MetricSpec.higherIsBetter(SUBSET_ACCURACY, "fraction of samples whose predicted label set is exact"));
    out.add(MetricSpec.lowerIsBetter(HAMMING_LOSS, "fraction of (sample, label) indicators predicted wrongly"));
    return List.copyOf(out);
  }

  /**
   * Computes the metrics.
   *
   * @param predictions {@link MultilabelPredictions}, never null, not modified
   * @param parameters {@code beta}, {@code threshold}, {@code zero_division}, never null
   * @return the metrics, never null
   * @throws dev.ce4j.api.InvalidInputException if the predictions are not multi-label or have
   *     no samples, or a parameter is unknown or out of range (naming it)
   */
  @Override
  public Evaluation evaluate(Predictions predictions, Parameters parameters) {
    parameters.requireKnown(ID, PARAMETERS);
    double beta = ClassificationParameters.beta(parameters);
    ClassificationZeroDivision zd = ClassificationParameters.zeroDivision(parameters);
    double threshold = ClassificationParameters.threshold(parameters).orElse(DEFAULT_THRESHOLD);
    MultilabelPredictions multilabel =
        EvaluatorInputs.requireNonEmpty(ID, predictions, MultilabelPredictions.class);

    double[][] scores = multilabel.scores();
    int[][] labels = multilabel.labels();
    int n = scores.length;
    int labelCount = scores[0].length;
    double beta2 = beta * beta;

    long[] tp = new long[labelCount];
    long[] predicted = new long[labelCount];
    long[] actual = new long[labelCount];
    double[] samplePrecision = new double[n];
    double[] sampleRecall = new double[n];
    double[] sampleFbeta = new double[n];
    double[] sampleF1 = new double[n];
    long exactMatches = 0;
    long wrongIndicators = 0;
    for (int i = 0; i < n; i++) {
      long rowTp = 0;
      long rowPredicted = 0;
      long rowActual = 0;
      long rowWrong = 0;
      for (int j = 0; j < labelCount; j++) {
        boolean pred = scores[i][j] >= threshold;
        boolean truth = labels[i][j] == 1;
        if (pred) {
          predicted[j]++;
          rowPredicted++;
        }
        if (truth) {
          actual[j]++;
          rowActual++;
        }
        if (pred && truth) {
          tp[j]++;
          rowTp++;
        }
        if (pred != truth) {
          rowWrong++;
        }
      }
      samplePrecision[i] = PrecisionRecallFScore.precision(rowTp, rowPredicted, zd);
      sampleRecall[i] = PrecisionRecallFScore.recall(rowTp, rowActual, zd);
      sampleFbeta[i] = PrecisionRecallFScore.fbeta(rowTp, rowPredicted, rowActual, beta2, zd);
      sampleF1[i] = PrecisionRecallFScore.fbeta(rowTp, rowPredicted, rowActual, 1.0, zd);
      if (rowWrong == 0) {
        exactMatches++;
      }
      wrongIndicators += rowWrong;
    }

    PrecisionRecallFScore.Table table =
        PrecisionRecallFScore.table(tp, predicted, actual, beta, zd);
    Evaluation.Builder out = Evaluation.builder(ID);
    putAverages(out, FBETA_MICRO, FBETA_MACRO, FBETA_WEIGHTED, FBETA_SAMPLES,
        table.fbetaAverages(), sampleFbeta);
    putAverages(out, F1_MICRO, F1_MACRO, F1_WEIGHTED, F1_SAMPLES, table.f1Averages(), sampleF1);
    putAverages(out, PRECISION_MICRO, PRECISION_MACRO, PRECISION_WEIGHTED, PRECISION_SAMPLES,
        table.precisionAverages(), samplePrecision);
    putAverages(out, RECALL_MICRO, RECALL_MACRO, RECALL_WEIGHTED, RECALL_SAMPLES,
        table.recallAverages(), sampleRecall);
    return out
        .putArray(FBETA_PER_LABEL, table.fbeta())
        .putArray(F1_PER_LABEL, table.f1())
        .putArray(PRECISION_PER_LABEL, table.precision())
        .putArray(RECALL_PER_LABEL, table.recall())
        .putArray(SUPPORT_PER_LABEL, table.support())
        .put(SUBSET_ACCURACY, (double) exactMatches / n)
        .put(HAMMING_LOSS, (double) wrongIndicators / ((double) n * labelCount))
        .build();
  }

  private static void putAverages(Evaluation.Builder out, String micro, String macro,
      String weighted, String samples, PrecisionRecallFScore.Averages averages,
      double[] perSample) {
    out.put(micro, averages.micro())
        .put(macro, averages.macro())
        .put(weighted, averages.weighted())
        .put(samples, PrecisionRecallFScore.nanMean(perSample));
  }
}
