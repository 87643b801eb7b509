package dev.ce4j.examples.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTest {
  private static final double[] XS = {1, 2, 3, 4, 5};

  @Test
  void movingAverageIsTrailingAndShorterAtTheStart() {
    Series s = new Series("loss", XS, new double[] {4, 2, 6, 0, 3}, true);
    Series avg = s.movingAverage("mean", 3);
    // hand-worked: 4, (4+2)/2, (4+2+6)/3, (2+6+0)/3, (6+0+3)/3
    assertThat(avg.ys()).containsExactly(new double[] {4, 3, 4, 8.0 / 3, 3}, within(1e-12));
    assertThat(avg.xs()).containsExactly(XS);
    assertThat(avg.faint()).isFalse();
    assertThat(avg.name()).isEqualTo("mean");
    assertThatThrownBy(() -> s.movingAverage("m", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void samePointsComparesEveryValue() {
    Series a = new Series("a", XS, new double[] {1, 2, 3, 4, 5});
    assertThat(a.samePoints(new Series("b", XS, new double[] {1, 2, 3, 4, 5}))).isTrue();
    assertThat(a.samePoints(new Series("b", XS, new double[] {1, 2, 3, 4, 5.0001}))).isFalse();
  }

  @Test
  void legendsSitUnderThePlotAndFaintSeriesHaveNoMarkers() {
    Series raw = new Series("loss per step", XS, new double[] {4, 2, 6, 0, 3}, true);
    String svg = HtmlReport.svg("t", "step", "loss", List.of(raw, raw.movingAverage("mean", 2)));
    // plot area: top 30, height 215; legends start 50 below it
    assertThat(svg).contains("<text x=\"82.0\" y=\"295\" font-size=\"11\">loss per step</text>");
    assertThat(svg).contains("font-size=\"11\">mean</text>");
    // five markers: the mean's points only
    assertThat(svg.split("<circle", -1)).hasSize(6);
    assertThat(svg).contains("stroke=\"#9bbfdc\" stroke-width=\"1\"");
  }
}
