package dev.ce4j.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Parameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads the classification golden files written by
 * {@code src/test/python/classification_golden.py} and compares evaluations with them.
 */
public final class ClassificationGolden {
  /** Absolute tolerance of every golden comparison. */
  public static final double TOLERANCE = 1e-9;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClassificationGolden() {}

  /**
   * The cases of one golden file as JUnit arguments {@code (name, case)}.
   *
   * @param file the file name under {@code /golden/classification/}
   * @return one argument set per case
   */
  public static Stream<Arguments> cases(String file) {
    String resource = "/golden/classification/" + file;
    try (InputStream in = ClassificationGolden.class.getResourceAsStream(resource)) {
      assertThat(in).as("golden resource %s", resource).isNotNull();
      JsonNode cases = JSON.readTree(in).get("cases");
      assertThat(cases.size()).as("cases in %s", file).isGreaterThan(100);
      List<Arguments> out = new ArrayList<>();
      for (JsonNode c : cases) {
        out.add(Arguments.of(c.get("name").asText(), c));
      }
      return out.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The case's parameters, as strings.
   *
   * @param c the case
   * @return the parameters
   */
  public static Parameters parameters(JsonNode c) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : c.get("params").properties()) {
      map.put(e.getKey(), e.getValue().asText());
    }
    return Parameters.of(map);
  }

  /**
   * A JSON array of numbers.
   *
   * @param node the array
   * @return its values
   */
  public static double[] doubles(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).doubleValue();
    }
    return out;
  }

  /**
   * A JSON array of arrays of numbers.
   *
   * @param node the array
   * @return its rows
   */
  public static double[][] doubleMatrix(JsonNode node) {
    double[][] out = new double[node.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles(node.get(i));
    }
    return out;
  }

  /**
   * A JSON array of integers.
   *
   * @param node the array
   * @return its values
   */
  public static int[] ints(JsonNode node) {
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).intValue();
    }
    return out;
  }

  /**
   * A JSON array of arrays of integers.
   *
   * @param node the array
   * @return its rows
   */
  public static int[][] intMatrix(JsonNode node) {
    int[][] out = new int[node.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ints(node.get(i));
    }
    return out;
  }

  /**
   * Asserts that an evaluation has exactly the expected keys, in order, and values within
   * {@link #TOLERANCE}; a JSON null means {@code NaN}.
   *
   * @param actual the evaluation
   * @param c the golden case
   */
  public static void assertMatches(Evaluation actual, JsonNode c) {
    JsonNode expected = c.get("expected");
    List<String> keys = new ArrayList<>();
    expected.fieldNames().forEachRemaining(keys::add);
    assertThat(List.copyOf(actual.keys())).containsExactlyElementsOf(keys);
    for (String key : keys) {
      JsonNode want = expected.get(key);
      if (want.isArray()) {
        assertThat(actual.isArray(key)).as(key).isTrue();
        double[] got = actual.getArray(key);
        assertThat(got).as(key).hasSize(want.size());
        for (int i = 0; i < got.length; i++) {
          assertValue(key + "[" + i + "]", got[i], want.get(i));
        }
      } else {
        assertValue(key, actual.get(key), want);
      }
    }
  }

  private static void assertValue(String what, double got, JsonNode want) {
    if (want.isNull()) {
      assertThat(Double.isNaN(got)).as("%s should be NaN but is %s", what, got).isTrue();
    } else {
      assertThat(got).as(what).isNotNaN().isCloseTo(want.doubleValue(), within(TOLERANCE));
    }
  }
}
