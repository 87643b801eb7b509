package dev.ce4j.examples.demo.wordnet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.CeException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
import dev.ce4j.train.mining.MinedQuery;
import dev.ce4j.train.mining.MiningOptions;
import dev.ce4j.train.mining.MiningQuery;
import dev.ce4j.train.mining.MiningResult;
import dev.ce4j.train.mining.SamplingStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Builds the demo's datasets from WordNet 3.1, deterministically: the same seed and sizes give
 * byte-identical files in every JVM.
 *
 * <h2>Recipe</h2>
 *
 * <ol>
 *   <li><b>Split by word.</b> Every word goes to train, dev or test by {@link Split#of(String)}, a
 *       hash of the word that does not depend on the seed. A noun synset belongs to the split of
 *       its head word (its first lemma); a word pair is kept only when both words are in one
 *       split. No test definition, and no test synset's words, is seen in training.
 *   <li><b>Reranking (a reverse dictionary).</b> Query: the definition of a noun synset (its gloss
 *       without examples, at least four words). Documents: synsets written as their words joined
 *       by {@code ", "} (for example {@code "dog, domestic dog, canis familiaris"}); the one
 *       relevant document is the query's own synset. BM25 finds it when the definition shares
 *       words with it (compounds such as {@code "fire engine"}) and fails when it does not, so it
 *       is a fair baseline a model that knows word meanings can beat. Each split's corpus is the
 *       documents of that split's noun synsets. Queries are drawn by a Fisher-Yates shuffle seeded
 *       with {@code seed("demo-data/queries-<split>", 0)} of a {@link DefaultSeedStrategy} on the
 *       master seed. Candidates: the positive, {@code hardNegatives} BM25 hard negatives sampled
 *       from the 30 best-scoring non-positives by {@link Bm25HardNegativeMiner} ({@link
 *       SamplingStrategy#RANDOM}, seeded by {@code seed("demo-data/mining-<split>", 0)}), and
 *       {@code randomNegatives} other documents of the split drawn with {@code
 *       seed("demo-data/random-<split>", 0)}. Train is written as labelled pairs (the positive,
 *       the first {@code trainHardNegatives} hard negatives and the random ones); dev and test as
 *       listwise records (query, documents, labels), positive first.
 *   <li><b>Binary pairs.</b> For each test query: (definition, its words) labelled 1, (definition,
 *       its first hard negative) and (definition, its first random negative) labelled 0.
 *   <li><b>Multi-label pairs.</b> (word A, word B) with label {@code i} set when some sense of A
 *       has a pointer of {@link Relation} {@code i} to some sense of B (any part of speech; words
 *       of letters, spaces, hyphens and apostrophes only). Related pairs of a split are grouped by
 *       their first relation and drawn round-robin across the groups (each group shuffled with
 *       {@code seed("demo-data/relations-<split>-<relation>", 0)}) so that rare relations
 *       (antonym, similar-to) are represented; a sixth of each split are unrelated pairs (every
 *       label 0) drawn from the split's words with {@code seed("demo-data/unrelated-<split>",
 *       0)}; the split is then shuffled with {@code seed("demo-data/relations-<split>", 0)}.
 * </ol>
 *
 * <p>Not thread-safe while building; the result is immutable.
 */
public final class WordNetDatasets {
  /** The training pairs of the reranking task. */
  public static final String RERANK_TRAIN = "rerank-train.jsonl";
  /** The dev queries of the reranking task (listwise). */
  public static final String RERANK_DEV = "rerank-dev.jsonl";
  /** The test queries of the reranking task (listwise). */
  public static final String RERANK_TEST = "rerank-test.jsonl";
  /** The binary (definition, words) test pairs. */
  public static final String BINARY_TEST = "binary-test.jsonl";
  /** The multi-label training pairs. */
  public static final String RELATIONS_TRAIN = "relations-train.jsonl";
  /** The multi-label dev pairs. */
  public static final String RELATIONS_DEV = "relations-dev.jsonl";
  /** The multi-label test pairs. */
  public static final String RELATIONS_TEST = "relations-test.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern WORD = Pattern.compile("[a-z][a-z' -]*[a-z]");

  /**
   * What was built.
   *
   * @param folder the folder holding the files
   * @param testCorpus the documents of the test split, in corpus order (BM25's index)
   * @param counts a line per file, such as {@code rerank-train.jsonl: 10000 pairs}
   */
  public record Built(Path folder, List<String> testCorpus, List<String> counts) {
    /** Copies. */
    public Built {
      testCorpus = List.copyOf(testCorpus);
      counts = List.copyOf(counts);
    }

    /**
     * A file of the folder.
     *
     * @param name one of the file name constants
     * @return its path, never null
     */
    public Path file(String name) {
      return folder.resolve(name);
    }
  }

  private WordNetDatasets() {}

  /**
   * Builds every dataset into a folder.
   *
   * @param wordNet the dictionary, never null
   * @param seed the master seed
   * @param sizes how many examples, never null
   * @param folder the folder to write, created if needed, never null
   * @return what was built, never null
   * @throws UncheckedIOException if writing fails
   */
  public static Built build(WordNet wordNet, long seed, DatasetSizes sizes, Path folder) {
    SeedStrategy seeds = new DefaultSeedStrategy(seed);
    List<String> counts = new ArrayList<>();
    Map<Split, List<WordNetSynset>> nouns = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      nouns.put(s, new ArrayList<>());
    }
    for (WordNetSynset s : wordNet.synsets()) {
      if (s.pos().equals("n")) {
        nouns.get(Split.of(s.head())).add(s);
      }
    }
    try {
      Files.createDirectories(folder);
      List<String> testCorpus = List.of();
      for (Split split : Split.values()) {
        int n = switch (split) {
          case TRAIN -> sizes.trainQueries();
          case DEV -> sizes.devQueries();
          case TEST -> sizes.testQueries();
        };
        List<String> corpus = nouns.get(split).stream().map(WordNetSynset::wordsText).distinct().toList();
        List<WordNetSynset> eligible =
            nouns.get(split).stream().filter(s -> s.definition().split(" ").length >= 4).toList();
        List<WordNetSynset> queries =
            shuffled(eligible, seeds.seed("demo-data/queries-" + split.fileName(), 0))
                .subList(0, Math.min(n, eligible.size()));
        List<Candidates> cands = candidates(queries, corpus, sizes, seeds, split);
        switch (split) {
          case TRAIN -> {
            List<String> lines = new ArrayList<>();
            for (Candidates c : cands) {
              lines.add(pair(c.query, c.positive, 1));
              for (String d : c.hard.subList(0, Math.min(sizes.trainHardNegatives(), c.hard.size()))) {
                lines.add(pair(c.query, d, 0));
              }
              for (String d : c.random) {
                lines.add(pair(c.query, d, 0));
              }
            }
            write(folder.resolve(RERANK_TRAIN), lines);
            counts.add(RERANK_TRAIN + ": " + lines.size() + " pairs from " + cands.size() + " definitions");
          }
          case DEV, TEST -> {
            String name = split == Split.DEV ? RERANK_DEV : RERANK_TEST;
            List<String> lines = new ArrayList<>();
            for (Candidates c : cands) {
              lines.add(listwise(c));
            }
            write(folder.resolve(name), lines);
            counts.add(name + ": " + lines.size() + " queries, " + (1 + sizes.hardNegatives() + sizes.randomNegatives())
                + " candidates each, from a corpus of " + corpus.size() + " synsets");
            if (split == Split.TEST) {
              testCorpus = corpus;
              List<String> binary = new ArrayList<>();
              for (Candidates c : cands) {
                binary.add(pair(c.query, c.positive, 1));
                binary.add(pair(c.query, c.hard.get(0), 0));
                if (!c.random.isEmpty()) {
                  binary.add(pair(c.query, c.random.get(0), 0));
                }
              }
              write(folder.resolve(BINARY_TEST), binary);
              counts.add(BINARY_TEST + ": " + binary.size() + " (definition, words) pairs");
            }
          }
          default -> throw new IllegalStateException(split.toString());
        }
      }
      relationPairs(wordNet, sizes, seeds, folder, counts);
      return new Built(folder, testCorpus, counts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the datasets to " + folder, e);
    }
  }

  private record Candidates(String query, String positive, List<String> hard, List<String> random) {}

  private static List<Candidates> candidates(
      List<WordNetSynset> queries, List<String> corpus, DatasetSizes sizes, SeedStrategy seeds, Split split) {
    List<MiningQuery> mq = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      WordNetSynset s = queries.get(i);
      mq.add(new MiningQuery(split.fileName() + "-" + i, s.definition(), List.of(s.wordsText())));
    }
    MiningOptions options =
        MiningOptions.DEFAULTS.withRange(0, 30).withNumNegatives(sizes.hardNegatives())
            .withStrategy(SamplingStrategy.RANDOM);
    MiningResult mined;
    try (Bm25HardNegativeMiner miner = new Bm25HardNegativeMiner(corpus)) {
      mined = miner.mine(mq, options, new DefaultSeedStrategy(seeds.seed("demo-data/mining-" + split.fileName(), 0)));
    }
    SplittableRandom random = new SplittableRandom(seeds.seed("demo-data/random-" + split.fileName(), 0));
    List<Candidates> out = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      MinedQuery m = mined.queries().get(i);
      String positive = queries.get(i).wordsText();
      List<String> hard = new ArrayList<>(m.negatives());
      Set<String> taken = new LinkedHashSet<>(hard);
      taken.add(positive);
      List<String> rnd = new ArrayList<>();
      while (rnd.size() < sizes.randomNegatives() && taken.size() < corpus.size()) {
        String d = corpus.get(random.nextInt(corpus.size()));
        if (taken.add(d)) {
          rnd.add(d);
        }
      }
      if (hard.isEmpty()) {
        // a definition sharing no word with any other synset: fall back to random documents
        while (hard.isEmpty() && taken.size() < corpus.size()) {
          String d = corpus.get(random.nextInt(corpus.size()));
          if (taken.add(d)) {
            hard.add(d);
          }
        }
      }
      out.add(new Candidates(m.query(), positive, hard, rnd));
    }
    return out;
  }

  private static void relationPairs(
      WordNet wordNet, DatasetSizes sizes, SeedStrategy seeds, Path folder, List<String> counts)
      throws IOException {
    Map<Split, Map<Relation, List<List<String>>>> groups = new EnumMap<>(Split.class);
    Map<Split, List<String>> vocab = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      Map<Relation, List<List<String>>> g = new EnumMap<>(Relation.class);
      for (Relation r : Relation.values()) {
        g.put(r, new ArrayList<>());
      }
      groups.put(s, g);
      vocab.put(s, new ArrayList<>());
    }
    Map<Split, Set<String>> seen = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      seen.put(s, new LinkedHashSet<>());
    }
    for (List<String> p : wordNet.relatedPairs()) {
      String a = p.get(0);
      String b = p.get(1);
      if (!WORD.matcher(a).matches() || !WORD.matcher(b).matches()) {
        continue;
      }
      Split s = Split.of(a);
      if (Split.of(b) != s) {
        continue;
      }
      Relation first = wordNet.relations(a, b).iterator().next();
      groups.get(s).get(first).add(p);
      if (seen.get(s).add(a)) {
        vocab.get(s).add(a);
      }
      if (seen.get(s).add(b)) {
        vocab.get(s).add(b);
      }
    }
    for (Split s : Split.values()) {
      int n = switch (s) {
        case TRAIN -> sizes.relationTrain();
        case DEV -> sizes.relationDev();
        case TEST -> sizes.relationTest();
      };
      int unrelated = n / 6;
      int related = n - unrelated;
      List<List<List<String>>> pools = new ArrayList<>();
      for (Relation r : Relation.values()) {
        pools.add(shuffled(groups.get(s).get(r), seeds.seed("demo-data/relations-" + s.fileName() + "-" + r.label(), 0)));
      }
      List<List<String>> chosen = new ArrayList<>();
      int[] next = new int[pools.size()];
      boolean any = true;
      while (chosen.size() < related && any) {
        any = false;
        for (int i = 0; i < pools.size() && chosen.size() < related; i++) {
          if (next[i] < pools.get(i).size()) {
            chosen.add(pools.get(i).get(next[i]++));
            any = true;
          }
        }
      }
      SplittableRandom random = new SplittableRandom(seeds.seed("demo-data/unrelated-" + s.fileName(), 0));
      List<String> words = vocab.get(s);
      int tries = 0;
      int added = 0;
      while (added < unrelated && words.size() > 1 && tries++ < 100 * unrelated) {
        String a = words.get(random.nextInt(words.size()));
        String b = words.get(random.nextInt(words.size()));
        if (!a.equals(b) && wordNet.relations(a, b).isEmpty()) {
          chosen.add(List.of(a, b));
          added++;
        }
      }
      List<List<String>> all = shuffled(chosen, seeds.seed("demo-data/relations-" + s.fileName(), 0));
      List<String> lines = new ArrayList<>();
      int[] support = new int[Relation.values().length];
      for (List<String> p : all) {
        Set<Relation> rel = wordNet.relations(p.get(0), p.get(1));
        int[] label = new int[Relation.values().length];
        for (Relation r : rel) {
          label[r.ordinal()] = 1;
          support[r.ordinal()]++;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("pair", p);
        rec.put("label", label);
        lines.add(json(rec));
      }
      String name = switch (s) {
        case TRAIN -> RELATIONS_TRAIN;
        case DEV -> RELATIONS_DEV;
        case TEST -> RELATIONS_TEST;
      };
      write(folder.resolve(name), lines);
      StringBuilder sup = new StringBuilder();
      for (Relation r : Relation.values()) {
        sup.append(sup.length() == 0 ? "" : ", ").append(r.label()).append(' ').append(support[r.ordinal()]);
      }
      counts.add(name + ": " + lines.size() + " word pairs (" + sup + ", unrelated " + added + ")");
    }
  }

  /** A Fisher-Yates shuffle of a copy, seeded. */
  static <T> List<T> shuffled(List<T> items, long seed) {
    List<T> copy = new ArrayList<>(items);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return copy;
  }

  private static String pair(String a, String b, int label) {
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("pair", List.of(a, b));
    rec.put("label", label);
    return json(rec);
  }

  private static String listwise(Candidates c) {
    List<String> docs = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    docs.add(c.positive);
    labels.add(1);
    for (String d : c.hard) {
      docs.add(d);
      labels.add(0);
    }
    for (String d : c.random) {
      docs.add(d);
      labels.add(0);
    }
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("query", c.query);
    rec.put("documents", docs);
    rec.put("labels", labels);
    return json(rec);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new CeException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static void write(Path file, List<String> lines) throws IOException {
    Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
