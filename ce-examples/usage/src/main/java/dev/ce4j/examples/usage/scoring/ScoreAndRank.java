package dev.ce4j.examples.usage.scoring;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.RankedDocument;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.examples.usage.internal.Arguments;
import dev.ce4j.examples.usage.internal.EngineThreads;
import dev.ce4j.examples.usage.internal.ExampleMain;
import dev.ce4j.examples.usage.internal.OutputFolder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores text pairs and ranks documents for a query with a saved cross-encoder: a model folder in
 * the Hugging Face / sentence-transformers format, loaded with {@link CrossEncoder#load(Path)}.
 *
 * <p>Given {@code --model DIR} it scores with that folder, which must have one output (a relevance
 * score), for example the reranker that {@code ./ce demo} fine-tunes ({@code
 * ce-demo/reranker/model}), trained on pairs of the same kind as those below: a definition and
 * comma-separated words. Without {@code --model} it first imports
 * all-MiniLM-L6-v2 from its Maven Central ONNX export into {@code OUTPUT/minilm} with a new,
 * seeded one-output head: that model loads and scores like any other, but its head is untrained,
 * so its scores carry no relevance yet (the output says so).
 *
 * <p>It prints the score of each pair ({@link CrossEncoder#predict(List)}: the sigmoid of the
 * logit, as sentence-transformers), then, for each query, the documents best first ({@link
 * CrossEncoder#rank(String, List, int)}). The queries are WordNet 3.1 definitions; the candidates
 * are the defined synset's words and those of other synsets.
 *
 * <p>Usage: {@code ScoreAndRank [--model DIR] [--output DIR] [--seed N]}. Scoring is
 * deterministic: the same folder gives the same scores on the same thread count.
 */
public final class ScoreAndRank {
  /** The default seed of the imported model's head. */
  public static final long DEFAULT_SEED = 42;
  /** The intra-op thread count. */
  public static final int THREADS = 2;

  /**
   * The example queries, WordNet 3.1 definitions (of dog, piano and Paris), each with its
   * candidate documents written as the demo writes synsets (their words, lower-case, joined by
   * {@code ", "}): the defined synset first, then related and unrelated ones.
   */
  public static final List<Query> QUERIES = List.of(
      new Query("a member of the genus Canis (probably descended from the common wolf) that has been"
          + " domesticated by man since prehistoric times; occurs in many breeds",
          List.of("dog, domestic dog, canis familiaris", "wolf", "fox", "cat, true cat", "guitar")),
      new Query("a keyboard instrument that is played by depressing keys that cause hammers to strike tuned"
          + " strings and produce sounds",
          List.of("piano, pianoforte, forte-piano", "guitar", "harp", "typewriter", "hammer")),
      new Query("the capital and largest city of France; and international center of culture and commerce",
          List.of("paris, city of light, french capital, capital of france", "lyon, lyons",
              "london, greater london, british capital, capital of the united kingdom", "france, french republic",
              "rome, roma, eternal city, italian capital, capital of italy")));

  private static final String USAGE = "ScoreAndRank [--model DIR] [--output DIR] [--seed N]";

  private ScoreAndRank() {}

  /**
   * A query and its candidate documents.
   *
   * @param text the query, never null
   * @param documents the candidates, the relevant one first, never null or empty
   */
  public record Query(String text, List<String> documents) {
    /** Validates and copies. */
    public Query {
      Objects.requireNonNull(text, "text");
      documents = List.copyOf(documents);
      if (documents.isEmpty()) {
        throw new IllegalArgumentException("a query needs at least one document");
      }
    }
  }

  /**
   * The options.
   *
   * @param model the model folder, or null to import all-MiniLM-L6-v2 into the output folder
   * @param output the output folder, never null
   * @param seed the seed of the imported model's head
   */
  public record Options(Path model, Path output, long seed) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(output, "output");
    }

    /**
     * Parses {@code [--model DIR] [--output DIR] [--seed N]}; an empty {@code --model} counts as
     * absent.
     *
     * @param args the arguments, never null
     * @return the options, never null
     * @throws InvalidInputException naming a bad argument
     */
    public static Options parse(String[] args) {
      Arguments a = Arguments.parse(args, USAGE, List.of("--model", "--output", "--seed"));
      return new Options(a.path("--model"), a.output("score"), a.number("--seed", DEFAULT_SEED, Long.MIN_VALUE));
    }
  }

  /**
   * What the example produced.
   *
   * @param model the model folder scored with, never null
   * @param imported whether it was imported (an untrained head) rather than given
   * @param fingerprint the SHA-256 fingerprint of the model's weights, never null
   * @param pairScores the score of every (query, document) pair, in {@link #QUERIES} order, never
   *     null
   * @param rankings per query, the documents best first, never null
   */
  public record Result(
      Path model, boolean imported, String fingerprint, List<double[]> pairScores, List<List<RankedDocument>> rankings) {
    /** Copies. */
    public Result {
      pairScores = List.copyOf(pairScores);
      rankings = List.copyOf(rankings);
    }
  }

  /**
   * Runs the example and exits: 0 done, 2 bad arguments or model folder, 1 failure.
   *
   * @param args {@code [--model DIR] [--output DIR] [--seed N]}
   */
  public static void main(String[] args) {
    ExampleMain.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the example from command-line arguments.
   *
   * @param args the arguments, never null
   * @param out where results go, never null
   * @param err where errors go, never null
   * @return the exit status: 0 done, 2 bad arguments or model folder, 1 failure
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return ExampleMain.exitStatus("ScoreAndRank", err, () -> run(Options.parse(args), out));
  }

  /**
   * Runs the example.
   *
   * @param options the options, never null
   * @param out where results go, never null
   * @return what it produced, never null
   * @throws InvalidInputException if the model folder is missing or damaged (naming the file) or
   *     has more than one output, or the output folder is not empty and not an example's
   */
  public static Result run(Options options, PrintStream out) {
    EngineThreads.pin(THREADS);
    Path folder = options.model();
    boolean imported = folder == null;
    if (imported) {
      Path dir = OutputFolder.prepare(options.output());
      folder = dir.resolve("minilm");
      OnnxImport.miniLmToModelFolder(ScoreAndRank.class.getClassLoader(), folder, 1, options.seed());
      out.println("no --model given: imported all-MiniLM-L6-v2 into " + folder);
      out.println("(its one-output head is new and untrained: the scores below carry no relevance yet;");
      out.println(" give a fine-tuned one-output model folder with --model DIR)");
    } else if (!Files.isDirectory(folder)) {
      throw new InvalidInputException("--model " + folder + " is not a folder; give a model folder"
          + " (config.json, model.safetensors, tokenizer.json)");
    }

    try (CrossEncoder model = CrossEncoder.load(folder)) {
      if (model.config().numLabels() != 1) {
        throw new InvalidInputException("--model " + folder + " has " + model.config().numLabels()
            + " outputs; ScoreAndRank scores and ranks with a one-output (relevance) model");
      }
      String fingerprint = ModelFingerprint.ofFolder(folder);
      out.printf(Locale.ROOT, "model: %s (%s, %s, max_length %d, %s)%n", folder, model.config().modelType(),
          model.config().describeSizes(), model.maxLength(), Devices.name(model.device()));
      out.println("fingerprint: " + fingerprint);

      // score (query, document) pairs: one score per pair, in input order
      List<TextPair> pairs = new ArrayList<>();
      for (Query q : QUERIES) {
        for (String d : q.documents()) {
          pairs.add(TextPair.of(q.text(), d));
        }
      }
      double[][] scores = model.predict(pairs);
      List<double[]> pairScores = new ArrayList<>();
      out.println();
      out.println("predict: one score per (query, document) pair");
      for (int i = 0; i < pairs.size(); i++) {
        pairScores.add(scores[i].clone());
        out.printf(Locale.ROOT, "  %.4f  %s | %s%n", scores[i][0], shorten(pairs.get(i).query(), 40), pairs.get(i).document());
      }

      // rank: the documents of each query, best first
      List<List<RankedDocument>> rankings = new ArrayList<>();
      for (Query q : QUERIES) {
        List<RankedDocument> ranked = model.rank(q.text(), q.documents(), q.documents().size());
        rankings.add(ranked);
        out.println();
        out.println("rank: " + shorten(q.text(), 70));
        for (int r = 0; r < ranked.size(); r++) {
          RankedDocument d = ranked.get(r);
          out.printf(Locale.ROOT, "  %d. %.4f  %s%s%n", r + 1, d.score(), q.documents().get(d.index()),
              d.index() == 0 ? "   <- the defined word" : "");
        }
      }
      return new Result(folder, imported, fingerprint, pairScores, rankings);
    }
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
