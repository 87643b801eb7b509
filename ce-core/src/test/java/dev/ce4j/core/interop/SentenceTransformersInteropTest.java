package dev.ce4j.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.model.ScoreActivation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Folders saved by Python's sentence-transformers load in {@code ce} and score as Python scored
 * them.
 *
 * <p>The folders under {@code interop/st-saved/} and their {@code st-scores.json} were written by
 * {@code src/test/python/sentence_transformers_interop.py} with sentence-transformers 6.0.1,
 * transformers 5.17.0 and torch 2.11 ({@code interop/report.json}): models created there with
 * weights far from initialisation, saved with {@code CrossEncoder.save} in float32, bfloat16 and
 * float16, and scored from the saved folder in float32 (half weights upcast, as {@code ce} does).
 * The same run loaded folders saved by {@code ce} in sentence-transformers and transformers, on CPU
 * and CUDA, and got {@code ce}'s scores (see the report).
 */
class SentenceTransformersInteropTest {
  private static final double TOLERANCE = 1e-5;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {"st-tiny-f32-sigmoid", "st-tiny-bf16-identity", "st-minilmtok-3label-f16"})
  void aFolderSavedBySentenceTransformersScoresAsInPython(String name) throws Exception {
    Path folder = resource("st-saved/" + name);
    List<TextPair> pairs = SentenceTransformersFixtures.readPairs(resource("pairs.jsonl"));
    Path expected = folder.resolve("st-scores.json");
    JsonNode meta = new ObjectMapper().readTree(expected.toFile());
    double[][] pythonScores = SentenceTransformersFixtures.readMatrix(expected, "scores");
    double[][] pythonLogits = SentenceTransformersFixtures.readMatrix(expected, "logits");

    try (CrossEncoder model = CrossEncoder.load(folder)) {
      // the settings sentence-transformers applied come from the same folder
      assertThat(model.config().activation())
          .isEqualTo(ScoreActivation.fromClassName(meta.get("activation").asText()));
      assertThat(model.config().maxLength()).isEqualTo(meta.get("max_length").asInt());
      assertThat(model.config().numLabels()).isEqualTo(pythonLogits[0].length);

      assertClose(model.predict(pairs, 4, true), pythonScores, name + " scores");
      assertClose(model.predict(pairs, 4, false), pythonLogits, name + " logits");

      // and what ce saves from it scores the same, bit for bit
      Path copy = tmp.resolve(name);
      model.save(copy);
      try (CrossEncoder reloaded = CrossEncoder.load(copy)) {
        assertThat(reloaded.predict(pairs, 4, true)).isEqualTo(model.predict(pairs, 4, true));
        assertThat(reloaded.config().activation()).isEqualTo(model.config().activation());
        assertThat(reloaded.config().maxLength()).isEqualTo(model.config().maxLength());
      }
    }
  }

  private static void assertClose(double[][] actual, double[][] expected, String what) {
    assertThat(actual.length).as(what + " rows").isEqualTo(expected.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i].length).as(what + " row " + i).isEqualTo(expected[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        worst = Math.max(worst, Math.abs(actual[i][j] - expected[i][j]));
      }
    }
    assertThat(worst).as(what + ": largest difference from Python").isLessThanOrEqualTo(TOLERANCE);
  }

  private static Path resource(String relative) throws URISyntaxException {
    return Path.of(
        SentenceTransformersInteropTest.class
            .getResource("/dev/ce4j/core/interop/" + relative)
            .toURI());
  }
}
