package dev.ce4j.core.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.ScoreActivation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the {@code ce} side of the sentence-transformers interoperability check: model folders
 * saved by {@link CrossEncoder#save} and the scores {@code ce} gives them, for {@code
 * src/test/python/sentence_transformers_interop.py} to load in Python and compare.
 *
 * <p>Usage (from the repository root, after {@code mvn -B install -DskipTests}): {@code java -cp
 * ce-core/target/test-classes:ce-core/target/classes:$(cat ce-core/target/cp.txt)
 * -Dai.djl.offline=true dev.ce4j.core.interop.InteropInputs PAIRS.jsonl OUT_DIR} where {@code
 * ce-core/target/cp.txt} is written by {@code mvn -q -pl ce-core dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}.
 */
public final class InteropInputs {
  private InteropInputs() {}

  /**
   * Entry point.
   *
   * @param args the pairs file (JSON Lines of two-string arrays) and the output folder
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: InteropInputs PAIRS.jsonl OUT_DIR");
      System.exit(2);
    }
    List<TextPair> pairs = SentenceTransformersFixtures.readPairs(Path.of(args[0]));
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    // far-from-initialisation weights, so that a tokenization difference changes the score
    write(out.resolve("ce-minilmtok-1label"), TestModels.tiny(1), 1, pairs);
    BertConfig threeLabels =
        TestModels.tiny(3).toBuilder().labels(List.of("irrelevant", "partial", "relevant")).build();
    write(out.resolve("ce-minilmtok-3label"), threeLabels, 2, pairs);
    // neither default: Python must read the activation and maximum length from ce's config.json
    BertConfig tanh =
        TestModels.tiny(1).toBuilder().activation(ScoreActivation.TANH).maxLength(40).build();
    write(out.resolve("ce-minilmtok-1label-tanh-40"), tanh, 3, pairs);
  }

  private static void write(Path folder, BertConfig config, long seed, List<TextPair> pairs)
      throws IOException {
    try (CrossEncoder model =
        CrossEncoder.fromWeights(
            config,
            TestModels.randomWeights(config, seed),
            new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null),
            CrossEncoderOptions.defaults())) {
      model.save(folder);
    }
    // score the saved folder, as a user would
    try (CrossEncoder model = CrossEncoder.load(folder)) {
      double[][] scores = model.predict(pairs, 4, true);
      double[][] logits = model.predict(pairs, 4, false);
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("producer", "ce (InteropInputs)");
      ArrayNode s = root.putArray("scores");
      ArrayNode l = root.putArray("logits");
      for (int i = 0; i < pairs.size(); i++) {
        ArrayNode si = s.addArray();
        ArrayNode li = l.addArray();
        for (double v : scores[i]) {
          si.add(v);
        }
        for (double v : logits[i]) {
          li.add(v);
        }
      }
      mapper
          .writerWithDefaultPrettyPrinter()
          .writeValue(folder.resolve("ce-scores.json").toFile(), root);
    }
    System.out.println("wrote " + folder);
  }
}
