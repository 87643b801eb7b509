package dev.ce4j.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.ScoreActivation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-worked values and gradients (as in each loss's Javadoc), shape checks, MNRL sampling. */
class LossHandWorkedTest {
  private static final double LN2 = Math.log(2);
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = PyTorch.newManager(Device.cpu());
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Value followed by d(loss)/d(logits). */
  private static float[] run(Loss loss, float[] logits, Shape shape, NDArray labels, NDArray mask) {
    NDArray x = labels != null ? labels.getManager().create(logits, shape)
        : manager.create(logits, shape);
    x.setRequiresGradient(true);
    float value;
    try (GradientCollector gc = Engine.getEngine(PyTorch.ENGINE_NAME).newGradientCollector()) {
      NDArray out = loss.compute(x, labels, mask);
      value = out.getFloat();
      gc.backward(out);
    }
    float[] g = x.getGradient().toFloatArray();
    float[] res = new float[g.length + 1];
    res[0] = value;
    System.arraycopy(g, 0, res, 1, g.length);
    return res;
  }

  private static void expect(float[] actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6));
    }
  }

  @Test
  void bce() {
    try (NDManager m = manager.newSubManager()) {
      NDArray y = m.create(new float[] {1});
      expect(run(new BinaryCrossEntropyLoss(), new float[] {0}, new Shape(1), y, null), LN2, -0.5);
      expect(run(new BinaryCrossEntropyLoss(ScoreActivation.IDENTITY, 3.0), new float[] {0},
          new Shape(1, 1), y, null), 3 * LN2, -1.5);
    }
  }

  @Test
  void multiLabelBce() {
    try (NDManager m = manager.newSubManager()) {
      NDArray y = m.create(new float[] {1, 0}, new Shape(1, 2));
      expect(run(new MultiLabelBinaryCrossEntropyLoss(ScoreActivation.IDENTITY,
              new float[] {2, 1}), new float[] {0, 0}, new Shape(1, 2), y, null),
          1.5 * LN2, -0.5, 0.25);
    }
  }

  @Test
  void crossEntropy() {
    try (NDManager m = manager.newSubManager()) {
      NDArray y = m.create(new long[] {0});
      expect(run(new CrossEntropyLoss(), new float[] {0, 0}, new Shape(1, 2), y, null),
          LN2, -0.5, 0.5);
    }
  }

  @Test
  void mse() {
    try (NDManager m = manager.newSubManager()) {
      NDArray y = m.create(new float[] {0, 1});
      expect(run(new MseLoss(), new float[] {1, 3}, new Shape(2), y, null), 2.5, 1, 2);
    }
  }

  @Test
  void marginMse() {
    try (NDManager m = manager.newSubManager()) {
      NDArray y = m.create(new float[] {1}, new Shape(1, 1));
      expect(run(new MarginMseLoss(), new float[] {3, 1}, new Shape(1, 2), y, null), 1, 2, -2);
    }
  }

  @Test
  void mnrl() {
    try (NDManager m = manager.newSubManager()) {
      NDArray unused = m.create(0f);
      expect(run(new MultipleNegativesRankingLoss(), new float[] {0, 0}, new Shape(1, 2), null,
          null), LN2, -1.25, 1.25);
      assertThat(unused.isScalar()).isTrue();
    }
  }

  @Test
  void listwise() {
    try (NDManager m = manager.newSubManager()) {
      NDArray same = m.create(new float[] {1, 1}, new Shape(1, 2));
      expect(run(new ListNetLoss(), new float[] {0, 0}, new Shape(1, 2), same, null), LN2, 0, 0);
      expect(run(new ListMleLoss(), new float[] {0, 0}, new Shape(1, 2), same, null),
          LN2, -0.5, 0.5);
      NDArray ranked = m.create(new float[] {1, 0}, new Shape(1, 2));
      double g = (1 - 0.5) / LN2;
      expect(run(new RankNetLoss(), new float[] {0, 0}, new Shape(1, 2), ranked, null), 1, -g, g);
    }
  }

  /** A padded cell changes nothing: same value as the short list, zero gradient at the pad. */
  @Test
  void paddingIsIgnored() {
    Loss[] losses = {new ListNetLoss(), new ListMleLoss(), new RankNetLoss(), new LambdaLoss(),
        new ListMleLoss(ScoreActivation.IDENTITY, false, true)};
    for (Loss loss : losses) {
      try (NDManager m = manager.newSubManager()) {
        float[] shortRun = run(loss, new float[] {0.3f, -1.2f, 2f}, new Shape(1, 3),
            m.create(new float[] {2, 0, 1}, new Shape(1, 3)), null);
        float[] padded = run(loss, new float[] {0.3f, 7f, -1.2f, 2f}, new Shape(1, 4),
            m.create(new float[] {2, 9, 0, 1}, new Shape(1, 4)),
            m.create(new boolean[] {true, false, true, true}, new Shape(1, 4)));
        assertThat((double) padded[0]).as(loss.id()).isCloseTo(shortRun[0], within(1e-6));
        assertThat(padded[2]).as(loss.id()).isZero();
        assertThat((double) padded[1]).isCloseTo(shortRun[1], within(1e-6));
        assertThat((double) padded[3]).isCloseTo(shortRun[2], within(1e-6));
        assertThat((double) padded[4]).isCloseTo(shortRun[3], within(1e-6));
      }
    }
  }

  @Test
  void lambdaLossWithoutPairsIsZero() {
    try (NDManager m = manager.newSubManager()) {
      NDArray equal = m.create(new float[] {1, 1, 1}, new Shape(1, 3));
      expect(run(new LambdaLoss(), new float[] {0.5f, -1, 2}, new Shape(1, 3), equal, null),
          0, 0, 0, 0);
    }
  }

  @Test
  void rejectsShapeMismatches() {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.zeros(new Shape(2, 3));
      assertThatThrownBy(() -> new BinaryCrossEntropyLoss().compute(x, m.zeros(new Shape(2)), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B]");
      assertThatThrownBy(() -> new CrossEntropyLoss().compute(x,
              m.create(new long[] {0, 3}), null))
          .hasMessageContaining("class index 3");
      assertThatThrownBy(() -> new CrossEntropyLoss().compute(x, m.zeros(new Shape(2)), null))
          .hasMessageContaining("integer");
      assertThatThrownBy(() -> new ListNetLoss().compute(x, m.zeros(new Shape(2, 3)),
              m.zeros(new Shape(2, 3), DataType.BOOLEAN)))
          .hasMessageContaining("no document");
      assertThatThrownBy(() -> new MarginMseLoss().compute(x, m.zeros(new Shape(2, 5)), null))
          .hasMessageContaining("margins");
      assertThatThrownBy(() -> new MseLoss().compute(m.zeros(new Shape(2), DataType.FLOAT64),
              m.zeros(new Shape(2)), null))
          .hasMessageContaining("FLOAT32");
    }
  }

  @ParameterizedTest
  @CsvSource({"4,1,2", "4,2,3", "8,3,4", "3,2,100"})
  void inBatchNegativesExcludeTheQueryAndFollowTheSeed(int batch, int columns, int k) {
    int[][] a = MultipleNegativesRankingLoss.sampleInBatchNegatives(batch, columns, k,
        new Random(5));
    int[][] b = MultipleNegativesRankingLoss.sampleInBatchNegatives(batch, columns, k,
        new Random(5));
    assertThat(a).isDeepEqualTo(b);
    int available = batch * columns - columns;
    for (int i = 0; i < batch; i++) {
      assertThat(a[i]).hasSize(Math.min(k, available));
      Set<Integer> seen = new HashSet<>();
      for (int c : a[i]) {
        assertThat(c % batch).isNotEqualTo(i);
        assertThat(c).isBetween(0, batch * columns - 1);
        assertThat(seen.add(c)).isTrue();
      }
    }
  }

  @Test
  void allInBatchNegativesWhenNull() {
    int[][] all = MultipleNegativesRankingLoss.sampleInBatchNegatives(3, 2, null, new Random(0));
    assertThat(all[0]).containsExactly(1, 2, 4, 5);
    assertThat(all[1]).containsExactly(0, 2, 3, 5);
    assertThat(all[2]).containsExactly(0, 1, 3, 4);
  }

  @Test
  void differentSeedsDrawDifferentNegatives() {
    int[][] a = MultipleNegativesRankingLoss.sampleInBatchNegatives(16, 1, 4, new Random(1));
    int[][] b = MultipleNegativesRankingLoss.sampleInBatchNegatives(16, 1, 4, new Random(2));
    assertThat(Arrays.deepEquals(a, b)).isFalse();
  }

  @Test
  void idsAndParameters() {
    assertThat(new LambdaLoss().parameters())
        .containsEntry("weighting_scheme", "ndcg_loss2pp")
        .containsEntry("mu", "10.0")
        .containsEntry("reduction_log", "binary");
    assertThat(new RankNetLoss().id()).isEqualTo("ranknet");
    assertThat(new ListMleLoss(ScoreActivation.IDENTITY, true, true).id()).isEqualTo("plistmle");
    assertThat(new MultipleNegativesRankingLoss().parameters())
        .containsEntry("scale", "10.0")
        .containsEntry("num_negatives", "4")
        .containsEntry("activation_fn", "torch.nn.modules.activation.Sigmoid");
  }
}
