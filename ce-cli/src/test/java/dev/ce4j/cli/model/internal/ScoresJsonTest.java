package dev.ce4j.cli.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ScoresJsonTest {
  @Test
  void oneValueIsABareNumberThatReadsBackExactly() {
    double v = 0.1 + 0.2;
    assertThat(ScoresJson.predictionLine(new double[] {v})).isEqualTo("0.30000000000000004");
    assertThat(Double.parseDouble(ScoresJson.predictionLine(new double[] {v}))).isEqualTo(v);
    assertThat(ScoresJson.predictionLine(new double[] {-1.5e-7})).isEqualTo("-1.5E-7");
  }

  @Test
  void severalValuesAreAJsonArray() {
    assertThat(ScoresJson.predictionLine(new double[] {1, -2.5, 3e20})).isEqualTo("[1.0,-2.5,3.0E20]");
  }

  @Test
  void valuesJsonCannotHoldAreNull() {
    assertThat(ScoresJson.predictionLine(new double[] {Double.NaN})).isEqualTo("null");
    assertThat(ScoresJson.predictionLine(new double[] {0.5, Double.POSITIVE_INFINITY})).isEqualTo("[0.5,null]");
  }

  @Test
  void aRowNeedsAValue() {
    assertThatThrownBy(() -> ScoresJson.predictionLine(new double[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRankedLineHasIndexLineScoreAndTheEscapedDocument() throws IOException {
    String line = ScoresJson.rankedLine(3, 5, 0.25, "say \"hi\"\t\u00e9\\");
    assertThat(line).isEqualTo("{\"index\":3,\"line\":5,\"score\":0.25,\"document\":\"say \\\"hi\\\"\\t\u00e9\\\\\"}");
    JsonNode node = new ObjectMapper().readTree(line);
    assertThat(node.get("document").textValue()).isEqualTo("say \"hi\"\t\u00e9\\");
  }
}
