package dev.ce4j.examples.usage.multiclass;

import java.util.Objects;

/**
 * One (premise, hypothesis) pair of the NLI-style dataset, with the WordNet nouns it was built
 * from.
 *
 * @param premise the premise sentence, never null
 * @param hypothesis the hypothesis sentence, never null
 * @param label the class, never null
 * @param hyponym the specific noun (WordNet says it is a kind of {@code hypernym}), never null
 * @param hypernym the general noun, never null
 * @param other an unrelated noun of the same split for the neutral pairs that use one, or null
 */
public record NliExample(
    String premise, String hypothesis, NliLabel label, String hyponym, String hypernym, String other) {
  /** Validates. */
  public NliExample {
    Objects.requireNonNull(premise, "premise");
    Objects.requireNonNull(hypothesis, "hypothesis");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(hyponym, "hyponym");
    Objects.requireNonNull(hypernym, "hypernym");
  }
}
