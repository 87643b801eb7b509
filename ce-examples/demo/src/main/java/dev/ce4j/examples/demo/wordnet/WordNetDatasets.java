package dev.ce4j.examples.demo.wordnet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.CeException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.train.mining.Bm25HardNegativeMiner;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

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
 *   <li><b>Reranking (a reverse dictionary).</b> Query: the definition of a synset (its gloss
 *       without examples, at least four words): nouns for dev and test; nouns, or every part of
 *       speech ({@link DatasetSizes#trainAllPartsOfSpeech()}), for train. Documents: synsets written
 *       as their words joined by {@code ", "} (for example {@code "dog, domestic dog, canis
 *       familiaris"}); the one relevant document is the query's own synset. BM25 finds it when the
 *       definition shares words with it (compounds such as {@code "fire engine"}) and fails when it
 *       does not, so it is a fair baseline a model that knows word meanings can beat. Each split's
 *       corpus, per part of speech, is the documents of that split's synsets. Queries are drawn by
 *       a Fisher-Yates shuffle seeded with {@code seed("demo-data/queries-<split>", 0)} of a {@link
 *       DefaultSeedStrategy} on the master seed. Candidates: the positive, BM25 hard negatives
 *       sampled from the 30 best-scoring non-positives by {@link Bm25HardNegativeMiner} ({@link
 *       SamplingStrategy#RANDOM}, seeded by {@code seed("demo-data/mining-<split>[-<pos>]", 0)}),
 *       then random documents of the split drawn with {@code seed("demo-data/random-<split>[-<pos>]",
 *       0)} (and random ones in place of hard negatives BM25 cannot find). Training definitions may
 *       have {@link DatasetSizes#trainContentWordNegatives()} more BM25 negatives, mined the same
 *       way with {@code seed("demo-data/mining-content-<split>[-<pos>]", 0)} on the definition's
 *       content words ({@link #contentWords(String)}), none of them among the other candidates:
 *       BM25 on the whole definition often ranks documents first that share only "a", "of" or
 *       "the" with it (such as {@code "housman, a. e. housman, alfred edward housman"}), and these
 *       "hubs" each turn up in about one dev or test list in ten; the content-word negatives instead share a meaningful
 *       word. Every split is written as listwise records (query, documents, labels): the positive,
 *       the BM25 negatives, the content-word ones, the random ones; train with {@code
 *       trainHardNegatives}, {@code trainContentWordNegatives} and {@code trainRandomNegatives},
 *       dev and test with {@code hardNegatives} and {@code randomNegatives}.
 *   <li><b>Generalization sets</b> (test split, nouns, scored like test): a synset's usage example
 *       with its word blanked ({@code "the ___ barked all night"}), and a list of up to four of its
 *       hyponyms' head words ({@code "puppy, pooch, toy dog"}): queries that are not WordNet
 *       definitions, to see whether what the reranker learned carries beyond the glosses' phrasing.
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
  /** The training queries of the reranking task (listwise, the positive first). */
  public static final String RERANK_TRAIN = "rerank-train.jsonl";
  /** The dev queries of the reranking task (listwise). */
  public static final String RERANK_DEV = "rerank-dev.jsonl";
  /** The test queries of the reranking task (listwise). */
  public static final String RERANK_TEST = "rerank-test.jsonl";
  /** The generalization set of usage examples with the word blanked (test split, listwise). */
  public static final String GEN_EXAMPLES = "generalization-examples.jsonl";
  /** The generalization set of hyponym word lists (test split, listwise). */
  public static final String GEN_WORD_LISTS = "generalization-word-lists.jsonl";
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
  private static final List<String> PARTS_OF_SPEECH = List.of("n", "v", "a", "r");
  /** Splits and lowercases as BM25's analyzer does, dropping English stop words; thread-safe, never closed. */
  private static final StandardAnalyzer CONTENT_WORDS = new StandardAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);

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
    Map<Split, Map<String, List<WordNetSynset>>> synsets = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      synsets.put(s, new LinkedHashMap<>());
    }
    for (WordNetSynset s : wordNet.synsets()) {
      synsets.get(Split.of(s.head())).computeIfAbsent(s.pos(), k -> new ArrayList<>()).add(s);
    }
    try {
      Files.createDirectories(folder);
      List<String> testCorpus = List.of();
      for (Split split : Split.values()) {
        Map<String, List<String>> corpora = new LinkedHashMap<>();
        synsets.get(split).forEach((pos, list) ->
            corpora.put(pos, list.stream().map(WordNetSynset::wordsText).distinct().toList()));
        List<String> parts = split == Split.TRAIN && sizes.trainAllPartsOfSpeech() ? PARTS_OF_SPEECH : List.of("n");
        List<WordNetSynset> eligible = new ArrayList<>();
        for (String pos : parts) {
          for (WordNetSynset s : synsets.get(split).getOrDefault(pos, List.of())) {
            if (s.definition().split(" ").length >= 4) {
              eligible.add(s);
            }
          }
        }
        int n = switch (split) {
          case TRAIN -> sizes.trainQueries();
          case DEV -> sizes.devQueries();
          case TEST -> sizes.testQueries();
        };
        List<WordNetSynset> queries =
            shuffled(eligible, seeds.seed("demo-data/queries-" + split.fileName(), 0))
                .subList(0, Math.min(n, eligible.size()));
        boolean train = split == Split.TRAIN;
        int hard = train ? sizes.trainHardNegatives() : sizes.hardNegatives();
        int random = train ? sizes.trainRandomNegatives() : sizes.randomNegatives();
        int content = train ? sizes.trainContentWordNegatives() : 0;
        List<Candidates> cands = new ArrayList<>();
        for (String pos : parts) {
          List<WordNetSynset> ofPos = queries.stream().filter(q -> q.pos().equals(pos)).toList();
          String key = split.fileName() + (pos.equals("n") ? "" : "-" + pos);
          cands.addAll(candidates(ofPos.stream().map(WordNetSynset::definition).toList(),
              ofPos.stream().map(WordNetSynset::wordsText).toList(), corpora.get(pos), hard, content, random, seeds,
              key));
        }
        String name = switch (split) {
          case TRAIN -> RERANK_TRAIN;
          case DEV -> RERANK_DEV;
          case TEST -> RERANK_TEST;
        };
        write(folder.resolve(name), cands.stream().map(WordNetDatasets::listwise).toList());
        counts.add(name + ": " + cands.size() + (train ? " definitions (" + String.join("", parts) + ")" : " queries")
            + ", " + (1 + hard + content + random) + " candidates each (" + (hard > 0 ? hard + " BM25, " : "")
            + (content > 0 ? content + " BM25 on content words, " : "") + random + " random), from a corpus of "
            + corpora.get("n").size() + " noun synsets" + (parts.size() > 1 ? " and the other parts of speech's" : ""));
        if (split == Split.TEST) {
          testCorpus = corpora.get("n");
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
          generalization(synsets.get(split).get("n"), testCorpus, sizes, seeds, folder, counts);
        }
      }
      relationPairs(wordNet, sizes, seeds, folder, counts);
      return new Built(folder, testCorpus, counts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the datasets to " + folder, e);
    }
  }

  /**
   * The two generalization sets of the test split, queries that are not WordNet definitions: a
   * synset's usage example with its word blanked ({@code "the ___ barked all night"}), and a list
   * of its hyponyms' words ({@code "puppy, pooch, toy dog, hunting dog"}); the relevant document is
   * the synset, among BM25 hard and random negatives as in test.
   */
  private static void generalization(
      List<WordNetSynset> nouns, List<String> corpus, DatasetSizes sizes, SeedStrategy seeds, Path folder,
      List<String> counts) throws IOException {
    Map<String, WordNetSynset> byOffset = new LinkedHashMap<>();
    for (WordNetSynset s : nouns) {
      byOffset.put(Long.toString(s.offset()), s);
    }
    List<String[]> examples = new ArrayList<>();
    List<String[]> wordLists = new ArrayList<>();
    for (WordNetSynset s : nouns) {
      String blanked = blanked(s);
      if (blanked != null) {
        examples.add(new String[] {blanked, s.wordsText()});
      }
      List<String> hyponymWords = new ArrayList<>();
      for (long h : s.hyponyms()) {
        WordNetSynset hs = byOffset.get(Long.toString(h));
        if (hs != null && hyponymWords.size() < 4 && !hyponymWords.contains(hs.head())) {
          hyponymWords.add(hs.head());
        }
      }
      if (hyponymWords.size() >= 2) {
        wordLists.add(new String[] {String.join(", ", hyponymWords), s.wordsText()});
      }
    }
    for (Object[] set : new Object[][] {{GEN_EXAMPLES, examples, "usage examples with the word blanked"},
        {GEN_WORD_LISTS, wordLists, "lists of hyponyms' words"}}) {
      String name = (String) set[0];
      @SuppressWarnings("unchecked")
      List<String[]> pool = shuffled((List<String[]>) set[1], seeds.seed("demo-data/" + name, 0));
      pool = pool.subList(0, Math.min(sizes.generalizationQueries(), pool.size()));
      List<Candidates> cands = candidates(pool.stream().map(x -> x[0]).toList(), pool.stream().map(x -> x[1]).toList(),
          corpus, sizes.hardNegatives(), 0, sizes.randomNegatives(), seeds, name);
      write(folder.resolve(name), cands.stream().map(WordNetDatasets::listwise).toList());
      counts.add(name + ": " + cands.size() + " test-split queries (" + set[2] + ")");
    }
  }

  /** A usage example of the synset with its first lemma occurrence replaced by ___, or null. */
  private static String blanked(WordNetSynset s) {
    for (String example : s.examples()) {
      for (String lemma : s.lemmas()) {
        Matcher m = Pattern.compile("(?i)(?<![\\p{L}])" + Pattern.quote(lemma) + "(?:s|es)?(?![\\p{L}])").matcher(example);
        if (m.find() && example.split(" ").length >= 4) {
          return example.substring(0, m.start()) + "___" + example.substring(m.end());
        }
      }
    }
    return null;
  }

  private record Candidates(String query, String positive, List<String> hard, List<String> random) {}

  /**
   * Each query's candidates: its positive, {@code hardNegatives} BM25 hard negatives mined on the
   * whole query, {@code contentNegatives} more mined on its content words ({@link
   * #contentWords(String)}) and not among the first, then {@code randomNegatives} random documents.
   * The written query is the whole text either way.
   */
  private static List<Candidates> candidates(
      List<String> queryTexts, List<String> positives, List<String> corpus, int hardNegatives, int contentNegatives,
      int randomNegatives, SeedStrategy seeds, String key) {
    if (queryTexts.isEmpty()) {
      return List.of();
    }
    List<MiningQuery> mq = new ArrayList<>();
    for (int i = 0; i < queryTexts.size(); i++) {
      mq.add(new MiningQuery(key + "-" + i, queryTexts.get(i), List.of(positives.get(i))));
    }
    List<List<String>> content = new ArrayList<>();
    try (Bm25HardNegativeMiner miner = new Bm25HardNegativeMiner(corpus)) {
      List<List<String>> whole = new ArrayList<>();
      if (hardNegatives > 0) {
        miner.mine(mq, miningOptions(hardNegatives), new DefaultSeedStrategy(seeds.seed("demo-data/mining-" + key, 0)))
            .queries().forEach(q -> whole.add(q.negatives()));
      } else {
        queryTexts.forEach(q -> whole.add(List.of()));
      }
      if (contentNegatives > 0) {
        List<MiningQuery> cq = new ArrayList<>();
        for (int i = 0; i < queryTexts.size(); i++) {
          List<String> excluded = new ArrayList<>();
          excluded.add(positives.get(i));
          excluded.addAll(whole.get(i));
          cq.add(new MiningQuery(key + "-" + i, contentWords(queryTexts.get(i)), excluded));
        }
        MiningResult minedOnContent = miner.mine(cq, miningOptions(contentNegatives),
            new DefaultSeedStrategy(seeds.seed("demo-data/mining-content-" + key, 0)));
        minedOnContent.queries().forEach(q -> content.add(q.negatives()));
      } else {
        queryTexts.forEach(q -> content.add(List.of()));
      }
      SplittableRandom random = new SplittableRandom(seeds.seed("demo-data/random-" + key, 0));
      // its own stream, so that the other candidates are those of contentNegatives 0
      SplittableRandom randomForContent = new SplittableRandom(seeds.seed("demo-data/random-content-" + key, 0));
      List<Candidates> out = new ArrayList<>();
      for (int i = 0; i < queryTexts.size(); i++) {
        String positive = positives.get(i);
        List<String> hard = new ArrayList<>(whole.get(i));
        Set<String> taken = new LinkedHashSet<>(hard);
        taken.add(positive);
        List<String> rnd = new ArrayList<>();
        while (rnd.size() < randomNegatives && taken.size() < corpus.size()) {
          String d = corpus.get(random.nextInt(corpus.size()));
          if (taken.add(d)) {
            rnd.add(d);
          }
        }
        // a query sharing too few words with the corpus: fill up with random documents
        fill(hard, hardNegatives, corpus, taken, random);
        // the content-word negatives come last
        List<String> onContent = new ArrayList<>(content.get(i).stream().filter(d -> !taken.contains(d)).toList());
        taken.addAll(onContent);
        fill(onContent, contentNegatives, corpus, taken, randomForContent);
        hard.addAll(onContent);
        out.add(new Candidates(queryTexts.get(i), positive, hard, rnd));
      }
      return out;
    }
  }

  private static MiningOptions miningOptions(int negatives) {
    return MiningOptions.DEFAULTS.withRange(0, 30).withNumNegatives(negatives).withStrategy(SamplingStrategy.RANDOM);
  }

  private static void fill(List<String> list, int size, List<String> corpus, Set<String> taken, SplittableRandom random) {
    while (list.size() < size && taken.size() < corpus.size()) {
      String d = corpus.get(random.nextInt(corpus.size()));
      if (taken.add(d)) {
        list.add(d);
      }
    }
  }

  /**
   * The words of a text that are not English stop words ({@link
   * EnglishAnalyzer#ENGLISH_STOP_WORDS_SET}), as Lucene's {@link StandardAnalyzer} splits and
   * lowercases them, joined by spaces; the text itself when every word is a stop word.
   */
  static String contentWords(String text) {
    List<String> words = new ArrayList<>();
    try (TokenStream ts = CONTENT_WORDS.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        words.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot analyse " + text, e);
    }
    return words.isEmpty() ? text : String.join(" ", words);
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
