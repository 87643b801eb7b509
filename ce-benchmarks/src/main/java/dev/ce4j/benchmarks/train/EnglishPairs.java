package dev.ce4j.benchmarks.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Short English query-document pairs drawn from a fixed seed, for the training benchmarks: twelve
 * topics, each with its own nouns and verbs; a query is a question about one topic, a document two
 * or three sentences about one topic; the label is 1 when both are about the same topic (half of
 * the pairs), else 0. Pairs are 25 to 70 word-piece tokens long. Stateless; thread-safe.
 */
final class EnglishPairs {
  private static final String[][] NOUNS = {
    {"bread", "dough", "oven", "flour", "yeast", "crust", "loaf", "butter"},
    {"garden", "tomato", "soil", "seed", "compost", "weed", "root", "leaf"},
    {"engine", "tyre", "brake", "battery", "gearbox", "clutch", "exhaust", "wheel"},
    {"planet", "telescope", "star", "comet", "galaxy", "orbit", "moon", "nebula"},
    {"guitar", "chord", "string", "melody", "rhythm", "piano", "drum", "song"},
    {"football", "goal", "referee", "penalty", "coach", "match", "striker", "league"},
    {"laptop", "keyboard", "screen", "memory", "processor", "cable", "printer", "router"},
    {"river", "bridge", "valley", "mountain", "forest", "trail", "lake", "cliff"},
    {"invoice", "budget", "loan", "interest", "account", "payment", "tax", "savings"},
    {"vaccine", "fever", "doctor", "symptom", "clinic", "dose", "nurse", "infection"},
    {"novel", "chapter", "author", "poem", "library", "plot", "character", "page"},
    {"kitten", "puppy", "leash", "collar", "vet", "litter", "treat", "kennel"}
  };
  private static final String[][] VERBS = {
    {"bake", "knead", "slice", "proof"},
    {"plant", "water", "prune", "harvest"},
    {"repair", "replace", "inspect", "tune"},
    {"observe", "track", "photograph", "measure"},
    {"play", "tune", "practise", "record"},
    {"score", "defend", "train", "referee"},
    {"upgrade", "clean", "connect", "restart"},
    {"cross", "hike", "climb", "explore"},
    {"pay", "track", "reduce", "file"},
    {"treat", "prevent", "diagnose", "monitor"},
    {"read", "write", "edit", "review"},
    {"feed", "groom", "walk", "train"}
  };
  private static final String[] ADJECTIVES = {
    "old", "new", "small", "large", "quiet", "bright", "cheap", "heavy", "simple", "careful"
  };
  private static final String[] QUERIES = {
    "how do i %v a %n",
    "what is the best way to %v the %n",
    "why does my %n need a %n",
    "when should you %v a %a %n",
    "%n and %n tips for beginners",
    "can i %v the %n without a %n"
  };
  private static final String[] SENTENCES = {
    "To %v a %n, start with a %a %n and work slowly.",
    "The %n is easier to %v when the %n is %a.",
    "Most people %v the %n once a week, but a %a %n needs more care.",
    "A %a %n can make it hard to %v the %n properly.",
    "Experts suggest you %v the %n before you touch the %n.",
    "If the %n looks %a, %v it again and check the %n."
  };

  private EnglishPairs() {}

  /**
   * Draws pairs.
   *
   * @param n how many, at least 0
   * @param seed the seed; the same seed gives the same pairs
   * @return {@code n} pairs as {@code {query, document, label}}, never null
   */
  static List<String[]> generate(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int topic = r.nextInt(NOUNS.length);
      boolean positive = (i & 1) == 0;
      int docTopic = positive ? topic : (topic + 1 + r.nextInt(NOUNS.length - 1)) % NOUNS.length;
      String query = fill(QUERIES[r.nextInt(QUERIES.length)], topic, r);
      StringBuilder doc = new StringBuilder();
      int sentences = 2 + r.nextInt(2);
      for (int s = 0; s < sentences; s++) {
        if (s > 0) {
          doc.append(' ');
        }
        doc.append(fill(SENTENCES[r.nextInt(SENTENCES.length)], docTopic, r));
      }
      out.add(new String[] {query, doc.toString(), positive ? "1" : "0"});
    }
    return out;
  }

  /**
   * Writes pairs as training JSON Lines ({@code {"pair": [q, d], "label": y}}).
   *
   * @param pairs the pairs, never null
   * @param file the file to write, never null
   * @throws IOException if writing fails
   */
  static void writeJsonLines(List<String[]> pairs, Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String[] p : pairs) {
      b.append("{\"pair\": [\"").append(p[0]).append("\", \"").append(p[1]).append("\"], \"label\": ")
          .append(p[2]).append("}\n");
    }
    Files.writeString(file, b, StandardCharsets.UTF_8);
  }

  /**
   * Writes listwise JSON Lines for the reranking evaluator: each query with two documents of its
   * topic (label 1) and {@code documents - 2} of other topics (label 0), in a drawn order.
   *
   * @param queries how many queries, at least 0
   * @param documents documents per query, at least 2
   * @param seed the seed; the same seed gives the same file
   * @param file the file to write, never null
   * @throws IOException if writing fails
   */
  static void writeListwise(int queries, int documents, long seed, Path file) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder();
    for (int q = 0; q < queries; q++) {
      int topic = r.nextInt(NOUNS.length);
      b.append("{\"query\": \"").append(fill(QUERIES[r.nextInt(QUERIES.length)], topic, r))
          .append("\", \"documents\": [");
      StringBuilder labels = new StringBuilder();
      int positives = 0;
      for (int d = 0; d < documents; d++) {
        boolean positive = positives < 2 && (r.nextInt(documents - d) < 2 - positives);
        positives += positive ? 1 : 0;
        int docTopic = positive ? topic : (topic + 1 + r.nextInt(NOUNS.length - 1)) % NOUNS.length;
        b.append(d == 0 ? "" : ", ").append('"')
            .append(fill(SENTENCES[r.nextInt(SENTENCES.length)], docTopic, r)).append(' ')
            .append(fill(SENTENCES[r.nextInt(SENTENCES.length)], docTopic, r)).append('"');
        labels.append(d == 0 ? "" : ", ").append(positive ? 1 : 0);
      }
      b.append("], \"labels\": [").append(labels).append("]}\n");
    }
    Files.writeString(file, b, StandardCharsets.UTF_8);
  }

  private static String fill(String template, int topic, SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '%' && i + 1 < template.length()) {
        char k = template.charAt(++i);
        b.append(
            switch (k) {
              case 'n' -> NOUNS[topic][r.nextInt(NOUNS[topic].length)];
              case 'v' -> VERBS[topic][r.nextInt(VERBS[topic].length)];
              default -> ADJECTIVES[r.nextInt(ADJECTIVES.length)];
            });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
