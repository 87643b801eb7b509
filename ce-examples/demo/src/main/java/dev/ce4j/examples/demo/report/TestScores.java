package dev.ce4j.examples.demo.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.PairScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The test queries of the reranking task with every candidate's score by the fine-tuned model
 * (sigmoid of its logit) and by BM25: what the report's calibration view and its side-by-side
 * rankings are drawn from.
 *
 * @param queries the queries in file order, never null
 */
public record TestScores(List<Query> queries) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One query.
   *
   * @param query the definition, never null
   * @param documents the candidates in file order (the relevant ones have label 1), never null
   * @param labels 1 for relevant, 0 otherwise, one per document, never null
   * @param model the model's sigmoid score per document, never null
   * @param bm25 BM25's score per document, never null
   */
  public record Query(String query, List<String> documents, int[] labels, double[] model, double[] bm25) {
    /**
     * The documents in descending order of a score; ties keep the file order.
     *
     * @param scores one per document, never null
     * @return the ranked documents, never null
     */
    public List<String> ranked(double[] scores) {
      return IntStream.range(0, documents.size()).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
          .map(documents::get).toList();
    }

    /**
     * The relevant documents.
     *
     * @return them, in file order, never null
     */
    public List<String> relevant() {
      return IntStream.range(0, documents.size()).filter(i -> labels[i] > 0).mapToObj(documents::get).toList();
    }
  }

  /** Copies. */
  public TestScores {
    queries = List.copyOf(queries);
  }

  /**
   * Reads a listwise file ({@code query}, {@code documents}, {@code labels}) and scores it.
   *
   * @param file the listwise file, never null
   * @param model scores (query, document) pairs; its first output per pair is taken as a
   *     probability (the caller passes a sigmoid scorer), never null
   * @param bm25 the BM25 scorer, never null
   * @return the scores, never null
   * @throws UncheckedIOException if the file cannot be read
   */
  public static TestScores score(Path file, PairScorer model, PairScorer bm25) {
    List<String> qs = new ArrayList<>();
    List<List<String>> docs = new ArrayList<>();
    List<int[]> labels = new ArrayList<>();
    List<TextPair> pairs = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode rec = JSON.readTree(line);
        String q = rec.get("query").asText();
        List<String> d = new ArrayList<>();
        rec.get("documents").forEach(x -> d.add(x.asText()));
        int[] l = new int[d.size()];
        for (int i = 0; i < l.length; i++) {
          l[i] = rec.get("labels").get(i).asDouble() > 0 ? 1 : 0;
          pairs.add(new TextPair(q, d.get(i)));
        }
        qs.add(q);
        docs.add(d);
        labels.add(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    double[][] m = model.score(pairs);
    double[][] b = bm25.score(pairs);
    List<Query> out = new ArrayList<>();
    int k = 0;
    for (int q = 0; q < qs.size(); q++) {
      int n = docs.get(q).size();
      double[] ms = new double[n];
      double[] bs = new double[n];
      for (int i = 0; i < n; i++, k++) {
        ms[i] = m[k][0];
        bs[i] = b[k][0];
      }
      out.add(new Query(qs.get(q), docs.get(q), labels.get(q), ms, bs));
    }
    return new TestScores(out);
  }

  /**
   * A histogram of the model's scores on {@code [0, 1]}, relevant and non-relevant candidates
   * apart, each as the share of its own candidates per bin, drawn as steps.
   *
   * @param bins the number of equal bins, at least 1
   * @return two series (relevant, non-relevant), never null
   */
  public List<Series> histogram(int bins) {
    return List.of(steps("relevant", bins, 1), steps("not relevant", bins, 0));
  }

  /**
   * The reliability table: per score bin on {@code [0, 1]}, the candidates in it and the share of
   * them that are relevant.
   *
   * @param bins the number of equal bins, at least 1
   * @return rows of (bin, candidates, relevant share), empty bins left out, never null
   */
  public List<List<String>> reliability(int bins) {
    int[] all = new int[bins];
    int[] rel = new int[bins];
    for (Query q : queries) {
      for (int i = 0; i < q.model.length; i++) {
        int b = bin(q.model[i], bins);
        all[b]++;
        rel[b] += q.labels[i];
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      if (all[b] > 0) {
        rows.add(List.of(String.format(Locale.ROOT, "%.2f-%.2f", (double) b / bins, (double) (b + 1) / bins),
            Integer.toString(all[b]), String.format(Locale.ROOT, "%.3f", (double) rel[b] / all[b])));
      }
    }
    return rows;
  }

  /**
   * The first {@code n} queries (file order, which is a seeded shuffle: not chosen by outcome) with
   * the relevant document, the model's top 3 and BM25's top 3.
   *
   * @param n how many queries
   * @return rows of (definition, relevant, model top 3, BM25 top 3), never null
   */
  public List<List<String>> topThree(int n) {
    List<List<String>> rows = new ArrayList<>();
    for (Query q : queries.subList(0, Math.min(n, queries.size()))) {
      rows.add(List.of(q.query, String.join(" | ", q.relevant()), top(q, q.model), top(q, q.bm25)));
    }
    return rows;
  }

  private static String top(Query q, double[] scores) {
    List<String> relevant = q.relevant();
    List<String> r = q.ranked(scores);
    List<String> cells = new ArrayList<>();
    for (String d : r.subList(0, Math.min(3, r.size()))) {
      cells.add((relevant.contains(d) ? "✓ " : "") + d);
    }
    return String.join(" / ", cells);
  }

  private Series steps(String name, int bins, int label) {
    double[] counts = new double[bins];
    double total = 0;
    for (Query q : queries) {
      for (int i = 0; i < q.model.length; i++) {
        if (q.labels[i] == label) {
          counts[bin(q.model[i], bins)]++;
          total++;
        }
      }
    }
    double[] xs = new double[2 * bins];
    double[] ys = new double[2 * bins];
    for (int b = 0; b < bins; b++) {
      xs[2 * b] = (double) b / bins;
      xs[2 * b + 1] = (double) (b + 1) / bins;
      ys[2 * b] = ys[2 * b + 1] = total == 0 ? 0 : counts[b] / total;
    }
    return new Series(name + " (" + (long) total + ")", xs, ys);
  }

  private static int bin(double score, int bins) {
    return Math.max(0, Math.min(bins - 1, (int) Math.floor(score * bins)));
  }
}
