package dev.ce4j.core.arch.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.CrossEncoderOptions.Inference;
import dev.ce4j.core.CrossEncoderOptions.Precision;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.bert.BertTensors;
import dev.ce4j.core.engine.CpuFeatures;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.TokenizerFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * int8 and bfloat16 scoring follow the float32 eager pass (the reference: operation by operation,
 * itself checked against transformers' fixtures) within stated tolerances, rank pairs as it does,
 * see weights changed in place, and are refused, with the reason, where they cannot run.
 *
 * <p>The model is a seeded BERT of hidden size 96 (6 heads, 2 layers, FFN 192) with weights far
 * from the initialisation ({@link TestModels#randomWeights}), whose logits spread over about ±3:
 * the tolerances below are relative to that spread. On all-MiniLM-L6-v2 the agreement is measured
 * by {@code ce-benchmarks}' {@code PrecisionBenchmark} (docs/performance.md).
 */
class ReducedPrecisionScriptTest {
  private static final BertConfig CONFIG =
      TestModels.tiny(1).toBuilder().hiddenSize(96).numAttentionHeads(6).intermediateSize(192).build();

  /** 64 pairs of 2 to 40 words of the tokenizer's vocabulary, from a fixed seed. */
  private static final List<TextPair> PAIRS = pairs(64);

  @Test
  void int8LogitsFollowTheFloat32EagerPass() {
    double[] reference = scores(Inference.EAGER, Precision.FP32, 11);
    double[] int8 = scores(Inference.FASTEST, Precision.INT8, 11);
    double spread = range(reference);
    assertThat(spread).as("the reference's logits must spread for the check to mean anything").isGreaterThan(0.5);
    // int8 weights (63 levels per row) and 8-bit activations: a few percent of the spread
    assertThat(maxAbsDiff(reference, int8)).isLessThan(0.08 * spread);
    assertThat(spearman(reference, int8)).isGreaterThan(0.98);
  }

  @Test
  void bf16LogitsFollowTheFloat32EagerPassWhereTheCpuOrThePropertyAllowsIt() {
    double[] reference = scores(Inference.EAGER, Precision.FP32, 12);
    String property = "ce.precision.bf16.anyCpu";
    String before = System.getProperty(property);
    System.setProperty(property, "true");
    double[] bf16;
    try {
      bf16 = scores(Inference.FASTEST, Precision.BF16, 12);
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
    // bfloat16 keeps 8 significant bits: products to about 0.4%, accumulated over 2 layers
    assertThat(maxAbsDiff(reference, bf16)).isLessThan(0.03 * range(reference));
    assertThat(spearman(reference, bf16)).isGreaterThan(0.995);
  }

  @Test
  void bf16IsRefusedOnACpuWithoutAvx512Bf16AndRunsOnOneWithIt() {
    CrossEncoderOptions bf16 = CrossEncoderOptions.defaults().withDevice("cpu").withPrecision(Precision.BF16);
    if (CpuFeatures.has("avx512_bf16")) {
      try (CrossEncoder model = model(bf16, 1)) {
        assertThat(model.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.TORCHSCRIPT_BF16);
      }
    } else {
      assertThatThrownBy(() -> model(bf16, 1).close())
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("bf16 scoring needs a CPU with avx512_bf16")
          .hasMessageContaining("use precision int8 or fp32");
    }
  }

  @Test
  void int8SeesEveryKindOfQuantizedWeightChangedInPlace() {
    CrossEncoderOptions int8 = CrossEncoderOptions.defaults().withDevice("cpu").withPrecision(Precision.INT8);
    try (CrossEncoder model = model(int8, 13)) {
      assertThat(model.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.TORCHSCRIPT_INT8);
      assertThat(model.precision()).isEqualTo(Precision.INT8);
      // one weight of each of the four packed products: query-key-value, attention output,
      // intermediate, output
      List<TextPair> pairs = PAIRS.subList(0, 24);
      for (String changed :
          List.of(
              BertTensors.layerTensor(1, "attention.self.key.weight"),
              BertTensors.layerTensor(0, "attention.output.dense.weight"),
              BertTensors.layerTensor(1, "intermediate.dense.weight"),
              BertTensors.layerTensor(0, "output.dense.bias"))) {
        double[] before = column(model.predict(pairs, 24, false));
        try (PyTorch.GradScope noGrad = PyTorch.noGrad()) {
          model.weights().get(changed).muli(-1);
        }
        double[] after = column(model.predict(pairs, 24, false));
        // the int8 copies were made again: the logits are those of a model made afresh from the
        // changed float32 weights, bit for bit
        double[] fresh;
        try (CrossEncoder again = CrossEncoder.fromWeights(CONFIG, model.weights().toHost(),
            new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null), int8)) {
          fresh = column(again.predict(pairs, 24, false));
        }
        assertThat(after).as(changed).isNotEqualTo(before).isEqualTo(fresh);
      }
    }
  }

  @Test
  void reducedPrecisionNeedsTheCompiledPass() {
    CrossEncoderOptions eager = CrossEncoderOptions.defaults().withInference(Inference.EAGER);
    assertThatThrownBy(() -> eager.withPrecision(Precision.INT8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("int8 scoring runs in the compiled scoring pass");
    CrossEncoderOptions int8 = CrossEncoderOptions.defaults().withPrecision(Precision.INT8);
    assertThatThrownBy(() -> int8.withInference(Inference.EAGER)).isInstanceOf(IllegalArgumentException.class);
    assertThat(int8.withInference(Inference.EXACT).precision()).isEqualTo(Precision.INT8);
    assertThat(int8.toString()).contains("precision=int8");
    assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
    assertThatThrownBy(() -> Precision.parse("fp16"))
        .hasMessage("unknown precision 'fp16'; known: fp32, int8, bf16");
  }

  @Test
  void aFamilyWithoutTheReducedPassIsRefusedByName() throws Exception {
    CrossEncoderOptions int8 = CrossEncoderOptions.defaults().withDevice("cpu").withPrecision(Precision.INT8);
    Path modernBert = Path.of(getClass().getResource("/dev/ce4j/core/arch/modernbert/bpe-cls-gelu-1label-len32").toURI());
    assertThatThrownBy(() -> CrossEncoder.load(modernBert, int8))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("int8 scoring is written for the encoder families")
        .hasMessageContaining("is modernbert, which scores in fp32 only");
  }

  private static double[] scores(Inference inference, Precision precision, long seed) {
    CrossEncoderOptions options =
        CrossEncoderOptions.defaults().withDevice("cpu").withInference(inference).withPrecision(precision);
    try (CrossEncoder model = model(options, seed)) {
      assertThat(model.precision()).isEqualTo(precision);
      return column(model.predict(PAIRS, 16, false));
    }
  }

  private static CrossEncoder model(CrossEncoderOptions options, long seed) {
    return CrossEncoder.fromWeights(
        CONFIG,
        TestModels.randomWeights(CONFIG, seed),
        new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null),
        options);
  }

  private static List<TextPair> pairs(int n) {
    String[] words = ("the river bank holds water while a bank lends money to people who build houses near"
        + " the old stone bridge across green fields where children play games after school and dogs run")
        .split(" ");
    SplittableRandom r = new SplittableRandom(5);
    List<TextPair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TextPair.of(text(words, 2 + r.nextInt(5), r), text(words, 5 + r.nextInt(36), r)));
    }
    return out;
  }

  private static String text(String[] words, int count, SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      b.append(i > 0 ? " " : "").append(words[r.nextInt(words.length)]);
    }
    return b.toString();
  }

  private static double[] column(double[][] rows) {
    return Arrays.stream(rows).mapToDouble(r -> r[0]).toArray();
  }

  private static double range(double[] v) {
    return Arrays.stream(v).max().orElseThrow() - Arrays.stream(v).min().orElseThrow();
  }

  private static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Spearman's rho without ties (logits of distinct pairs): Pearson's correlation of the ranks. */
  private static double spearman(double[] a, double[] b) {
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double mean = (a.length - 1) / 2.0;
    double num = 0;
    double da = 0;
    double db = 0;
    for (int i = 0; i < a.length; i++) {
      num += (ra[i] - mean) * (rb[i] - mean);
      da += (ra[i] - mean) * (ra[i] - mean);
      db += (rb[i] - mean) * (rb[i] - mean);
    }
    return num / Math.sqrt(da * db);
  }

  private static double[] ranks(double[] v) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
    double[] r = new double[v.length];
    for (int i = 0; i < idx.length; i++) {
      r[idx[i]] = i;
    }
    return r;
  }
}
