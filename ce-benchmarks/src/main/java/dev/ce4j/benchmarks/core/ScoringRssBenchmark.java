package dev.ce4j.benchmarks.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.TextPair;
import dev.ce4j.benchmarks.internal.ProcessStatus;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.onnx.OnnxImport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Scores many (query, document) pairs through {@link CrossEncoder#predict(List, int, boolean)} in
 * rounds of 10,000 and prints the process's RSS after each round, then the range and the trend
 * (least-squares slope) over the second half of the rounds: the check that per-batch native memory
 * is released, so that RSS levels off and stays flat however many pairs are scored.
 *
 * <p>The model is a seeded 2-layer BERT (hidden 128, 4 heads, intermediate 512, max length 128)
 * with the all-MiniLM-L6-v2 tokenizer, so that 200,000 pairs take minutes here; {@code minilm} as
 * second argument uses a freshly initialised model of MiniLM's shape instead (slow: about 50 pairs
 * per second on 2 cores), and {@code xlm-roberta} the small model's sizes as XLM-RoBERTa (with
 * MiniLM's tokenizer, every type id 0). Pairs are random English function words, queries of 3 to 10 and documents
 * of 10 to 69 words, from a fixed seed.
 *
 * <p>Run: {@code mvn -f ce-benchmarks/pom.xml exec:exec@rss [-Dce.benchmark.rss.pairs=200000]
 * [-Dce.benchmark.rss.precision=int8]} (the precision of the scoring pass, {@code fp32} by default).
 */
public final class ScoringRssBenchmark {
  private static final int ROUND = 10_000;

  /** The precision scoring runs in: {@code fp32} (default), {@code int8} or {@code bf16}. */
  static final String PRECISION_PROPERTY = "ce.benchmark.rss.precision";
  private static final String[] WORDS =
      ("the of and a to in is you that it he was for on are as with his they at be this have from"
              + " or one had by word but not what all were we when your can said there use an each"
              + " which she do how their if will up other about out many then them these so some")
          .split(" ");

  private ScoringRssBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: the number of pairs (default 200000, rounded up to 10,000s), then {@code
   *     small} (default), {@code minilm} or {@code xlm-roberta}
   * @throws Exception if the model cannot be created
   */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    String shape = args.length > 1 ? args[1] : "small";
    System.setProperty("ai.djl.pytorch.num_threads", "2");
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    BertConfig.Builder config =
        BertConfig.builder().vocabSize(30522).maxPositionEmbeddings(512).numLabels(1);
    if (shape.equals("minilm")) {
      config
          .hiddenSize(384)
          .numHiddenLayers(6)
          .numAttentionHeads(12)
          .intermediateSize(1536)
          .maxLength(256);
    } else {
      config
          .hiddenSize(128)
          .numHiddenLayers(2)
          .numAttentionHeads(4)
          .intermediateSize(512)
          .maxLength(128);
    }
    Path dir = Files.createTempDirectory("ce-rss-bench");
    Path tokenizer = dir.resolve("tokenizer.json");
    try (InputStream in =
        ScoringRssBenchmark.class.getResourceAsStream(OnnxImport.MINILM_TOKENIZER_RESOURCE)) {
      Files.copy(Objects.requireNonNull(in, "MiniLM tokenizer resource"), tokenizer);
    }
    System.out.printf(
        Locale.ROOT,
        "model %s, %d pairs in rounds of %d, batch 32, GLIBC_TUNABLES: %s%n",
        shape,
        pairs,
        ROUND,
        Objects.requireNonNullElse(System.getenv("GLIBC_TUNABLES"), "(unset: glibc defaults)"));
    SplittableRandom random = new SplittableRandom(7);
    List<Double> rss = new ArrayList<>();
    long t0 = System.nanoTime();
    ModelConfig modelConfig = config.build();
    if (shape.equals("xlm-roberta")) {
      // the small model's sizes as XLM-RoBERTa (positions after the padding index, one token type);
      // MiniLM's WordPiece tokenizer with every type id 0, as RoBERTa's tokenizers give
      modelConfig = ConfigJson.parse("{\"model_type\": \"xlm-roberta\", \"vocab_size\": 30522,"
          + " \"hidden_size\": 128, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
          + " \"intermediate_size\": 512, \"max_position_embeddings\": 130, \"type_vocab_size\": 1,"
          + " \"pad_token_id\": 1, \"num_labels\": 1, \"sentence_transformers\": {\"max_length\": 128}}",
          "xlm-roberta benchmark config");
      ObjectMapper json = new ObjectMapper();
      JsonNode tok = json.readTree(tokenizer.toFile());
      zeroTypeIds(tok.get("post_processor"));
      json.writeValue(tokenizer.toFile(), tok);
    }
    try (CrossEncoder ce =
        CrossEncoder.create(
            modelConfig, tokenizer, 42, CrossEncoderOptions.defaults().withDevice("cpu")
                .withPrecision(CrossEncoderOptions.Precision.parse(System.getProperty(PRECISION_PROPERTY, "fp32"))))) {
      System.out.printf(
          Locale.ROOT,
          "libtorch %s, scoring pass %s, precision %s; RSS before scoring: %.0f MiB%n",
          PyTorch.version(),
          ce.forwardPass(),
          ce.precision(),
          ProcessStatus.kib("VmRSS") / 1024.0);
      for (int done = 0; done < pairs; done += ROUND) {
        List<TextPair> round = new ArrayList<>(ROUND);
        for (int i = 0; i < ROUND; i++) {
          round.add(new TextPair(text(random, 3, 10), text(random, 10, 69)));
        }
        ce.predict(round, 32, true);
        double mib = ProcessStatus.kib("VmRSS") / 1024.0;
        rss.add(mib);
        System.out.printf(
            Locale.ROOT,
            "pairs %7d  RSS %6.0f MiB  %5.0f s%n",
            done + ROUND,
            mib,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    // the first rounds grow the JVM heap and the allocator's reusable free memory (up to the
    // GLIBC_TUNABLES trim threshold); a leak shows as a trend in the second half
    List<Double> after = rss.subList(rss.size() / 2, rss.size());
    double min = after.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = after.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "second half of the rounds: RSS %.0f to %.0f MiB, trend %+.2f MiB per 10,000 pairs%n",
        min,
        max,
        slope(after));
  }

  /** Sets every {@code type_id} under a node to 0. */
  private static void zeroTypeIds(JsonNode node) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      if (o.has("type_id")) {
        o.put("type_id", 0);
      }
      o.elements().forEachRemaining(ScoringRssBenchmark::zeroTypeIds);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(ScoringRssBenchmark::zeroTypeIds);
    }
  }

  private static String text(SplittableRandom random, int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(' ');
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  /** Least-squares slope of the values against their index. */
  static double slope(List<Double> ys) {
    int n = ys.size();
    if (n < 2) {
      return 0;
    }
    double mx = (n - 1) / 2.0;
    double my = ys.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      num += (i - mx) * (ys.get(i) - my);
      den += (i - mx) * (i - mx);
    }
    return num / den;
  }
}
