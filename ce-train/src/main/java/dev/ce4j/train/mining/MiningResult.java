package dev.ce4j.train.mining;

import dev.ce4j.api.TextPair;
import dev.ce4j.train.data.LabelKind;
import dev.ce4j.train.data.ListwiseDataset;
import dev.ce4j.train.data.ListwiseExample;
import dev.ce4j.train.data.Origin;
import dev.ce4j.train.data.PairDataset;
import dev.ce4j.train.data.PairExample;
import java.util.ArrayList;
import java.util.List;

/**
 * What a mining run produced, per query in input order, with conversions to training data.
 *
 * @param queries the mined queries, never null
 * @param numNegatives the number of negatives asked per query
 */
public record MiningResult(List<MinedQuery> queries, int numNegatives) {
  /** Copies. */
  public MiningResult {
    queries = List.copyOf(queries);
  }

  /**
   * The number of queries that got fewer negatives than asked.
   *
   * @return the count
   */
  public int incompleteQueries() {
    return (int) queries.stream().filter(q -> q.negatives().size() < numNegatives).count();
  }

  /**
   * Pairs: per query, each positive with label 1, then each negative with label 0.
   *
   * @return the dataset, never null
   */
  public PairDataset toPairs() {
    List<PairExample> out = new ArrayList<>();
    for (MinedQuery q : queries) {
      Origin origin = Origin.inMemory("mined:" + q.id());
      q.positives().forEach(p -> out.add(new PairExample(TextPair.of(q.query(), p), new double[] {1}, origin)));
      q.negatives().forEach(n -> out.add(new PairExample(TextPair.of(q.query(), n), new double[] {0}, origin)));
    }
    return PairDataset.of(out, LabelKind.SCALAR);
  }

  /**
   * Listwise records: per query, the positives (label 1) then the negatives (label 0).
   *
   * @return the dataset, never null
   */
  public ListwiseDataset toListwise() {
    List<ListwiseExample> out = new ArrayList<>();
    for (MinedQuery q : queries) {
      List<String> docs = new ArrayList<>(q.positives());
      docs.addAll(q.negatives());
      double[] labels = new double[docs.size()];
      for (int i = 0; i < q.positives().size(); i++) {
        labels[i] = 1;
      }
      out.add(new ListwiseExample(q.id(), q.query(), docs, labels, Origin.inMemory("mined:" + q.id())));
    }
    return ListwiseDataset.of(out);
  }
}
