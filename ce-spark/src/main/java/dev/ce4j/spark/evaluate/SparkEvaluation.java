package dev.ce4j.spark.evaluate;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.MulticlassPredictions;
import dev.ce4j.api.eval.MultilabelPredictions;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.spark.internal.Columns;
import dev.ce4j.spark.internal.SparkErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Runs any registered evaluator, built-in or plugin, over a scored dataset, reading only the
 * numbers it needs (query id, score, label; never text).
 *
 * <p>Ranking evaluators: the rows are grouped by query id on the executors. The built-in {@code
 * reranking} evaluator is then computed per query on the executors (each executor finds it with
 * {@link java.util.ServiceLoader}) and the per-query values are summed and averaged on the driver,
 * as the evaluator averages them; any other ranking evaluator (its metrics need not be means over
 * queries) gets the grouped scores and labels, one small array pair per query, on the driver.
 * Pointwise, multi-class and multi-label evaluators get the score and label columns on the driver.
 * Results equal the single-JVM evaluator on the same data up to the order of floating-point sums
 * (1e-12). Stateless.
 */
public final class SparkEvaluation {
  private SparkEvaluation() {}

  /**
   * Evaluates.
   *
   * @param scored the scored rows, never null
   * @param evaluatorId a registered evaluator id, never null
   * @param parameters its parameters, never null
   * @param columns the columns to read, never null
   * @return the evaluation, never null
   * @throws InvalidInputException if the id is unknown (naming the known ones), a column is missing,
   *     or the values are unsuitable (the evaluator's message, naming the query)
   */
  public static Evaluation evaluate(Dataset<Row> scored, String evaluatorId, Parameters parameters,
      EvaluationColumns columns) {
    Objects.requireNonNull(scored, "scored");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(columns, "columns");
    Evaluator evaluator = EvaluatorRegistry.load(loader()).get(evaluatorId);
    parameters.requireKnown(evaluator.id(), evaluator.parameters());
    Columns.require(scored.schema(), columns.score(), "score");
    Columns.require(scored.schema(), columns.label(), "label");
    return SparkErrors.run(() -> switch (evaluator.inputKind()) {
      case RANKING -> ranking(scored, evaluator, parameters, columns);
      case POINTWISE -> evaluator.evaluate(pointwise(scored, columns), parameters);
      case MULTICLASS -> evaluator.evaluate(multiclass(scored, columns), parameters);
      case MULTILABEL -> evaluator.evaluate(multilabel(scored, columns), parameters);
    });
  }

  static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : SparkEvaluation.class.getClassLoader();
  }

  private static Evaluation ranking(Dataset<Row> scored, Evaluator evaluator, Parameters parameters,
      EvaluationColumns c) {
    Columns.require(scored.schema(), c.queryId(), "query id");
    Dataset<Row> numbers = scored.select(functions.col(c.queryId()).cast("string").as("q"),
        functions.col(c.score()).try_cast("double").as("s"), functions.col(c.label()).try_cast("double").as("l"));
    JavaRDD<QueryGroups.Group> groups = QueryGroups.of(numbers, c);
    if (PerQueryMeans.SUPPORTED.contains(evaluator.id())) {
      return PerQueryMeans.evaluate(groups, evaluator, parameters);
    }
    List<RankingPredictions.Query> queries = new ArrayList<>();
    for (QueryGroups.Group g : groups.sortBy(QueryGroups.Group::id, true, groups.getNumPartitions()).collect()) {
      queries.add(g.query());
    }
    return evaluator.evaluate(new RankingPredictions(queries), parameters);
  }

  private static Predictions pointwise(Dataset<Row> scored, EvaluationColumns c) {
    List<Row> rows = scored.select(functions.col(c.score()).try_cast("double"), functions.col(c.label()).try_cast("double"))
        .collectAsList();
    double[] s = new double[rows.size()];
    double[] l = new double[rows.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = number(rows.get(i), 0, c.score(), i);
      l[i] = number(rows.get(i), 1, c.label(), i);
    }
    return new PointwisePredictions(s, l);
  }

  private static Predictions multiclass(Dataset<Row> scored, EvaluationColumns c) {
    List<Row> rows = scored.select(functions.col(c.score()).try_cast("array<double>"), functions.col(c.label()).try_cast("int"))
        .collectAsList();
    double[][] s = new double[rows.size()][];
    int[] l = new int[rows.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = doubles(rows.get(i), 0, c.score(), i);
      l[i] = (int) number(rows.get(i), 1, c.label(), i);
    }
    return new MulticlassPredictions(s, l);
  }

  private static Predictions multilabel(Dataset<Row> scored, EvaluationColumns c) {
    List<Row> rows = scored.select(functions.col(c.score()).try_cast("array<double>"),
        functions.col(c.label()).try_cast("array<double>")).collectAsList();
    double[][] s = new double[rows.size()][];
    int[][] l = new int[rows.size()][];
    for (int i = 0; i < s.length; i++) {
      s[i] = doubles(rows.get(i), 0, c.score(), i);
      double[] d = doubles(rows.get(i), 1, c.label(), i);
      l[i] = new int[d.length];
      for (int k = 0; k < d.length; k++) {
        l[i][k] = (int) d[k];
      }
    }
    return new MultilabelPredictions(s, l);
  }

  private static double number(Row r, int field, String column, int row) {
    if (r.isNullAt(field)) {
      throw new InvalidInputException("the " + column + " column is null or not a number in row " + row);
    }
    return r.getDouble(field);
  }

  private static double[] doubles(Row r, int field, String column, int row) {
    if (r.isNullAt(field)) {
      throw new InvalidInputException("the " + column + " column is null or not an array of numbers in row " + row);
    }
    List<Double> l = r.getList(field);
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (l.get(i) == null) {
        throw new InvalidInputException("the " + column + " column has a null element in row " + row);
      }
      out[i] = l.get(i);
    }
    return out;
  }

  /** Parameters as a serializable map, for executors. */
  static Map<String, String> toMap(Parameters p, Evaluator e) {
    Map<String, String> out = new LinkedHashMap<>();
    e.parameters().forEach(spec -> p.get(spec.name()).ifPresent(v -> out.put(spec.name(), v)));
    return out;
  }
}
