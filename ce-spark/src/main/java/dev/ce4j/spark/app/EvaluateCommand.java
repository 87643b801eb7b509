package dev.ce4j.spark.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.spark.evaluate.EvaluationColumns;
import dev.ce4j.spark.evaluate.SparkEvaluation;
import dev.ce4j.spark.score.ScoringOptions;
import dev.ce4j.spark.score.SparkScoring;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code evaluate}: a registered evaluator over scored rows (scoring them first with --model). */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Run a registered evaluator over a dataset; prints the metrics as one JSON object.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Parquet, or JSON Lines (.jsonl)")
  String input;

  @Option(names = "--evaluator", required = true, description = "evaluator id, e.g. reranking")
  String evaluator;

  @Option(names = {"-p", "--param"}, description = "evaluator parameter KEY=VALUE (repeatable)")
  List<String> params = new ArrayList<>();

  @Option(names = "--model", description = "score the rows with this model first (query and document columns)")
  String model;

  @Option(names = "--query-id-column", defaultValue = "query_id", description = "default: ${DEFAULT-VALUE}")
  String queryIdColumn;

  @Option(names = "--score-column", defaultValue = "score", description = "default: ${DEFAULT-VALUE}")
  String scoreColumn;

  @Option(names = "--label-column", defaultValue = "label", description = "default: ${DEFAULT-VALUE}")
  String labelColumn;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = Io.session("evaluate");
    Dataset<Row> data = Io.read(spark, input);
    if (model != null) {
      data = SparkScoring.score(data, ScoringOptions.of(model).withScoreColumn(scoreColumn));
    }
    Evaluation e = SparkEvaluation.evaluate(data, evaluator, Parameters.parse(params),
        new EvaluationColumns(queryIdColumn, scoreColumn, labelColumn));
    java.util.Set<String> counts = new java.util.HashSet<>();
    EvaluatorRegistry.load(Thread.currentThread().getContextClassLoader()).get(evaluator)
        .metrics(Parameters.parse(params)).stream().filter(m -> m.kind().isCount()).forEach(m -> counts.add(m.key()));
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode out = mapper.createObjectNode();
    out.put("evaluator", e.evaluatorId());
    ObjectNode values = out.putObject("metrics");
    for (String k : e.keys()) {
      if (e.isArray(k)) {
        double[] a = e.getArray(k);
        var arr = values.putArray(k);
        for (double v : a) {
          arr.add(v);
        }
      } else if (counts.contains(k)) {
        values.put(k, (long) e.get(k));
      } else {
        values.put(k, e.get(k));
      }
    }
    spec.commandLine().getOut().println(mapper.writeValueAsString(out));
    return 0;
  }
}
