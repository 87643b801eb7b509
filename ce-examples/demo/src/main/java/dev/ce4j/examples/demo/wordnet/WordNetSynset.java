package dev.ce4j.examples.demo.wordnet;

import java.util.List;
import java.util.Objects;

/**
 * One WordNet synset as the demo sees it.
 *
 * @param pos the part of speech key ({@code n}, {@code v}, {@code a}, {@code r}), never null
 * @param offset the synset's offset in its data file
 * @param lemmas the synset's words in WordNet order, lower-cased, never null or empty
 * @param definition the gloss without its quoted examples, never null
 * @param examples the gloss's quoted usage examples, without quotes, in order, never null
 * @param hyponyms the offsets of the synset's hyponym and instance-hyponym synsets (same part of
 *     speech), in pointer order, never null
 */
public record WordNetSynset(
    String pos, long offset, List<String> lemmas, String definition, List<String> examples, List<Long> hyponyms) {
  /** Validates and copies. */
  public WordNetSynset {
    Objects.requireNonNull(pos, "pos");
    lemmas = List.copyOf(lemmas);
    examples = List.copyOf(examples);
    hyponyms = List.copyOf(hyponyms);
    Objects.requireNonNull(definition, "definition");
    if (lemmas.isEmpty()) {
      throw new IllegalArgumentException("a synset has at least one lemma");
    }
  }

  /**
   * The head word, its first lemma: what the split is keyed on.
   *
   * @return the head lemma, never null
   */
  public String head() {
    return lemmas.get(0);
  }

  /**
   * The document text of the synset in the reranking task: its lemmas joined by {@code ", "}.
   *
   * @return the text, never null
   */
  public String wordsText() {
    return String.join(", ", lemmas);
  }
}
