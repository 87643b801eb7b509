package dev.ce4j.core.arch.bert;

import dev.ce4j.core.model.FloatTensor;
import java.util.Map;

/**
 * An independent, deliberately naive BERT for sequence classification in plain Java doubles:
 * straightforward loops over the Hugging Face tensors, one sequence at a time, padding handled by
 * skipping masked keys. It shares no code with the DJL forward pass.
 */
public final class ReferenceBert {
  private final BertConfig c;
  private final Map<String, FloatTensor> w;

  /**
   * A reference over Hugging Face-named tensors.
   *
   * @param config the sizes, never null
   * @param weights tensors by Hugging Face name (the head is needed only for {@link #logits})
   */
  public ReferenceBert(BertConfig config, Map<String, FloatTensor> weights) {
    this.c = config;
    this.w = weights;
  }

  /**
   * Hidden states [batch][tokens][hidden] of a padded batch.
   *
   * @param ids token ids, never null
   * @param types token type ids, never null
   * @param mask 1 for tokens, 0 for padding, never null
   * @return the last hidden states, padded positions computed too
   */
  public double[][][] forward(long[][] ids, long[][] types, long[][] mask) {
    double[][][] out = new double[ids.length][][];
    for (int b = 0; b < ids.length; b++) {
      out[b] = hidden(ids[b], types[b], mask[b]);
    }
    return out;
  }

  /** Hidden states [tokens][hidden] of one sequence (padded positions computed too). */
  double[][] hidden(long[] ids, long[] types, long[] mask) {
    int t = ids.length;
    int h = c.hiddenSize();
    double[][] x = new double[t][h];
    for (int i = 0; i < t; i++) {
      for (int d = 0; d < h; d++) {
        x[i][d] =
            at("bert.embeddings.word_embeddings.weight", (int) ids[i], d)
                + at("bert.embeddings.token_type_embeddings.weight", (int) types[i], d)
                + at("bert.embeddings.position_embeddings.weight", i, d);
      }
      x[i] = layerNorm(x[i], "bert.embeddings.LayerNorm");
    }
    for (int l = 0; l < c.numHiddenLayers(); l++) {
      String p = "bert.encoder.layer." + l + ".";
      double[][] q = new double[t][];
      double[][] k = new double[t][];
      double[][] v = new double[t][];
      for (int i = 0; i < t; i++) {
        q[i] = linear(x[i], p + "attention.self.query");
        k[i] = linear(x[i], p + "attention.self.key");
        v[i] = linear(x[i], p + "attention.self.value");
      }
      int nh = c.numAttentionHeads();
      int hs = h / nh;
      double[][] ctx = new double[t][h];
      for (int head = 0; head < nh; head++) {
        for (int i = 0; i < t; i++) {
          double[] scores = new double[t];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < t; j++) {
            if (mask[j] == 0) {
              continue;
            }
            double s = 0;
            for (int d = 0; d < hs; d++) {
              s += q[i][head * hs + d] * k[j][head * hs + d];
            }
            scores[j] = s / Math.sqrt(hs);
            max = Math.max(max, scores[j]);
          }
          double sum = 0;
          for (int j = 0; j < t; j++) {
            scores[j] = mask[j] == 0 ? 0 : Math.exp(scores[j] - max);
            sum += scores[j];
          }
          for (int j = 0; j < t; j++) {
            double prob = scores[j] / sum;
            for (int d = 0; d < hs; d++) {
              ctx[i][head * hs + d] += prob * v[j][head * hs + d];
            }
          }
        }
      }
      double[][] next = new double[t][];
      for (int i = 0; i < t; i++) {
        double[] a = add(linear(ctx[i], p + "attention.output.dense"), x[i]);
        a = layerNorm(a, p + "attention.output.LayerNorm");
        double[] inter = linear(a, p + "intermediate.dense");
        for (int d = 0; d < inter.length; d++) {
          inter[d] = 0.5 * inter[d] * (1 + erf(inter[d] / Math.sqrt(2)));
        }
        double[] o = add(linear(inter, p + "output.dense"), a);
        next[i] = layerNorm(o, p + "output.LayerNorm");
      }
      x = next;
    }
    return x;
  }

  /** Logits of one sequence. */
  double[] logits(long[] ids, long[] types, long[] mask) {
    return head(hidden(ids, types, mask)[0]);
  }

  /** Pooler + classifier on the [CLS] hidden state. */
  double[] head(double[] cls) {
    double[] pooled = linear(cls, "bert.pooler.dense");
    for (int d = 0; d < pooled.length; d++) {
      pooled[d] = Math.tanh(pooled[d]);
    }
    return linear(pooled, "classifier");
  }

  private double at(String name, int row, int col) {
    FloatTensor t = w.get(name);
    return t.data()[(int) (row * t.shape()[1] + col)];
  }

  private double[] linear(double[] in, String prefix) {
    FloatTensor weight = w.get(prefix + ".weight");
    FloatTensor bias = w.get(prefix + ".bias");
    int out = (int) weight.shape()[0];
    int n = (int) weight.shape()[1];
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      double s = bias.data()[o];
      for (int i = 0; i < n; i++) {
        s += weight.data()[o * n + i] * in[i];
      }
      y[o] = s;
    }
    return y;
  }

  private double[] layerNorm(double[] in, String prefix) {
    double mean = 0;
    for (double v : in) {
      mean += v;
    }
    mean /= in.length;
    double var = 0;
    for (double v : in) {
      var += (v - mean) * (v - mean);
    }
    var /= in.length;
    double[] g = toDouble(w.get(prefix + ".weight").data());
    double[] b = toDouble(w.get(prefix + ".bias").data());
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (in[i] - mean) / Math.sqrt(var + c.layerNormEps()) * g[i] + b[i];
    }
    return out;
  }

  private static double[] add(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /**
   * erf in double: Maclaurin series below 2.5, the continued fraction of erfc above (both accurate
   * to about 1e-14 there).
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 2.5) {
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 200; n++) {
        term *= -ax * ax / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
      double f = ax;
      for (int n = 120; n >= 1; n--) {
        f = ax + (n / 2.0) / f;
      }
      r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
    }
    return x < 0 ? -r : r;
  }
}
