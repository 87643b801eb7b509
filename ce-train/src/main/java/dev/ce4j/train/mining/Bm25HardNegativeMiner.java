package dev.ce4j.train.mining;

import dev.ce4j.api.CeException;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.train.sampling.SplitMix64;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;

/**
 * Mines hard negatives with BM25: the corpus is indexed in memory (Lucene's {@link
 * ByteBuffersDirectory}, {@link StandardAnalyzer} with no stop words, {@link BM25Similarity} with
 * its defaults k1 = 1.2, b = 0.75); each query is analysed the same way and scored as a disjunction
 * of its distinct terms, a term repeated in the query weighing as often as it occurs (the first
 * half of {@link IndexSearcher#getMaxClauseCount()} distinct terms are used, leaving room for the
 * exclusion of positives).
 *
 * <p>The corpus is deduplicated by text (first occurrence wins) and a document's index is its
 * position in the deduplicated corpus; ties in score are broken by that index. A positive is
 * excluded by text, so a duplicate of a positive is never a negative. See {@link MiningOptions} for
 * the selection. With {@link SamplingStrategy#RANDOM}, query {@code i} (its position in the input
 * list) samples with {@link SplitMix64} seeded by {@code seeds.seed(NEGATIVE_SAMPLING, i)}: the same
 * corpus, queries, options and seed give the same negatives in every JVM.
 *
 * <p>{@link #save(Path)} writes the index and the corpus to a folder and {@link #open(Path)} reads
 * them back (how a cluster job builds the index once and ships it); the opened miner searches the
 * same segments and gives the same results.
 *
 * <p>Holds the index until {@link #close()}. Searching is thread-safe; the result is independent of
 * threads.
 */
public final class Bm25HardNegativeMiner implements AutoCloseable {
  private static final String ID = "id";
  private static final String TEXT = "text";
  /** The corpus file {@link #save(Path)} writes next to the Lucene files. */
  private static final String CORPUS_FILE = "ce-corpus.bin";

  private final List<String> corpus;
  private final Map<String, Integer> indexOf;
  private final Analyzer analyzer;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  /**
   * Indexes a corpus.
   *
   * @param documents the corpus, never null; duplicates are dropped
   * @throws CeException if Lucene fails to index in memory
   */
  public Bm25HardNegativeMiner(List<String> documents) {
    Objects.requireNonNull(documents, "documents");
    LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
    for (String d : documents) {
      map.putIfAbsent(Objects.requireNonNull(d, "document"), map.size());
    }
    this.indexOf = map;
    this.corpus = List.copyOf(map.keySet());
    this.analyzer = new StandardAnalyzer();
    this.directory = new ByteBuffersDirectory();
    try {
      IndexWriterConfig cfg =
          new IndexWriterConfig(analyzer)
              .setSimilarity(new BM25Similarity())
              // no merges and one writer thread: Lucene doc ids are the corpus indices
              .setMergePolicy(NoMergePolicy.INSTANCE)
              .setRAMBufferSizeMB(256);
      try (IndexWriter w = new IndexWriter(directory, cfg)) {
        for (int i = 0; i < corpus.size(); i++) {
          Document doc = new Document();
          doc.add(new StringField(ID, Integer.toString(i), Field.Store.YES));
          doc.add(new TextField(TEXT, corpus.get(i), Field.Store.NO));
          w.addDocument(doc);
        }
        w.commit();
      }
      this.reader = DirectoryReader.open(directory);
      this.searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity());
      for (int i = 0; i < Math.min(corpus.size(), 3); i++) {
        int at = corpus.size() - 1 - i;
        if (!Integer.toString(at).equals(searcher.storedFields().document(at).get(ID))) {
          throw new IllegalStateException("Lucene doc ids do not follow insertion order");
        }
      }
    } catch (IOException e) {
      throw new CeException("cannot build the in-memory BM25 index: " + e.getMessage(), e);
    }
  }

  private Bm25HardNegativeMiner(List<String> corpus, Directory directory) throws IOException {
    LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
    for (String d : corpus) {
      map.putIfAbsent(d, map.size());
    }
    if (map.size() != corpus.size()) {
      throw new IOException("the saved corpus has duplicate documents");
    }
    this.indexOf = map;
    this.corpus = List.copyOf(corpus);
    this.analyzer = new StandardAnalyzer();
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    if (reader.maxDoc() != corpus.size()) {
      reader.close();
      throw new IOException("the saved index has " + reader.maxDoc() + " documents, its corpus " + corpus.size());
    }
    this.searcher = new IndexSearcher(reader);
    searcher.setSimilarity(new BM25Similarity());
  }

  /**
   * Writes the index and the deduplicated corpus to a folder, for {@link #open(Path)}.
   *
   * @param folder an empty or missing folder, never null
   * @throws CeException if writing fails
   */
  public void save(Path folder) {
    Objects.requireNonNull(folder, "folder");
    try {
      Files.createDirectories(folder);
      try (FSDirectory out = FSDirectory.open(folder)) {
        for (String file : directory.listAll()) {
          out.copyFrom(directory, file, file, IOContext.DEFAULT);
        }
      }
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Files.newOutputStream(folder.resolve(CORPUS_FILE))))) {
        out.writeInt(corpus.size());
        for (String d : corpus) {
          byte[] b = d.getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }
      }
    } catch (IOException e) {
      throw new CeException("cannot write the BM25 index to " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an index written by {@link #save(Path)}; the folder must stay until {@link #close()}.
   *
   * @param folder the folder, never null
   * @return the miner, to be closed, never null
   * @throws CeException naming the folder if it holds no saved index or a damaged one
   */
  public static Bm25HardNegativeMiner open(Path folder) {
    Objects.requireNonNull(folder, "folder");
    Path corpusFile = folder.resolve(CORPUS_FILE);
    if (!Files.isRegularFile(corpusFile)) {
      throw new CeException("no saved BM25 index in " + folder + " (" + CORPUS_FILE + " is missing)");
    }
    try {
      List<String> docs = new ArrayList<>();
      try (InputStream raw = Files.newInputStream(corpusFile);
          DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          docs.add(new String(b, StandardCharsets.UTF_8));
        }
      }
      return new Bm25HardNegativeMiner(docs, FSDirectory.open(folder));
    } catch (IOException e) {
      throw new CeException("cannot open the BM25 index in " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Mines negatives for a list of pairs' or listwise data's queries against the corpus of all their
   * documents plus {@code extraCorpus}.
   *
   * @param queries the queries, never null
   * @param extraCorpus more documents to draw negatives from, never null (may be empty)
   * @param options the selection, never null
   * @param seeds the run's seed strategy (used by {@link SamplingStrategy#RANDOM}), never null
   * @return the result, never null
   */
  public static MiningResult mine(
      List<MiningQuery> queries, List<String> extraCorpus, MiningOptions options, SeedStrategy seeds) {
    List<String> docs = new ArrayList<>();
    queries.forEach(q -> docs.addAll(q.positives()));
    docs.addAll(extraCorpus);
    try (Bm25HardNegativeMiner m = new Bm25HardNegativeMiner(docs)) {
      return m.mine(queries, options, seeds);
    }
  }

  /**
   * The deduplicated corpus, in index order.
   *
   * @return an unmodifiable list, never null
   */
  public List<String> corpus() {
    return corpus;
  }

  /**
   * A scored candidate.
   *
   * @param index the corpus index
   * @param score the BM25 score
   */
  public record Candidate(int index, float score) {}

  /**
   * The best {@code k} corpus documents for a text, best first (ties by corpus index).
   *
   * @param query the query text, never null
   * @param k how many, at least 0
   * @return the candidates, never null; fewer when fewer documents share a term with the query
   */
  public List<Candidate> search(String query, int k) {
    return search(query, k, List.of());
  }

  private List<Candidate> search(String query, int k, List<Integer> excluded) {
    Query q = bm25Query(query, excluded);
    if (q == null || k == 0 || corpus.isEmpty()) {
      return List.of();
    }
    try {
      TopDocs top = searcher.search(q, Math.min(k, corpus.size()));
      List<Candidate> out = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        out.add(new Candidate(sd.doc, sd.score));
      }
      out.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.index, b.index));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Mines negatives for each query.
   *
   * @param queries the queries, never null; every positive must be in the corpus
   * @param options the selection, never null
   * @param seeds the run's seed strategy, never null
   * @return one mined query per input query, in order, never null
   * @throws IllegalArgumentException if a positive is not in the corpus
   */
  public MiningResult mine(List<MiningQuery> queries, MiningOptions options, SeedStrategy seeds) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(seeds, "seeds");
    List<MinedQuery> out = new ArrayList<>(queries.size());
    for (int qi = 0; qi < queries.size(); qi++) {
      out.add(mine(queries.get(qi), qi, options, seeds));
    }
    return new MiningResult(out, options.numNegatives());
  }

  /**
   * Mines negatives for one query with a given random stream: what {@link #mine(List, MiningOptions,
   * SeedStrategy)} does for the query at position {@code stream}. A caller that mines queries in
   * any order or in parallel (a cluster job) passes a stream derived from the query itself, so that
   * the result does not depend on how the queries are split.
   *
   * @param q the query, never null; every positive must be in the corpus
   * @param stream the index of the query's {@link SeedPurpose#NEGATIVE_SAMPLING} stream
   * @param o the selection, never null
   * @param seeds the run's seed strategy, never null
   * @return the mined query, never null
   * @throws IllegalArgumentException if a positive is not in the corpus
   */
  public MinedQuery mine(MiningQuery q, long stream, MiningOptions o, SeedStrategy seeds) {
    Objects.requireNonNull(q, "q");
    Objects.requireNonNull(o, "options");
    Objects.requireNonNull(seeds, "seeds");
    List<Integer> positives = new ArrayList<>();
    for (String p : q.positives()) {
      Integer idx = indexOf.get(p);
      if (idx == null) {
        throw new IllegalArgumentException("positive of query '" + q.id() + "' is not in the corpus: " + p);
      }
      positives.add(idx);
    }
    float[] posScores = positiveScores(q.query(), positives);
    float refScore = Float.POSITIVE_INFINITY;
    for (float s : posScores) {
      refScore = Math.min(refScore, s);
    }
    List<Candidate> ranked = search(q.query(), o.rangeMax(), positives);
    List<Candidate> eligible = new ArrayList<>();
    for (int r = o.rangeMin(); r < ranked.size(); r++) {
      Candidate c = ranked.get(r);
      double s = c.score;
      if (o.maxScore().isPresent() && s > o.maxScore().getAsDouble()) {
        continue;
      }
      if (o.minScore().isPresent() && s < o.minScore().getAsDouble()) {
        continue;
      }
      if (o.absoluteMargin().isPresent() && s + o.absoluteMargin().getAsDouble() > refScore) {
        continue;
      }
      if (o.relativeMargin().isPresent() && s > refScore * (1 - o.relativeMargin().getAsDouble())) {
        continue;
      }
      eligible.add(c);
    }
    List<Candidate> chosen;
    if (eligible.size() <= o.numNegatives()) {
      chosen = eligible;
    } else if (o.strategy() == SamplingStrategy.TOP) {
      chosen = eligible.subList(0, o.numNegatives());
    } else {
      int[] pick = new int[eligible.size()];
      for (int i = 0; i < pick.length; i++) {
        pick[i] = i;
      }
      // partial Fisher-Yates: the first numNegatives slots receive a uniform sample
      SplitMix64 rnd = new SplitMix64(seeds.seed(SeedPurpose.NEGATIVE_SAMPLING, stream));
      for (int i = 0; i < o.numNegatives(); i++) {
        int j = i + rnd.nextInt(pick.length - i);
        int t = pick[i];
        pick[i] = pick[j];
        pick[j] = t;
      }
      int[] sample = Arrays.copyOf(pick, o.numNegatives());
      Arrays.sort(sample);
      chosen = new ArrayList<>();
      for (int i : sample) {
        chosen.add(eligible.get(i));
      }
    }
    List<String> negatives = new ArrayList<>(chosen.size());
    float[] negScores = new float[chosen.size()];
    for (int i = 0; i < chosen.size(); i++) {
      negatives.add(corpus.get(chosen.get(i).index));
      negScores[i] = chosen.get(i).score;
    }
    return new MinedQuery(q.id(), q.query(), q.positives(), posScores, negatives, negScores);
  }

  private float[] positiveScores(String query, List<Integer> positives) {
    float[] out = new float[positives.size()];
    Query terms = termsQuery(query);
    if (terms == null) {
      return out;
    }
    BooleanQuery.Builder ids = new BooleanQuery.Builder();
    for (int p : positives) {
      ids.add(new TermQuery(new Term(ID, Integer.toString(p))), BooleanClause.Occur.SHOULD);
    }
    Query q =
        new BooleanQuery.Builder()
            .add(terms, BooleanClause.Occur.MUST)
            .add(ids.build(), BooleanClause.Occur.FILTER)
            .build();
    try {
      Map<Integer, Float> scores = new HashMap<>();
      for (ScoreDoc sd : searcher.search(q, positives.size()).scoreDocs) {
        scores.put(sd.doc, sd.score);
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = scores.getOrDefault(positives.get(i), 0f);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Query bm25Query(String query, List<Integer> excluded) {
    Query terms = termsQuery(query);
    if (terms == null) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(terms, BooleanClause.Occur.MUST);
    for (int e : excluded) {
      b.add(new TermQuery(new Term(ID, Integer.toString(e))), BooleanClause.Occur.MUST_NOT);
    }
    return b.build();
  }

  private Query termsQuery(String query) {
    LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream ts = analyzer.tokenStream(TEXT, query)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String t = term.toString();
        if (counts.containsKey(t) || counts.size() < IndexSearcher.getMaxClauseCount() / 2) {
          counts.merge(t, 1, Integer::sum);
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (counts.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    counts.forEach((t, n) -> {
      Query tq = new TermQuery(new Term(TEXT, t));
      b.add(n == 1 ? tq : new BoostQuery(tq, n), BooleanClause.Occur.SHOULD);
    });
    return b.build();
  }

  /** Releases the index. */
  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
      analyzer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
