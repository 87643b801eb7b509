package dev.ce4j.examples.usage.multiclass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.train.CrossEncoderTrainer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the NLI example in reduced mode (48 training pairs, 12 steps): the data files, a
 * three-class model whose config names the classes, the evaluator's metrics before and after, and
 * an accuracy on unseen nouns that training raised above the untrained model's. The run is
 * deterministic (seed and thread count fixed), so the comparison is not a matter of luck.
 */
class TrainNliClassifierTest {
  @TempDir Path tmp;

  @Test
  void trainingRaisesTestAccuracyAboveTheUntrainedModel() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TrainNliClassifier.Result r;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(OutputStream.nullOutputStream())) {
      r = TrainNliClassifier.run(new TrainNliClassifier.Options(tmp, 42, 12, 48), out, err);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(Files.readAllLines(tmp.resolve("data/nli-train.jsonl"))).hasSize(3 * 48)
        .allSatisfy(line -> assertThat(line).matches("\\{\"pair\":\\[\"There is .*\",\"There is .*\"\\],\"label\":[012]}"));
    assertThat(Files.readAllLines(tmp.resolve("data/nli-test.jsonl"))).hasSize(3 * TrainNliClassifier.TEST_PAIRS);
    assertThat(Files.readString(tmp.resolve("run").resolve(CrossEncoderTrainer.FINAL_MODEL).resolve("config.json")))
        .contains("\"entailment\"", "\"neutral\"", "\"contradiction\"");

    for (Evaluation e : new Evaluation[] {r.before(), r.after()}) {
      assertThat(e.evaluatorId()).isEqualTo(TrainNliClassifier.EVALUATOR);
      assertThat(e.get("accuracy")).isBetween(0.0, 1.0);
      assertThat(e.get("f1_macro")).isBetween(0.0, 1.0);
      assertThat(e.getArray("f1_per_label")).hasSize(3);
      assertThat(e.getArray("support_per_label")).containsExactly(48.0, 48.0, 48.0);
    }
    assertThat(r.after().get("accuracy")).as("test accuracy after training vs before")
        .isGreaterThan(r.before().get("accuracy") + 0.05);
    assertThat(r.training().steps()).isEqualTo(12);
    assertThat(r.training().finalMetrics()).containsKeys("dev/accuracy", "dev/f1_macro", "train/loss");
    assertThat(printed).contains("| MiniLM, untrained head  |", "| after 12 steps ", "fingerprint: " + r.training().fingerprint());
  }
}
