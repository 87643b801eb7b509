package dev.ce4j.examples.demo.report;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.examples.demo.wordnet.Relation;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.manifest.RunManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's {@code report.html}: the test tables, the generalization sets, the training and
 * learning curves (dev MRR@10 against steps and against wall time), the calibration view of the
 * fine-tuned reranker on test (score histograms of relevant and non-relevant candidates and a
 * reliability table), ten test queries with the reranker's top 3 next to BM25's, the data and the
 * replay command.
 */
public final class DemoReport {
  /**
   * What the report shows.
   *
   * @param dir the demo's output folder (holds {@code reranker/} and {@code relations/}), never null
   * @param title the page title, never null
   * @param header the opening paragraph (seed, threads, time), never null
   * @param recipe the reranker's recipe in one line, never null
   * @param test evaluations by row ({@code bm25}, {@code before}, {@code after}, {@code binary-f1},
   *     {@code binary-f2}, {@code multilabel}, and {@code examples/...}, {@code lists/...} for the
   *     generalization sets), never null
   * @param table the printed test table, never null
   * @param dataCounts one line per data file, never null
   * @param fingerprints the reranker's and the relations model's fingerprints, never null
   * @param replay the replay command, never null
   * @param rerankerLoss (step, loss) of the reranker, never null
   * @param relationsLoss (step, loss) of the relations model, never null
   * @param devCurve (step, seconds since training started, dev MRR@10, dev NDCG@10) per evaluation,
   *     never null
   * @param testScores the reranker's and BM25's scores of the test candidates, never null
   */
  public record Inputs(
      Path dir, String title, String header, String recipe, Map<String, Evaluation> test, String table,
      List<String> dataCounts, List<String> fingerprints, String replay, List<double[]> rerankerLoss,
      List<double[]> relationsLoss, List<double[]> devCurve, TestScores testScores) {}

  private DemoReport() {}

  /**
   * Writes the report.
   *
   * @param file the HTML file, never null
   * @param in what it shows, never null
   * @throws UncheckedIOException if it cannot be written
   */
  public static void write(Path file, Inputs in) {
    HtmlReport r = new HtmlReport(in.title());
    r.paragraph(in.header());
    r.heading("Test results");
    Map<String, Evaluation> test = in.test();
    List<List<String>> rows = new ArrayList<>();
    for (String[] row : ROWS) {
      Evaluation e = test.get(row[0]);
      rows.add(List.of(row[1], fmt(e.get("mrr@10")), fmt(e.get("ndcg@10")), fmt(e.get("map"))));
    }
    r.paragraph("Reranking: the query is a WordNet noun definition; the candidates are its synset's words "
        + "(the one relevant document) among BM25 hard negatives and random synsets of the test split. "
        + "The reranker's recipe: " + in.recipe() + ".");
    r.table(List.of("ranker", "MRR@10", "NDCG@10", "MAP"), rows);
    rows = new ArrayList<>();
    for (String[] row : ROWS) {
      rows.add(List.of(row[1], fmt(test.get("examples/" + row[0]).get("mrr@10")), fmt(test.get("lists/" + row[0]).get("mrr@10"))));
    }
    r.paragraph("Generalization: test-split synsets found from queries that are not definitions, scored like the "
        + "test split (one relevant among BM25 hard and random negatives): a usage example with the word blanked "
        + "(\"the ___ barked all night\"), and a list of up to four hyponyms' words (\"puppy, pooch, toy dog\").");
    r.table(List.of("ranker", "usage examples MRR@10", "hyponym lists MRR@10"), rows);
    rows = new ArrayList<>();
    for (String[] row : new String[][] {{"binary-f1", "F1 (beta 1)"}, {"binary-f2", "F2 (beta 2)"}}) {
      Evaluation e = test.get(row[0]);
      rows.add(List.of(row[1], fmt(e.get("fbeta")), fmt(e.get("fbeta_threshold")), fmt(e.get("precision")),
          fmt(e.get("recall")), fmt(e.get("average_precision"))));
    }
    r.paragraph("Binary (definition, words) pairs scored by the fine-tuned reranker, each F-beta at its best threshold.");
    r.table(List.of("metric", "value", "threshold", "precision", "recall", "average precision"), rows);
    Evaluation m = test.get("multilabel");
    r.paragraph("Multi-label: which WordNet relations hold between two words (any of their senses), predicted by "
        + "a second model (all-MiniLM-L6-v2 with six sigmoid outputs, multi-label BCE), threshold 0.5.");
    r.table(List.of("F1 micro", "F1 macro", "F1 weighted", "subset accuracy", "Hamming loss"),
        List.of(List.of(fmt(m.get("f1_micro")), fmt(m.get("f1_macro")), fmt(m.get("f1_weighted")),
            fmt(m.get("subset_accuracy")), fmt(m.get("hamming_loss")))));
    if (m.isArray("f1_per_label")) {
      double[] f1 = m.getArray("f1_per_label");
      double[] support = m.has("support_per_label") ? m.getArray("support_per_label") : new double[f1.length];
      rows = new ArrayList<>();
      for (int i = 0; i < f1.length && i < Relation.values().length; i++) {
        rows.add(List.of(Relation.values()[i].label(), fmt(f1[i]), Long.toString(Math.round(support[i]))));
      }
      r.table(List.of("relation", "F1", "support"), rows);
    }

    r.heading("What the reranker learned: ten test queries");
    r.paragraph("The first ten test queries of the file (a seeded shuffle, not picked by outcome): the relevant "
        + "synset, then the fine-tuned reranker's three best candidates next to BM25's (✓ marks the relevant one).");
    r.table(List.of("definition", "relevant", "fine-tuned reranker, top 3", "BM25, top 3"), in.testScores().topThree(10));

    r.heading("Learning curve");
    double[][] curve = in.devCurve().toArray(new double[0][]);
    r.beginCharts();
    r.chart("Reranker: dev MRR@10 against steps", "step", "MRR@10",
        List.of(new Series("dev MRR@10", column(curve, 0), column(curve, 2)),
            new Series("dev NDCG@10", column(curve, 0), column(curve, 3))));
    r.chart("Reranker: dev MRR@10 against wall time", "seconds of training", "MRR@10",
        List.of(new Series("dev MRR@10", column(curve, 1), column(curve, 2)),
            new Series("dev NDCG@10", column(curve, 1), column(curve, 3))));
    r.chart("Reranker: training loss", "step", "loss", lossSeries(in.rerankerLoss()));
    r.endCharts();
    rows = new ArrayList<>();
    for (double[] p : curve) {
      rows.add(List.of(Long.toString((long) p[0]), String.format(Locale.ROOT, "%.0f", p[1]), fmt(p[2]), fmt(p[3])));
    }
    r.table(List.of("step", "seconds", "dev MRR@10", "dev NDCG@10"), rows);

    r.heading("Calibration on test");
    r.paragraph("The fine-tuned reranker's scores (sigmoid of its logit) of the test candidates: the share of "
        + "relevant and of non-relevant candidates per score bin, and per bin the share of candidates that are relevant "
        + "(a calibrated score would match it). A ranking loss orders candidates within a query and does not fit "
        + "these probabilities; the binary F1 above picks its threshold on the scores as they are.");
    r.beginCharts();
    r.chart("Score histogram, relevant vs not relevant", "score", "share of the class", in.testScores().histogram(20));
    r.endCharts();
    r.table(List.of("score bin", "candidates", "relevant share"), in.testScores().reliability(10));

    r.heading("Relations model: training");
    RunManifest mm = RunManifest.read(in.dir().resolve("relations").resolve(RunManifest.FILE_NAME));
    r.beginCharts();
    r.chart("Relations: training loss (multi-label BCE)", "step", "loss", lossSeries(in.relationsLoss()));
    r.chart("Relations: dev F1", "step", "F1",
        List.of(series(mm, "dev/f1_micro", "dev F1 micro"), series(mm, "dev/f1_macro", "dev F1 macro"),
            series(mm, "dev/f1_weighted", "dev F1 weighted")));
    r.endCharts();
    r.heading("Data");
    for (String c : in.dataCounts()) {
      r.paragraph(c);
    }
    r.heading("Reproduce");
    r.paragraph("Fine-tuned reranker (sentence-transformers format): " + in.dir().resolve("reranker").resolve("model"));
    r.code("reranker fingerprint: " + in.fingerprints().get(0) + "\nrelations fingerprint: " + in.fingerprints().get(1));
    r.paragraph("Replay the reranker's run from its manifest (run.json) and compare fingerprints step by step:");
    r.code(in.replay());
    r.heading("Test table as printed");
    r.code(in.table());
    try {
      Files.writeString(file, r.html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static final String[][] ROWS = {
      {"bm25", "BM25 (Lucene) alone"},
      {"before", "all-MiniLM-L6-v2, before fine-tuning"},
      {"after", "all-MiniLM-L6-v2, fine-tuned"}};

  private static double[] column(double[][] rows, int c) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i][c];
    }
    return out;
  }

  /** The loss of every step, faint, under its 10-step moving average. */
  private static List<Series> lossSeries(List<double[]> stepLosses) {
    double[][] rows = stepLosses.toArray(new double[0][]);
    Series raw = new Series("loss per step", column(rows, 0), column(rows, 1), true);
    return List.of(raw, raw.movingAverage("mean of the last 10 steps", 10));
  }

  private static Series series(RunManifest m, String key, String name) {
    List<MetricsRecord> recs = m.metrics().stream().filter(x -> x.values().containsKey(key)).toList();
    double[] xs = new double[recs.size()];
    double[] ys = new double[recs.size()];
    for (int i = 0; i < recs.size(); i++) {
      xs[i] = recs.get(i).step();
      Double v = recs.get(i).values().get(key);
      ys[i] = v == null ? Double.NaN : v;
    }
    return new Series(name, xs, ys);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
