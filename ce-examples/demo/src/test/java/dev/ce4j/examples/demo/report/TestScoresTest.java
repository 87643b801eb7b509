package dev.ce4j.examples.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.PairScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's calibration view and side-by-side rankings, on a hand-worked file of two queries. */
class TestScoresTest {
  @TempDir Path tmp;

  /** Model scores and BM25 scores by document text, worked out by hand below. */
  private static final Map<String, Double> MODEL = Map.of("dog", 0.95, "cat", 0.40, "car", 0.05, "rose", 0.62,
      "tulip", 0.66, "oak", 0.05);
  private static final Map<String, Double> BM25 = Map.of("dog", 1.0, "cat", 3.0, "car", 2.0, "rose", 0.0,
      "tulip", 5.0, "oak", 5.0);

  private static PairScorer table(Map<String, Double> scores) {
    return pairs -> pairs.stream().map(TextPair::document).map(d -> new double[] {scores.get(d)}).toArray(double[][]::new);
  }

  private TestScores scores() throws Exception {
    Path file = tmp.resolve("test.jsonl");
    Files.writeString(file,
        "{\"query\":\"a barking pet\",\"documents\":[\"dog\",\"cat\",\"car\"],\"labels\":[1,0,0]}\n"
            + "{\"query\":\"a red flower\",\"documents\":[\"rose\",\"tulip\",\"oak\"],\"labels\":[1,0,0]}\n");
    return TestScores.score(file, table(MODEL), table(BM25));
  }

  @Test
  void topThreeShowsBothRankingsAndMarksTheRelevantDocument() throws Exception {
    List<List<String>> rows = scores().topThree(10);
    assertThat(rows).hasSize(2);
    // model: dog .95 > cat .40 > car .05; BM25: cat 3 > car 2 > dog 1
    assertThat(rows.get(0)).containsExactly("a barking pet", "dog", "✓ dog / cat / car", "cat / car / ✓ dog");
    // model: tulip .66 > rose .62 > oak .05; BM25 ties tulip and oak at 5: file order keeps tulip first
    assertThat(rows.get(1)).containsExactly("a red flower", "rose", "tulip / ✓ rose / oak", "tulip / oak / ✓ rose");
    assertThat(scores().topThree(1)).hasSize(1);
  }

  @Test
  void histogramGivesEachClassItsShareOfCandidatesPerBin() throws Exception {
    List<Series> h = scores().histogram(4);
    // relevant: .95 and .62 -> bins 3 and 2; not relevant: .40, .05, .66, .05 -> bins 1, 0, 2, 0
    assertThat(h.get(0).name()).isEqualTo("relevant (2)");
    assertThat(h.get(0).xs()).containsExactly(0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1.0);
    assertThat(h.get(0).ys()).containsExactly(0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5);
    assertThat(h.get(1).name()).isEqualTo("not relevant (4)");
    assertThat(h.get(1).ys()).containsExactly(0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0, 0);
  }

  @Test
  void reliabilityTableGivesTheRelevantShareOfEachNonEmptyBin() throws Exception {
    List<List<String>> rows = scores().reliability(4);
    assertThat(rows).containsExactly(
        List.of("0.00-0.25", "2", "0.000"),
        List.of("0.25-0.50", "1", "0.000"),
        List.of("0.50-0.75", "2", "0.500"),
        List.of("0.75-1.00", "1", "1.000"));
  }
}
