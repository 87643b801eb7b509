package dev.ce4j.examples.usage.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.RankedDocument;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.examples.usage.internal.TinyFixture;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the scoring example twice: once importing all-MiniLM-L6-v2 (no {@code --model}), once on
 * the folder that import wrote. The imported head is untrained, so the tests check what holds for
 * any model: scores are probabilities, each ranking is a permutation of the query's documents in
 * descending order of the same scores that {@code predict} gives, and a saved folder scores the
 * same every time it is loaded.
 */
class ScoreAndRankTest {
  @TempDir Path tmp;

  @Test
  void importsScoresRanksAndScoresTheSavedFolderIdentically() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ScoreAndRank.Result imported;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      imported = ScoreAndRank.run(new ScoreAndRank.Options(null, tmp.resolve("out"), 42), out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(imported.imported()).isTrue();
    assertThat(printed).contains("no --model given", "untrained", "predict: one score per", "rank: a member of the genus Canis");
    Path folder = tmp.resolve("out").resolve("minilm");
    assertThat(imported.model()).isEqualTo(folder);
    assertThat(folder.resolve("model.safetensors")).isRegularFile();

    ScoreAndRank.Result r = ScoreAndRank.run(new ScoreAndRank.Options(folder, tmp.resolve("unused"), 1), nowhere());
    assertThat(r.imported()).isFalse();
    assertThat(tmp.resolve("unused")).as("a given model writes nothing").doesNotExist();
    assertThat(r.fingerprint()).matches("[0-9a-f]{64}").isEqualTo(imported.fingerprint());
    assertThat(printed).contains("fingerprint: " + r.fingerprint());

    int pair = 0;
    for (int q = 0; q < ScoreAndRank.QUERIES.size(); q++) {
      List<String> docs = ScoreAndRank.QUERIES.get(q).documents();
      List<RankedDocument> ranked = r.rankings().get(q);
      assertThat(ranked).extracting(RankedDocument::index)
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, docs.size()).boxed().toList());
      for (int i = 1; i < ranked.size(); i++) {
        assertThat(ranked.get(i).score()).isLessThanOrEqualTo(ranked.get(i - 1).score());
      }
      for (RankedDocument d : ranked) {
        double predicted = r.pairScores().get(pair + d.index())[0];
        assertThat(d.score()).as("rank and predict agree").isCloseTo(predicted, within(1e-5));
        assertThat(predicted).isStrictlyBetween(0.0, 1.0);
      }
      pair += docs.size();
    }
    assertThat(r.pairScores()).hasSize(pair);
    // the saved folder, loaded again, gives the same scores as the model just imported
    for (int i = 0; i < pair; i++) {
      assertThat(r.pairScores().get(i)).as("pair %d", i).containsExactly(imported.pairScores().get(i));
    }
    assertThat(printed).contains(String.format(Locale.ROOT, "  %.4f  ", r.pairScores().get(0)[0]));
  }

  @Test
  void aMissingModelFolderIsBadInput() {
    Run run = run("--model", tmp.resolve("missing").toString());
    assertThat(run.rc).isEqualTo(2);
    assertThat(run.err).contains("ScoreAndRank: --model", "missing is not a folder");
  }

  @Test
  void aModelWithThreeOutputsIsBadInput() throws Exception {
    TinyFixture tiny = TinyFixture.copyTo(tmp.resolve("tiny"));
    ModelConfig threeLabels = ConfigJson.parse(
        Files.readString(tiny.config()).replace("\"num_labels\": 1", "\"num_labels\": 3"), "three labels");
    assertThat(threeLabels.numLabels()).isEqualTo(3);
    Path folder = tmp.resolve("three");
    try (CrossEncoder m = CrossEncoder.create(threeLabels, tiny.tokenizer(), 1)) {
      m.save(folder);
    }
    Run run = run("--model", folder.toString());
    assertThat(run.rc).isEqualTo(2);
    assertThat(run.err).contains("has 3 outputs; ScoreAndRank scores and ranks with a one-output (relevance) model");
  }

  @Test
  void anUnknownArgumentIsBadInput() {
    Run run = run("--modle", "x");
    assertThat(run.rc).isEqualTo(2);
    assertThat(run.err).contains("unknown argument '--modle'", "usage: ScoreAndRank");
  }

  private record Run(int rc, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = ScoreAndRank.run(args, o, e);
    }
    return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream nowhere() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
