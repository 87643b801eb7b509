package dev.ce4j.train.loss;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which labels each loss takes, worked out by hand from the losses' definitions. */
class LabelDomainTest {
  @ParameterizedTest(name = "{0} {1} with {2} outputs: accepted {3}")
  @CsvSource({
    "UNIT_INTERVAL, 0, 1, true",
    "UNIT_INTERVAL, 1, 1, true",
    "UNIT_INTERVAL, 0.25, 1, true",
    "UNIT_INTERVAL, 2, 1, false",
    "UNIT_INTERVAL, -1, 1, false",
    "UNIT_INTERVAL, -0.0, 1, true",
    "NON_NEGATIVE, 0, 1, true",
    "NON_NEGATIVE, 3.5, 1, true",
    "NON_NEGATIVE, -1, 1, false",
    "CLASS_INDEX, 0, 3, true",
    "CLASS_INDEX, 2, 3, true",
    "CLASS_INDEX, 3, 3, false",
    "CLASS_INDEX, 1.5, 3, false",
    "CLASS_INDEX, -1, 3, false",
    "CLASS_INDEX, 1, 1, false",
    "ANY, -1e30, 1, true",
  })
  void checksOneLabel(LabelDomain domain, double label, int numLabels, boolean accepted) {
    assertThat(domain.check(label, numLabels) == null).isEqualTo(accepted);
  }

  @Test
  void eachBuiltInLossSaysWhatItTakes() {
    assertThat(new BinaryCrossEntropyLoss().labelDomain()).isEqualTo(LabelDomain.UNIT_INTERVAL);
    assertThat(new MultiLabelBinaryCrossEntropyLoss().labelDomain()).isEqualTo(LabelDomain.UNIT_INTERVAL);
    assertThat(new CrossEntropyLoss().labelDomain()).isEqualTo(LabelDomain.CLASS_INDEX);
    assertThat(new LambdaLoss().labelDomain()).isEqualTo(LabelDomain.NON_NEGATIVE);
    assertThat(new RankNetLoss().labelDomain()).isEqualTo(LabelDomain.NON_NEGATIVE);
    assertThat(new MseLoss().labelDomain()).isEqualTo(LabelDomain.ANY);
    assertThat(new MarginMseLoss().labelDomain()).isEqualTo(LabelDomain.ANY);
    assertThat(new ListNetLoss().labelDomain()).isEqualTo(LabelDomain.ANY);
  }

  @Test
  void theClassIndexMessageNamesTheRange() {
    assertThat(LabelDomain.CLASS_INDEX.check(3, 3))
        .isEqualTo("a class index, an integer from 0 to 2 (the model has 3 outputs)");
  }
}
