package dev.ce4j.core.arch.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ModernBERT reference fixtures under {@code dev/ce4j/core/arch/modernbert/} (made by {@code
 * ce-core/src/test/python/architectures/make_modernbert_fixtures.py} from a torch transcription of
 * transformers' model and an independent tokenizer; see its README): each case is a Hugging Face
 * model folder with a {@code reference.json}.
 */
final class ModernBertFixtures {
  /** CLS pooling, no biases, 3 layers (global, local, local), window 8, 1 label, max_length 32 of 64; v5 config. */
  static final String CLS_ONE_LABEL = "bpe-cls-gelu-1label-len32";

  /**
   * Mean pooling, every bias, 4 layers (global every 2), window 6, ReLU head, 3 labels, max_length 48
   * of 64; the Hub's config layout (global_rope_theta, local_rope_theta).
   */
  static final String MEAN_THREE_LABELS = "bpe-mean-biases-3label-len48";

  /** Every case. */
  static final List<String> CASES = List.of(CLS_ONE_LABEL, MEAN_THREE_LABELS);

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModernBertFixtures() {}

  /** The folder of a case, on the test class path. */
  static Path folder(String name) {
    try {
      return Path.of(ModernBertFixtures.class.getResource("/dev/ce4j/core/arch/modernbert/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("fixture " + name + " is not on the test class path", e);
    }
  }

  /** A case's {@code reference.json}. */
  static JsonNode reference(String name) {
    return readJson(folder(name).resolve("reference.json"));
  }

  /** A JSON file. */
  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference's pairs, in order. */
  static List<TextPair> pairs(JsonNode ref) {
    List<TextPair> out = new ArrayList<>();
    for (JsonNode p : ref.get("pairs")) {
      out.add(TextPair.of(p.get("query").asText(), p.get("document").asText()));
    }
    return out;
  }

  /** An array of integers. */
  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).longValue();
    }
    return out;
  }

  /** An array of arrays of integers. */
  static long[][] longs2(JsonNode array) {
    long[][] out = new long[array.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs(array.get(i));
    }
    return out;
  }

  /** An array of numbers. */
  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }

  /** An array of arrays of numbers. */
  static double[][] doubles2(JsonNode array) {
    double[][] out = new double[array.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(array.get(i));
    }
    return out;
  }

  /** An object of numbers, in file order. */
  static LinkedHashMap<String, Double> numbers(JsonNode object) {
    LinkedHashMap<String, Double> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().doubleValue());
    }
    return out;
  }

  /** Zeros of the shape of {@code like}: the token type ids ModernBERT has none of. */
  static long[][] zerosLike(long[][] like) {
    long[][] out = new long[like.length][];
    for (int i = 0; i < like.length; i++) {
      out[i] = new long[like[i].length];
    }
    return out;
  }
}
