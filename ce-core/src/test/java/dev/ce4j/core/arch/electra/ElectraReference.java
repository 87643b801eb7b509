package dev.ce4j.core.arch.electra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ELECTRA reference case: a Hugging Face model folder made by {@code
 * ce-core/src/test/python/architectures/make_arch_fixtures.py} (a torch transcription of
 * transformers' {@code ElectraForSequenceClassification}, an independent WordPiece tokenizer) and
 * its {@code reference.json}, read as the README next to that script describes it.
 */
final class ElectraReference {
  /** The case with {@code embedding_size} 16 projected to hidden 32, one label, max length 24. */
  static final String PROJECTED = "wordpiece-project-1label-len24";

  /** The case with {@code embedding_size} = hidden 32 (no projection), three labels, length 64. */
  static final String UNPROJECTED = "wordpiece-3label-len64";

  /** Every case. */
  static final List<String> CASES = List.of(PROJECTED, UNPROJECTED);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, ElectraReference> CACHE = new LinkedHashMap<>();

  final String name;
  final Path folder;
  final JsonNode json;

  private ElectraReference(String name, Path folder, JsonNode json) {
    this.name = name;
    this.folder = folder;
    this.json = json;
  }

  /** The case's folder and reference, read once per JVM. */
  static synchronized ElectraReference of(String name) {
    return CACHE.computeIfAbsent(name, n -> {
      URL url = ElectraReference.class.getResource("/dev/ce4j/core/arch/electra/" + n);
      if (url == null) {
        throw new IllegalStateException("no reference case " + n + " on the test class path");
      }
      try {
        Path folder = Path.of(url.toURI());
        return new ElectraReference(n, folder, JSON.readTree(Files.readAllBytes(folder.resolve("reference.json"))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public String toString() {
    return name;
  }

  int numLabels() {
    return json.get("num_labels").asInt();
  }

  int maxLength() {
    return json.get("max_length").asInt();
  }

  JsonNode pairs() {
    return json.get("pairs");
  }

  /** The (query, document) texts of every pair. */
  List<TextPair> textPairs() {
    List<TextPair> out = new ArrayList<>();
    for (JsonNode p : pairs()) {
      out.add(TextPair.of(p.get("query").asText(), p.get("document").asText()));
    }
    return out;
  }

  /** The tensors of {@code model.safetensors}, in transformers' module order. */
  LinkedHashMap<String, long[]> tensors() {
    LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
    json.get("tensors").properties().forEach(e -> out.put(e.getKey(), longs(e.getValue())));
    return out;
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  static long[][] longRows(JsonNode rows) {
    long[][] out = new long[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs(rows.get(i));
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

  static double[][] doubleRows(JsonNode rows) {
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(rows.get(i));
    }
    return out;
  }
}
