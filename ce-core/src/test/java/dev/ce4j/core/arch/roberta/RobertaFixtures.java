package dev.ce4j.core.arch.roberta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.TextPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The RoBERTa and XLM-RoBERTa reference fixtures made by {@code
 * ce-core/src/test/python/architectures/make_arch_fixtures.py} (torch transcriptions of
 * transformers' models, independent tokenizers; see its README): each case a Hugging Face model
 * folder plus {@code reference.json}.
 */
final class RobertaFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The four cases, as {@code family/case}. */
  static final List<String> CASES = List.of(
      "roberta/bpe-1label-len24",
      "roberta/bpe-3label-len62",
      "xlm-roberta/unigram-1label-len32",
      "xlm-roberta/unigram-2label-len62");

  private RobertaFixtures() {}

  /** Every case. */
  static Stream<Fixture> all() {
    return CASES.stream().map(Fixture::load);
  }

  /**
   * One case.
   *
   * @param name {@code family/case}
   * @param folder the model folder (read-only: copy it before changing anything)
   * @param reference {@code reference.json}
   */
  record Fixture(String name, Path folder, JsonNode reference) {
    static Fixture load(String name) {
      try {
        Path folder = Path.of(RobertaFixtures.class.getResource("/dev/ce4j/core/arch/" + name).toURI());
        return new Fixture(name, folder, JSON.readTree(folder.resolve("reference.json").toFile()));
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return name;
    }

    int numLabels() {
      return reference.get("num_labels").asInt();
    }

    int maxLength() {
      return reference.get("max_length").asInt();
    }

    String modelType() {
      return reference.get("model_type").asText();
    }

    JsonNode pairsJson() {
      return reference.get("pairs");
    }

    List<TextPair> pairs() {
      List<TextPair> out = new ArrayList<>();
      for (JsonNode p : pairsJson()) {
        out.add(TextPair.of(p.get("query").asText(), p.get("document").asText()));
      }
      return out;
    }

    long[] inputIds(int pair) {
      return longs(pairsJson().get(pair).get("input_ids"));
    }

    double[] logits(int pair) {
      return doubles(pairsJson().get(pair).get("logits"));
    }

    double[] logitsFloat64(int pair) {
      return doubles(pairsJson().get(pair).get("logits_float64"));
    }

    /** A copy of the folder (without {@code reference.json}) in {@code dir}, its config edited. */
    Path copy(Path dir, Consumer<ObjectNode> editConfig) {
      try {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(folder)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            if (!f.getFileName().toString().equals("reference.json")) {
              Files.copy(f, dir.resolve(f.getFileName()));
            }
          }
        }
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        editConfig.accept(config);
        Files.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  static long[][] longMatrix(JsonNode rows) {
    long[][] out = new long[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs(rows.get(i));
    }
    return out;
  }

  static double[][] doubleMatrix(JsonNode rows) {
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(rows.get(i));
    }
    return out;
  }

  /** The fields of an object, in order. */
  static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
    return object.properties();
  }
}
