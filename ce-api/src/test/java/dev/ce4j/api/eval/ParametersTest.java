package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.InvalidInputException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParametersTest {
  private static final List<ParameterSpec> SPECS = List.of(
      ParameterSpec.of("beta", "weight of recall", "1"),
      ParameterSpec.optional("threshold", "fixed threshold"));

  @Test
  void parseReadsAssignmentsInOrderAndTrims() {
    Parameters p = Parameters.parse(List.of("beta=2", " threshold = 0.25 ", "expr=a=b"));
    assertThat(p.asMap()).containsExactly(
        Map.entry("beta", "2"), Map.entry("threshold", "0.25"), Map.entry("expr", "a=b"));
  }

  @Test
  void parseAllowsAnEmptyValue() {
    assertThat(Parameters.parse(List.of("beta=")).get("beta")).contains("");
  }

  @Test
  void parseRejectsADuplicateNamingIt() {
    assertThatThrownBy(() -> Parameters.parse(List.of("beta=1", "k=3", "beta=2")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'beta'")
        .hasMessageContaining("twice");
  }

  @ParameterizedTest
  @ValueSource(strings = {"beta", "=2", " =2", "", "beta:2"})
  void parseRejectsAMalformedAssignmentQuotingIt(String assignment) {
    assertThatThrownBy(() -> Parameters.parse(List.of("k=1", assignment)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'" + assignment + "'")
        .hasMessageContaining("KEY=VALUE");
  }

  @Test
  void ofCopiesTheMap() {
    Map<String, String> source = new HashMap<>(Map.of("beta", "2"));
    Parameters p = Parameters.of(source);
    source.put("beta", "3");
    assertThat(p.get("beta")).contains("2");
    assertThatThrownBy(() -> p.asMap().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void ofRejectsNullNamesAndValues() {
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("beta", null);
    assertThatThrownBy(() -> Parameters.of(nullValue)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("beta");
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "1");
    assertThatThrownBy(() -> Parameters.of(nullKey)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void requireKnownAcceptsDeclaredNames() {
    Parameters p = Parameters.of(Map.of("beta", "2"));
    assertThat(p.requireKnown("binary-classification", SPECS)).isSameAs(p);
    assertThat(Parameters.empty().requireKnown("x", List.of())).isSameAs(Parameters.empty());
  }

  @Test
  void requireKnownNamesTheUnknownParameterTheEvaluatorAndTheKnownNames() {
    assertThatThrownBy(() -> Parameters.of(Map.of("bta", "2")).requireKnown("binary-classification", SPECS))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'bta'")
        .hasMessageContaining("'binary-classification'")
        .hasMessageContaining("known: beta, threshold");
  }

  @Test
  void requireKnownSaysWhenAnEvaluatorTakesNoParameters() {
    assertThatThrownBy(() -> Parameters.of(Map.of("k", "2")).requireKnown("correlation", List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("takes no parameters");
  }

  @Test
  void getDoubleParsesOrDefaults() {
    Parameters p = Parameters.of(Map.of("beta", "0.5"));
    assertThat(p.getDouble("beta")).hasValue(0.5);
    assertThat(p.getDouble("beta", 1)).isCloseTo(0.5, within(0.0));
    assertThat(p.getDouble("threshold")).isEmpty();
    assertThat(p.getDouble("threshold", 0.25)).isCloseTo(0.25, within(0.0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "1,5", "two"})
  void getDoubleNamesTheParameterWhenTheValueIsNotANumber(String raw) {
    Parameters p = Parameters.of(Map.of("beta", raw));
    assertThatThrownBy(() -> p.getDouble("beta"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'beta'")
        .hasMessageContaining("'" + raw + "'")
        .hasMessageContaining("number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e999"})
  void getDoubleRejectsNonFiniteValuesNamingTheParameter(String raw) {
    Parameters p = Parameters.of(Map.of("beta", raw));
    assertThatThrownBy(() -> p.getDouble("beta", 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'beta'")
        .hasMessageContaining("finite");
  }

  @Test
  void getIntParsesOrDefaults() {
    Parameters p = Parameters.of(Map.of("k", "10"));
    assertThat(p.getInt("k", 5)).isEqualTo(10);
    assertThat(p.getInt("other", 5)).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "ten", "", "99999999999"})
  void getIntNamesTheParameterWhenTheValueIsNotAnInteger(String raw) {
    Parameters p = Parameters.of(Map.of("k", raw));
    assertThatThrownBy(() -> p.getInt("k", 10))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("integer");
  }

  @Test
  void emptyHasNothing() {
    assertThat(Parameters.empty().asMap()).isEmpty();
    assertThat(Parameters.empty().get("beta")).isEmpty();
  }

  @Test
  void equalsHashCodeAndToString() {
    Parameters a = Parameters.parse(List.of("beta=2", "k=3"));
    Parameters b = Parameters.of(Map.of("k", "3", "beta", "2"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(Parameters.empty());
    assertThat(a).hasToString("{beta=2, k=3}");
  }
}
