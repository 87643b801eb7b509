package dev.ce4j.examples.demo.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One way to fine-tune the demo's reranker: the loss, the training data drawn from WordNet, and
 * the optimiser's schedule. {@link #DEMO} is the recipe {@code ce demo} runs, chosen by {@link
 * RecipeStudy} on dev metrics (docs/demo-study.md); the others are the study's rows.
 *
 * @param name a short unique name, never null
 * @param loss the loss id ({@code bce}, {@code mnrl}, {@code lambda}, {@code listnet}, ...), never null
 * @param lossParams the loss's parameters, never null
 * @param trainQueries training definitions, at least 1
 * @param hardNegatives BM25 hard negatives per training definition, mined on the whole definition
 *     (as dev's and test's are), at least 0
 * @param contentWordNegatives more BM25 hard negatives per training definition, mined on its content
 *     words (stop words dropped from the query), at least 0; with {@code hardNegatives} at least 1
 * @param randomNegatives random negatives per training definition, at least 0
 * @param allPartsOfSpeech definitions of every part of speech, not nouns alone
 * @param batchSize definitions per step for list losses, pairs per step for {@code bce}
 * @param groupByLength whether definitions of similar length share a step (the trainer's {@code
 *     group-by-length} sampler: less padding, so faster steps) rather than a random order alone
 * @param learningRate the peak learning rate
 * @param warmupRatio the share of steps of linear warm-up
 * @param steps optimiser steps
 * @param evalSteps evaluate dev every this many steps
 * @param maxLength the model's maximum sequence length in tokens
 */
public record Recipe(
    String name, String loss, Map<String, String> lossParams, int trainQueries, int hardNegatives,
    int contentWordNegatives, int randomNegatives, boolean allPartsOfSpeech, int batchSize, boolean groupByLength, double learningRate, double warmupRatio,
    long steps, long evalSteps, int maxLength) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The recipe of the full demo. */
  public static final Recipe DEMO =
      new Recipe("demo", "plistmle", Map.of(), 4000, 0, 5, 2, true, 8, true, 2e-4, 0.1, 300, 50, 64);

  /** The recipe of {@code ce demo --quick}, a smoke run. */
  public static final Recipe QUICK = new Recipe("quick", "plistmle", Map.of(), 24, 0, 2, 1, false, 4, true, 5e-5, 0.1, 3, 3, 64);

  /** The previous demo's recipe, the study's baseline: pointwise BCE, 150 steps of 16 pairs. */
  public static final Recipe BASELINE =
      new Recipe("baseline-bce", "bce", Map.of(), 600, 3, 0, 3, false, 16, false, 8e-5, 0.1, 150, 50, 64);

  /** Validates and copies. */
  public Recipe {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(loss, "loss");
    lossParams = Map.copyOf(lossParams);
    if (trainQueries < 1 || hardNegatives < 0 || contentWordNegatives < 0 || hardNegatives + contentWordNegatives < 1
        || randomNegatives < 0 || batchSize < 1 || steps < 1 || evalSteps < 1
        || maxLength < 8 || !(learningRate > 0) || warmupRatio < 0 || warmupRatio >= 1) {
      throw new IllegalArgumentException("invalid recipe " + this);
    }
  }

  /**
   * Whether the loss reads pairs (pointwise) rather than lists of candidates.
   *
   * @return true for {@code bce}
   */
  public boolean pointwise() {
    return loss.equals("bce");
  }

  /**
   * Candidates per training definition: the positive, the hard and the random negatives.
   *
   * @return the width, at least 2
   */
  public int width() {
    return 1 + hardNegatives + contentWordNegatives + randomNegatives;
  }

  /**
   * (query, document) pairs the model reads per step.
   *
   * @return the pairs per step
   */
  public int pairsPerStep() {
    if (pointwise()) {
      return batchSize;
    }
    int inBatch = loss.equals("mnrl") ? Integer.parseInt(lossParams.getOrDefault("num_negatives", "4")) : 0;
    return batchSize * (width() + inBatch);
  }

  /**
   * A one-line description for tables.
   *
   * @return the description, never null
   */
  public String describe() {
    StringBuilder p = new StringBuilder();
    lossParams.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> p.append(p.length() == 0 ? " " : ",").append(e.getKey()).append('=').append(e.getValue()));
    // the positive, BM25 negatives, those mined on content words (c), random ones: 1+5+2, 1+5c+2, 1+3+2c+2
    String cands = "1" + (hardNegatives > 0 ? "+" + hardNegatives : "")
        + (contentWordNegatives > 0 ? "+" + contentWordNegatives + "c" : "") + "+" + randomNegatives + " cands";
    return String.format(Locale.ROOT, "%s%s; %d defs (%s), %s; batch %d%s%s; lr %s, warm-up %.2f; len %d",
        loss, p, trainQueries, allPartsOfSpeech ? "n,v,a,r" : "nouns", cands, batchSize,
        pointwise() ? " pairs" : " defs", groupByLength ? " by length" : "", shortNumber(learningRate), warmupRatio, maxLength);
  }

  /**
   * The training config of this recipe ({@code TrainingArguments}' JSON), with the dev queries
   * evaluated every {@link #evalSteps()} steps.
   *
   * @param seed the master seed
   * @param model the model folder, relative to the config's folder, never null
   * @param trainData the listwise training file, relative to the config's folder, never null
   * @param devData the listwise dev file, relative to the config's folder, never null
   * @param threads the intra-op thread count
   * @return the config, never null
   */
  public ObjectNode config(long seed, String model, String trainData, String devData, int threads) {
    ObjectNode c = JSON.createObjectNode();
    c.put("seed", seed);
    c.putObject("model").put("path", model);
    c.putObject("trainData").put("path", trainData).put("format", "listwise");
    if (lossParams.isEmpty()) {
      c.put("loss", loss);
    } else {
      ObjectNode l = c.putObject("loss").put("name", loss);
      ObjectNode params = l.putObject("params");
      new LinkedHashMap<>(lossParams).entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> params.put(e.getKey(), e.getValue()));
    }
    ArrayNode ev = c.putArray("evaluators");
    ObjectNode dev = ev.addObject();
    dev.put("name", "dev");
    dev.put("id", "reranking");
    dev.putObject("data").put("path", devData).put("format", "listwise");
    schedule(c, steps, batchSize, learningRate, warmupRatio, evalSteps, threads);
    if (groupByLength) {
      c.put("sampler", "group-by-length");
    }
    return c;
  }

  /**
   * Puts the demo's optimisation settings into a training config: AdamW with weight decay 0.01,
   * linear warm-up and decay, clipping at 1.0, an evaluation and a checkpoint (the last one kept)
   * every {@code evalSteps}, the CPU and a pinned thread count.
   *
   * @param c the config, never null
   * @param steps optimiser steps
   * @param batchSize the batch size
   * @param learningRate the peak learning rate
   * @param warmupRatio the share of warm-up steps
   * @param evalSteps evaluate and checkpoint every this many steps
   * @param threads the intra-op thread count
   */
  public static void schedule(
      ObjectNode c, long steps, int batchSize, double learningRate, double warmupRatio, long evalSteps, int threads) {
    c.put("maxSteps", steps);
    c.put("batchSize", batchSize);
    c.put("learningRate", learningRate);
    c.put("scheduler", "linear");
    c.put("warmupRatio", warmupRatio);
    c.put("weightDecay", 0.01);
    c.put("maxGradNorm", 1.0);
    c.put("evalSteps", evalSteps);
    c.put("saveSteps", evalSteps);
    c.put("saveTotalLimit", 1);
    c.put("loggingSteps", Math.max(1, evalSteps / 5));
    c.put("numThreads", threads);
    c.put("device", "cpu");
  }

  private static String shortNumber(double v) {
    String s = String.format(Locale.ROOT, "%.0e", v);
    return s.replace("e-0", "e-");
  }
}
