package dev.ce4j.core.onnx;

import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately plain BERT encoder forward pass (loops over doubles, no library), written from the
 * definition of Hugging Face's {@code BertModel}: word + position + token-type embeddings,
 * LayerNorm, then per layer post-LN self-attention with the padding mask and an exact-GELU
 * feed-forward. It reads weights by their Hugging Face names, so agreement with ONNX Runtime on the
 * original graph proves that the importer named and transposed every tensor correctly.
 */
final class ReferenceBert {

  private final Map<String, float[]> w = new HashMap<>();
  private final Map<String, long[]> shapes = new HashMap<>();
  private final ImportedBertConfig c;

  ReferenceBert(Map<String, NamedTensor> tensors, ImportedBertConfig config) {
    for (NamedTensor t : tensors.values()) {
      w.put(t.name(), t.data());
      shapes.put(t.name(), t.shape());
    }
    this.c = config;
  }

  /**
   * The last hidden states.
   *
   * @param ids token ids [batch][seq]
   * @param types token type ids [batch][seq]
   * @param mask attention mask [batch][seq], 1 for tokens, 0 for padding
   * @return hidden states [batch][seq][hidden]
   */
  double[][][] forward(long[][] ids, long[][] types, long[][] mask) {
    double[][][] out = new double[ids.length][][];
    for (int b = 0; b < ids.length; b++) {
      out[b] = forwardOne(ids[b], types[b], mask[b]);
    }
    return out;
  }

  private double[][] forwardOne(long[] ids, long[] types, long[] mask) {
    int s = ids.length;
    int h = c.hiddenSize();
    double[][] x = new double[s][h];
    float[] word = get("embeddings.word_embeddings.weight");
    float[] pos = get("embeddings.position_embeddings.weight");
    float[] type = get("embeddings.token_type_embeddings.weight");
    for (int t = 0; t < s; t++) {
      for (int j = 0; j < h; j++) {
        x[t][j] = word[(int) ids[t] * h + j] + pos[t * h + j] + type[(int) types[t] * h + j];
      }
      x[t] = layerNorm(x[t], "embeddings.LayerNorm");
    }
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      x = layer(x, mask, "encoder.layer." + l + ".");
    }
    return x;
  }

  private double[][] layer(double[][] x, long[] mask, String p) {
    int s = x.length;
    int h = c.hiddenSize();
    int heads = c.numAttentionHeads();
    int d = h / heads;
    double[][] q = new double[s][];
    double[][] k = new double[s][];
    double[][] v = new double[s][];
    for (int t = 0; t < s; t++) {
      q[t] = linear(x[t], p + "attention.self.query");
      k[t] = linear(x[t], p + "attention.self.key");
      v[t] = linear(x[t], p + "attention.self.value");
    }
    double[][] ctx = new double[s][h];
    double scale = 1.0 / Math.sqrt(d);
    for (int hd = 0; hd < heads; hd++) {
      int o = hd * d;
      for (int i = 0; i < s; i++) {
        double[] scores = new double[s];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
          if (mask[j] == 0) {
            scores[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double dot = 0;
          for (int e = 0; e < d; e++) {
            dot += q[i][o + e] * k[j][o + e];
          }
          scores[j] = dot * scale;
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < s; j++) {
          scores[j] = mask[j] == 0 ? 0 : Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j < s; j++) {
          double pr = scores[j] / sum;
          for (int e = 0; e < d; e++) {
            ctx[i][o + e] += pr * v[j][o + e];
          }
        }
      }
    }
    double[][] out = new double[s][];
    for (int t = 0; t < s; t++) {
      double[] a = linear(ctx[t], p + "attention.output.dense");
      for (int j = 0; j < h; j++) {
        a[j] += x[t][j];
      }
      double[] x1 = layerNorm(a, p + "attention.output.LayerNorm");
      double[] inter = linear(x1, p + "intermediate.dense");
      for (int j = 0; j < inter.length; j++) {
        inter[j] = 0.5 * inter[j] * (1 + erf(inter[j] / Math.sqrt(2)));
      }
      double[] y = linear(inter, p + "output.dense");
      for (int j = 0; j < h; j++) {
        y[j] += x1[j];
      }
      out[t] = layerNorm(y, p + "output.LayerNorm");
    }
    return out;
  }

  /** y = W x + b with W in Hugging Face layout [out, in]. */
  private double[] linear(double[] in, String layer) {
    float[] weight = get(layer + ".weight");
    float[] bias = get(layer + ".bias");
    long[] shape = shapes.get(ImportedBert.PREFIX + layer + ".weight");
    int outDim = (int) shape[0];
    int inDim = (int) shape[1];
    double[] out = new double[outDim];
    for (int o = 0; o < outDim; o++) {
      double acc = bias[o];
      int base = o * inDim;
      for (int i = 0; i < inDim; i++) {
        acc += weight[base + i] * in[i];
      }
      out[o] = acc;
    }
    return out;
  }

  private double[] layerNorm(double[] x, String prefix) {
    float[] gamma = get(prefix + ".weight");
    float[] beta = get(prefix + ".bias");
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double inv = 1 / Math.sqrt(var + c.layerNormEps());
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (x[j] - mean) * inv * gamma[j] + beta[j];
    }
    return out;
  }

  private float[] get(String local) {
    float[] t = w.get(ImportedBert.PREFIX + local);
    if (t == null) {
      throw new IllegalArgumentException("no tensor " + local);
    }
    return t;
  }

  /**
   * The error function to double precision: its Maclaurin series for |x| < 2.5, else the continued
   * fraction of erfc evaluated with the modified Lentz method.
   */
  static double erf(double x) {
    double ax = Math.abs(x);
    if (ax < 2.5) {
      double term = ax;
      double sum = ax;
      double x2 = ax * ax;
      for (int n = 1; n < 200; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      double r = 2 / Math.sqrt(Math.PI) * sum;
      return x < 0 ? -r : r;
    }
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
    double tiny = 1e-300;
    double f = ax;
    double cc = f;
    double dd = 0;
    for (int n = 1; n < 500; n++) {
      double an = n / 2.0;
      dd = ax + an * dd;
      dd = dd == 0 ? tiny : dd;
      cc = ax + an / cc;
      cc = cc == 0 ? tiny : cc;
      dd = 1 / dd;
      double delta = cc * dd;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
    return x < 0 ? erfc - 1 : 1 - erfc;
  }
}
