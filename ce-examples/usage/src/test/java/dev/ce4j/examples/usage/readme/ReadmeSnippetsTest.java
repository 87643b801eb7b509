package dev.ce4j.examples.usage.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.RankingPredictions;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.RankedDocument;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.TrainingArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's three snippets, as written there (paths aside): train from {@code tiny.json}, score
 * and rank with the trained model and save it, evaluate ranking predictions whose MRR is worked by
 * hand. If a snippet stops compiling or working, this test says so before a reader does.
 */
class ReadmeSnippetsTest {
  private static final Path TINY = Path.of("..", "configs", "tiny.json").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void trainThenScoreAndRankThenSave() throws IOException {
    // Train
    TrainingArguments args = TrainingArguments.read(TINY);
    TrainingResult result;
    try (CrossEncoderTrainer trainer = CrossEncoderTrainer.builder(args, dir.resolve("runs/tiny")).build()) {
      result = trainer.train();
    }
    assertThat(result.fingerprint()).matches("[0-9a-f]{64}");
    assertThat(dir.resolve("runs/tiny/run.json")).isRegularFile();

    // Score and rank
    double[][] scores;
    List<RankedDocument> top;
    try (CrossEncoder model = CrossEncoder.load(dir.resolve("runs/tiny/model"))) {
      scores = model.predict(List.of(
          TextPair.of("a domesticated carnivorous mammal", "dog, domestic dog"),
          TextPair.of("a domesticated carnivorous mammal", "piano, pianoforte")));
      top = model.rank("a domesticated carnivorous mammal",
          List.of("piano, pianoforte", "dog, domestic dog", "wolf"), 2);
      model.save(dir.resolve("models/copy"));
    }
    assertThat(scores).hasDimensions(2, 1);
    assertThat(top).hasSize(2);
    assertThat(top.get(0).score()).isGreaterThanOrEqualTo(top.get(1).score());
    assertThat(Files.exists(dir.resolve("models/copy/model.safetensors"))).isTrue();
    assertThat(ModelFingerprint.ofFolder(dir.resolve("models/copy"))).isEqualTo(result.fingerprint());
  }

  @Test
  void evaluateRankingPredictions() {
    EvaluatorRegistry registry = EvaluatorRegistry.load();
    Evaluation e = registry.get("reranking").evaluate(
        new RankingPredictions(List.of(
            new RankingPredictions.Query("q1", new double[] {2.1, 0.3, 1.2}, new double[] {1, 0, 0}),
            new RankingPredictions.Query("q2", new double[] {0.2, 0.9}, new double[] {1, 0}))),
        Parameters.parse(List.of("k=10")));
    double mrr = e.get("mrr@10");

    assertThat(mrr).isEqualTo(0.75); // (1/1 + 1/2) / 2
  }
}
