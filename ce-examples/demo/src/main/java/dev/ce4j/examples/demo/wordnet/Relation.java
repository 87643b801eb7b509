package dev.ce4j.examples.demo.wordnet;

import java.util.Locale;
import net.sf.extjwnl.data.PointerType;

/**
 * The WordNet relations of the multi-label task, in label order: label {@code i} of a (word A,
 * word B) pair is 1 when some sense of A has a pointer of relation {@code i} to some sense of B.
 */
public enum Relation {
  /** B is a (possibly instance) hypernym of A: A is a kind or an instance of B. */
  HYPERNYM,
  /** B is a (possibly instance) hyponym of A. */
  HYPONYM,
  /** B is a part, member or substance of A. */
  MERONYM,
  /** A is a part, member or substance of B. */
  HOLONYM,
  /** A and B are antonyms (a lexical relation between the two words). */
  ANTONYM,
  /** B's adjective synset is similar to A's. */
  SIMILAR_TO;

  /**
   * The label name, such as {@code similar_to}.
   *
   * @return the lower-case name, never null
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The relation of a WordNet pointer type, or null when the task does not use it.
   *
   * @param type the pointer type, never null
   * @return the relation, or null
   */
  static Relation of(PointerType type) {
    if (type == PointerType.HYPERNYM || type == PointerType.INSTANCE_HYPERNYM) {
      return HYPERNYM;
    }
    if (type == PointerType.HYPONYM || type == PointerType.INSTANCES_HYPONYM) {
      return HYPONYM;
    }
    if (type == PointerType.PART_MERONYM
        || type == PointerType.MEMBER_MERONYM
        || type == PointerType.SUBSTANCE_MERONYM) {
      return MERONYM;
    }
    if (type == PointerType.PART_HOLONYM
        || type == PointerType.MEMBER_HOLONYM
        || type == PointerType.SUBSTANCE_HOLONYM) {
      return HOLONYM;
    }
    if (type == PointerType.ANTONYM) {
      return ANTONYM;
    }
    if (type == PointerType.SIMILAR_TO) {
      return SIMILAR_TO;
    }
    return null;
  }
}
