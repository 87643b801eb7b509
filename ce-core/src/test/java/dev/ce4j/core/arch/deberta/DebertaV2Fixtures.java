package dev.ce4j.core.arch.deberta;

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
 * The DeBERTa-v2 reference fixtures under {@code dev/ce4j/core/arch/deberta-v2/} (made by {@code
 * ce-core/src/test/python/architectures/make_deberta_fixtures.py} from a torch transcription of
 * transformers' model and sentencepiece; see its README): each case is a Hugging Face model folder
 * with a {@code reference.json}.
 */
final class DebertaV2Fixtures {
  /** v3 style: no absolute positions or token types, 8 log buckets, shared keys, 1 label, max_length 40. */
  static final String V3 = "spm-v3-1label-len40";

  /**
   * v2 style: absolute positions, 2 token types, embedding 16 projected to 32, relative span 12
   * without buckets, pos_key_proj / pos_query_proj, tanh pooler, 3 labels, max_length 48.
   */
  static final String V2 = "spm-v2-3label-len48";

  /**
   * v2-xlarge style: the convolution after the first layer (kernel 3, 2 groups, gelu), 8 log buckets,
   * shared keys, 2 labels, max_length 32.
   */
  static final String V2_CONV = "spm-v2conv-2label-len32";

  /**
   * transformers' attention defaults: no relative attention, pos_att_type null (content-to-content
   * only), absolute positions, 2 token types, relu feed-forward, 1 label, max_length 24.
   */
  static final String NO_RELATIVE = "spm-norel-1label-len24";

  /** Every case. */
  static final List<String> CASES = List.of(V3, V2, V2_CONV, NO_RELATIVE);

  private static final ObjectMapper JSON = new ObjectMapper();

  private DebertaV2Fixtures() {}

  /** The folder of a case, on the test class path. */
  static Path folder(String name) {
    try {
      return Path.of(DebertaV2Fixtures.class.getResource("/dev/ce4j/core/arch/deberta-v2/" + name).toURI());
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
}
