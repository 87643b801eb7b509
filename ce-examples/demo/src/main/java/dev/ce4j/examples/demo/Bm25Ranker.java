package dev.ce4j.examples.demo;

import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.PairScorer;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BM25 as a {@link PairScorer}: a pair's score is the BM25 score of its document for its query
 * (Lucene, k1 = 1.2, b = 0.75, as {@link Bm25HardNegativeMiner} indexes), over a fixed corpus that
 * holds every document scored; a document among none of the query's best {@code depth} scores 0.
 *
 * <p>Holds the index until {@link #close()}. Thread-safe.
 */
public final class Bm25Ranker implements PairScorer, AutoCloseable {
  private final Bm25HardNegativeMiner index;
  private final int depth;

  /**
   * Indexes a corpus.
   *
   * @param corpus the documents, never null
   * @param depth how many best documents per query are scored, at least 1
   */
  public Bm25Ranker(List<String> corpus, int depth) {
    this.index = new Bm25HardNegativeMiner(corpus);
    this.depth = depth;
  }

  @Override
  public double[][] score(List<TextPair> pairs) {
    Map<String, Map<String, Double>> byQuery = new HashMap<>();
    double[][] out = new double[pairs.size()][];
    for (int i = 0; i < pairs.size(); i++) {
      TextPair p = pairs.get(i);
      Map<String, Double> scores =
          byQuery.computeIfAbsent(
              p.query(),
              q -> {
                Map<String, Double> m = new HashMap<>();
                for (Bm25HardNegativeMiner.Candidate c : index.search(q, depth)) {
                  m.put(index.corpus().get(c.index()), (double) c.score());
                }
                return m;
              });
      out[i] = new double[] {scores.getOrDefault(p.document(), 0.0)};
    }
    return out;
  }

  @Override
  public void close() {
    index.close();
  }
}
