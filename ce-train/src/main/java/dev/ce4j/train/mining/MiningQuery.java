package dev.ce4j.train.mining;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.train.data.ListwiseDataset;
import dev.ce4j.train.data.ListwiseExample;
import dev.ce4j.train.data.PairDataset;
import dev.ce4j.train.data.PairExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A query to mine negatives for, with its known positives (never returned as negatives).
 *
 * @param id a stable id, never null
 * @param query the query text, never null
 * @param positives the relevant documents, never null or empty, without duplicates
 */
public record MiningQuery(String id, String query, List<String> positives) {
  /** Validates and copies. */
  public MiningQuery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(query, "query");
    positives = List.copyOf(new LinkedHashSet<>(positives));
    if (positives.isEmpty()) {
      throw new InvalidInputException("query '" + id + "' has no positive document to mine negatives against");
    }
  }

  /**
   * The queries of a pairs dataset: pairs grouped by query text (in order of first appearance),
   * the documents labelled above {@code threshold} as positives; queries without a positive are
   * left out. Ids are the origin ({@code file:line}) of each query's first pair.
   *
   * @param data pairs with scalar labels, never null
   * @param threshold labels above it are positive (0 for 0/1 data)
   * @return the queries, never null
   */
  public static List<MiningQuery> fromPairs(PairDataset data, double threshold) {
    Map<String, List<String>> pos = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    for (PairExample e : data.examples()) {
      String q = e.pair().query();
      ids.putIfAbsent(q, e.origin().toString());
      List<String> list = pos.computeIfAbsent(q, k -> new ArrayList<>());
      if (e.score() > threshold) {
        list.add(e.pair().document());
      }
    }
    List<MiningQuery> out = new ArrayList<>();
    pos.forEach((q, p) -> {
      if (!p.isEmpty()) {
        out.add(new MiningQuery(ids.get(q), q, p));
      }
    });
    return out;
  }

  /**
   * The queries of a listwise dataset, documents labelled above {@code threshold} as positives;
   * queries without a positive are left out.
   *
   * @param data the dataset, never null
   * @param threshold labels above it are positive
   * @return the queries, never null
   */
  public static List<MiningQuery> fromListwise(ListwiseDataset data, double threshold) {
    List<MiningQuery> out = new ArrayList<>();
    for (ListwiseExample e : data.examples()) {
      List<String> p = new ArrayList<>();
      for (int i = 0; i < e.documents().size(); i++) {
        if (e.label(i) > threshold) {
          p.add(e.documents().get(i));
        }
      }
      if (!p.isEmpty()) {
        out.add(new MiningQuery(e.id(), e.query(), p));
      }
    }
    return out;
  }
}
