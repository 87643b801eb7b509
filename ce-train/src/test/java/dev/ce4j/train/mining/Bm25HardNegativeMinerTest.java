package dev.ce4j.train.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.train.data.LabelKind;
import dev.ce4j.train.data.ListwiseDataset;
import dev.ce4j.train.data.PairDataset;
import dev.ce4j.train.data.PairExample;
import dev.ce4j.train.sampling.SplitMix64;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25HardNegativeMinerTest {
  private static final List<String> CORPUS =
      List.of(
          "the cat sat on the mat", // 0
          "a cat and a dog", // 1
          "dogs chase cats", // 2
          "the mat is red", // 3
          "cat cat cat", // 4
          "birds fly south", // 5
          "apple zebra", // 6
          "apple aardvark", // 7
          "apple pie recipe"); // 8

  /**
   * BM25 as Lucene 9 defines it (k1 = 1.2, b = 0.75, no (k1 + 1) factor), computed here from the
   * corpus by hand-rolled counting: idf = ln(1 + (N - n + 0.5) / (n + 0.5)), score = sum over query
   * terms of idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)).
   */
  private static double referenceBm25(String query, int doc) {
    double k1 = 1.2;
    double b = 0.75;
    List<List<String>> tokens = new ArrayList<>();
    long total = 0;
    for (String d : CORPUS) {
      List<String> t = List.of(d.split(" "));
      tokens.add(t);
      total += t.size();
    }
    double avgdl = (double) total / CORPUS.size();
    double score = 0;
    for (String term : query.split(" ")) {
      long n = tokens.stream().filter(t -> t.contains(term)).count();
      double idf = Math.log(1 + (CORPUS.size() - n + 0.5) / (n + 0.5));
      List<String> d = tokens.get(doc);
      long tf = d.stream().filter(term::equals).count();
      score += idf * tf / (tf + k1 * (1 - b + b * d.size() / avgdl));
    }
    return score;
  }

  @Test
  void scoresAreBm25AndRankedBestFirst() {
    try (Bm25HardNegativeMiner m = new Bm25HardNegativeMiner(CORPUS)) {
      List<Bm25HardNegativeMiner.Candidate> top = m.search("cat mat", 10);
      assertThat(top).extracting(Bm25HardNegativeMiner.Candidate::index).containsExactlyInAnyOrder(0, 1, 3, 4);
      for (Bm25HardNegativeMiner.Candidate c : top) {
        assertThat((double) c.score()).as("doc %d", c.index()).isCloseTo(referenceBm25("cat mat", c.index()), within(1e-5));
      }
      for (int i = 1; i < top.size(); i++) {
        assertThat(top.get(i).score()).isLessThanOrEqualTo(top.get(i - 1).score());
      }
      assertThat(top.get(0).index()).isZero();
    }
  }

  @Test
  void tiesAreBrokenByCorpusIndex() {
    try (Bm25HardNegativeMiner m = new Bm25HardNegativeMiner(CORPUS)) {
      List<Bm25HardNegativeMiner.Candidate> top = m.search("apple", 10);
      // "apple zebra" (6) and "apple aardvark" (7) score the same: index order, not text order
      assertThat(top).extracting(Bm25HardNegativeMiner.Candidate::index).containsExactly(6, 7, 8);
      assertThat(top.get(0).score()).isEqualTo(top.get(1).score());
    }
  }

  @Test
  void topStrategyTakesTheBestNonPositivesInRange() {
    MiningQuery q = new MiningQuery("q1", "cat mat", List.of("the cat sat on the mat"));
    try (Bm25HardNegativeMiner m = new Bm25HardNegativeMiner(CORPUS)) {
      List<Bm25HardNegativeMiner.Candidate> ranked = m.search("cat mat", 10);
      List<String> expected = ranked.stream().filter(c -> c.index() != 0).map(c -> CORPUS.get(c.index())).toList();
      MinedQuery top2 = m.mine(List.of(q), MiningOptions.DEFAULTS.withNumNegatives(2), new DefaultSeedStrategy(1)).queries().get(0);
      assertThat(top2.negatives()).containsExactlyElementsOf(expected.subList(0, 2));
      assertThat(top2.positiveScores()[0]).isEqualTo(ranked.get(0).score());
      MinedQuery skip1 = m.mine(List.of(q), MiningOptions.DEFAULTS.withNumNegatives(2).withRange(1, 100), new DefaultSeedStrategy(1)).queries().get(0);
      assertThat(skip1.negatives()).containsExactlyElementsOf(expected.subList(1, 3));
      MinedQuery capped = m.mine(List.of(q), MiningOptions.DEFAULTS.withNumNegatives(5).withRange(0, 2), new DefaultSeedStrategy(1)).queries().get(0);
      assertThat(capped.negatives()).containsExactlyElementsOf(expected.subList(0, 2));
    }
  }

  @Test
  void marginsDropCandidatesTooCloseToThePositive() {
    MiningQuery q = new MiningQuery("q1", "cat mat", List.of("the cat sat on the mat"));
    try (Bm25HardNegativeMiner m = new Bm25HardNegativeMiner(CORPUS)) {
      float pos = m.mine(List.of(q), MiningOptions.DEFAULTS, new DefaultSeedStrategy(1)).queries().get(0).positiveScores()[0];
      List<Bm25HardNegativeMiner.Candidate> all = m.search("cat mat", 10);
      double margin = 0.4;
      MinedQuery abs = m.mine(List.of(q), MiningOptions.DEFAULTS.withNumNegatives(10).withAbsoluteMargin(margin), new DefaultSeedStrategy(1)).queries().get(0);
      long expectedAbs = all.stream().filter(c -> c.index() != 0 && c.score() + margin <= pos).count();
      assertThat(abs.negatives()).hasSize((int) expectedAbs);
      for (float s : abs.negativeScores()) {
        assertThat(s + margin).isLessThanOrEqualTo(pos);
      }
      MinedQuery rel = m.mine(List.of(q), MiningOptions.DEFAULTS.withNumNegatives(10).withRelativeMargin(0.5), new DefaultSeedStrategy(1)).queries().get(0);
      long expectedRel = all.stream().filter(c -> c.index() != 0 && c.score() <= pos * 0.5).count();
      assertThat(rel.negatives()).hasSize((int) expectedRel);
      assertThat(expectedRel).isLessThan(3);
      MinedQuery none = m.mine(List.of(q), MiningOptions.DEFAULTS.withAbsoluteMargin(pos), new DefaultSeedStrategy(1)).queries().get(0);
      assertThat(none.negatives()).isEmpty();
      MinedQuery bounded = m.mine(List.of(q), MiningOptions.DEFAULTS.withNumNegatives(10).withScoreBounds(Double.NaN, pos * 0.5), new DefaultSeedStrategy(1)).queries().get(0);
      assertThat(bounded.negatives()).hasSize((int) expectedRel);
    }
  }

  private static List<String> randomCorpus(long seed, int n) {
    String[] words = {"red", "blue", "cat", "dog", "mat", "sun", "tea", "java", "lake", "tree", "car", "road"};
    SplitMix64 r = new SplitMix64(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder();
      int len = 2 + r.nextInt(5);
      for (int w = 0; w < len; w++) {
        b.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
      }
      out.add(b.toString());
    }
    out.add(out.get(3)); // a duplicate text
    return out;
  }

  private static List<MiningQuery> randomQueries(List<String> corpus) {
    List<MiningQuery> qs = new ArrayList<>();
    SplitMix64 r = new SplitMix64(99);
    for (int i = 0; i < 30; i++) {
      List<String> pos = List.of(corpus.get(r.nextInt(corpus.size())), corpus.get(r.nextInt(corpus.size())));
      qs.add(new MiningQuery("q" + i, pos.get(0).split(" ")[0] + " " + pos.get(1).split(" ")[1], pos));
    }
    qs.add(new MiningQuery("dup", "cat", List.of(corpus.get(3))));
    return qs;
  }

  @Test
  void neverReturnsAPositiveAndIsReproducible() {
    List<String> corpus = randomCorpus(7, 120);
    List<MiningQuery> queries = randomQueries(corpus);
    for (SamplingStrategy strategy : SamplingStrategy.values()) {
      MiningOptions o = MiningOptions.DEFAULTS.withNumNegatives(4).withRange(0, 40).withStrategy(strategy);
      MiningResult a = Bm25HardNegativeMiner.mine(queries, corpus, o, new DefaultSeedStrategy(5));
      MiningResult b = Bm25HardNegativeMiner.mine(queries, corpus, o, new DefaultSeedStrategy(5));
      assertThat(a).isEqualTo(b);
      for (MinedQuery q : a.queries()) {
        Set<String> pos = new HashSet<>(q.positives());
        assertThat(q.negatives()).as(q.id()).noneMatch(pos::contains).doesNotHaveDuplicates();
      }
      assertThat(a.queries().stream().mapToInt(q -> q.negatives().size()).sum()).isGreaterThan(100);
    }
  }

  @Test
  void aSavedAndOpenedIndexMinesTheSameAsTheOriginal(@TempDir Path dir) {
    List<String> corpus = randomCorpus(7, 120);
    List<MiningQuery> queries = randomQueries(corpus);
    List<String> docs = new ArrayList<>();
    queries.forEach(q -> docs.addAll(q.positives()));
    docs.addAll(corpus);
    MiningOptions o = MiningOptions.DEFAULTS.withNumNegatives(3).withRange(0, 50).withStrategy(SamplingStrategy.RANDOM);
    MiningResult expected = Bm25HardNegativeMiner.mine(queries, corpus, o, new DefaultSeedStrategy(5));
    try (Bm25HardNegativeMiner original = new Bm25HardNegativeMiner(docs)) {
      original.save(dir.resolve("index"));
    }
    try (Bm25HardNegativeMiner opened = Bm25HardNegativeMiner.open(dir.resolve("index"))) {
      assertThat(opened.mine(queries, o, new DefaultSeedStrategy(5))).isEqualTo(expected);
      // mining one query with stream i is what mining the list does for its i-th query
      for (int i = 0; i < queries.size(); i++) {
        assertThat(opened.mine(queries.get(i), i, o, new DefaultSeedStrategy(5))).isEqualTo(expected.queries().get(i));
      }
      // another stream, another sample for some query
      boolean differs = false;
      for (int i = 0; i < queries.size(); i++) {
        differs |= !opened.mine(queries.get(i), i + 1000, o, new DefaultSeedStrategy(5)).equals(expected.queries().get(i));
      }
      assertThat(differs).isTrue();
    }
  }

  @Test
  void openingAFolderWithoutAnIndexNamesIt(@TempDir Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bm25HardNegativeMiner.open(dir))
        .isInstanceOf(dev.ce4j.api.CeException.class)
        .hasMessage("no saved BM25 index in " + dir + " (ce-corpus.bin is missing)");
  }

  @Test
  void randomSamplingDependsOnTheSeedAndKeepsRankOrder() {
    List<String> corpus = randomCorpus(7, 120);
    List<MiningQuery> queries = randomQueries(corpus);
    MiningOptions o = MiningOptions.DEFAULTS.withNumNegatives(3).withRange(0, 50).withStrategy(SamplingStrategy.RANDOM);
    MiningResult a = Bm25HardNegativeMiner.mine(queries, corpus, o, new DefaultSeedStrategy(5));
    MiningResult c = Bm25HardNegativeMiner.mine(queries, corpus, o, new DefaultSeedStrategy(6));
    assertThat(a).isNotEqualTo(c);
    for (MinedQuery q : a.queries()) {
      float[] s = q.negativeScores();
      for (int i = 1; i < s.length; i++) {
        assertThat(s[i]).isLessThanOrEqualTo(s[i - 1]);
      }
    }
  }

  @Test
  void outputsPairsAndListwise() {
    List<PairExample> pairs = List.of(
        PairExample.of("cat mat", "the cat sat on the mat", 1),
        PairExample.of("cat mat", "birds fly south", 0),
        PairExample.of("apple", "apple pie recipe", 1),
        PairExample.of("tea", "apple zebra", 0));
    PairDataset data = PairDataset.of(pairs, LabelKind.SCALAR);
    List<MiningQuery> qs = MiningQuery.fromPairs(data, 0);
    assertThat(qs).extracting(MiningQuery::query).containsExactly("cat mat", "apple");
    MiningResult r = Bm25HardNegativeMiner.mine(qs, CORPUS, MiningOptions.DEFAULTS.withNumNegatives(2), new DefaultSeedStrategy(0));
    PairDataset out = r.toPairs();
    assertThat(out.size()).isEqualTo(1 + 2 + 1 + 2);
    assertThat(out.get(0).score()).isEqualTo(1.0);
    assertThat(out.get(1).score()).isEqualTo(0.0);
    assertThat(out.get(3).pair().document()).isEqualTo("apple pie recipe");
    assertThat(out.get(3).score()).isEqualTo(1.0);
    assertThat(out.get(4).pair().document()).isEqualTo("apple zebra");
    assertThat(out.get(4).score()).isEqualTo(0.0);
    ListwiseDataset lw = r.toListwise();
    assertThat(lw.get(1).documents()).containsExactly("apple pie recipe", "apple zebra", "apple aardvark");
    assertThat(lw.get(1).labels()).containsExactly(1.0, 0.0, 0.0);
    assertThat(r.incompleteQueries()).isZero();
    assertThat(MiningQuery.fromListwise(lw, 0)).extracting(MiningQuery::positives)
        .containsExactly(List.of("the cat sat on the mat"), List.of("apple pie recipe"));
  }
}
