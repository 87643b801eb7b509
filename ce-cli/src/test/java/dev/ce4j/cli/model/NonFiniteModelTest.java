package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ce predict} and {@code ce rank} on models whose weights are not finite, or whose finite
 * weights overflow the logit: exit 2 with one message, and no score printed as if it were one.
 */
class NonFiniteModelTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path pairs;
  static Path docs;

  @BeforeAll
  static void files() throws IOException {
    pairs = Files.writeString(shared.resolve("pairs.jsonl"),
        "[\"what is the capital of france\", \"paris\"]\n[\"a\", \"b\"]\n");
    docs = Files.writeString(shared.resolve("docs.txt"), "paris\nberlin\n");
  }

  /** A tiny one-label folder whose weights {@code edit} changes, stored as {@code dtype}. */
  Path model(String name, DType dtype, Consumer<Map<String, FloatTensor>> edit) throws IOException {
    Path folder = TinyModels.folder(dir.resolve(name), 1, 11);
    Path file = folder.resolve("model.safetensors");
    LinkedHashMap<String, FloatTensor> w = SafeTensors.readFloats(file, n -> true);
    edit.accept(w);
    SafeTensors.write(file, w, dtype, Map.of("format", "pt"));
    return folder;
  }

  /**
   * Finite weights whose logit is +Infinity for every pair: the pooler outputs tanh(10), 1.0 as a
   * float, in all 32 units, each multiplied by a classifier weight of 3e38; the sum overflows.
   */
  static void overflow(Map<String, FloatTensor> w) {
    Arrays.fill(w.get("bert.pooler.dense.weight").data(), 0f);
    Arrays.fill(w.get("bert.pooler.dense.bias").data(), 10f);
    Arrays.fill(w.get("classifier.weight").data(), 3e38f);
    Arrays.fill(w.get("classifier.bias").data(), 0f);
  }

  static CliRun predict(Path model, String... more) {
    String[] args = {"predict", "--model", model.toString(), "--input", pairs.toString()};
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return ce(all);
  }

  static void assertRefused(CliRun run, String message) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(message);
    assertThat(run.err()).doesNotContain("internal error");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void nanWeightsAreRefusedAtLoadNamingFileTensorAndIndex() throws IOException {
    Path m = model("nan", DType.F32, w -> w.get("classifier.weight").data()[5] = Float.NaN);
    CliRun run = predict(m);
    assertRefused(run, "ce predict: " + m.resolve("model.safetensors")
        + ": tensor 'classifier.weight' holds NaN at index [0, 5]; ce refuses weights that are not"
        + " finite numbers");
    // refused before the model is placed on a device
    assertThat(run.err()).doesNotContain("device");
  }

  @Test
  void halfPrecisionInfinitiesAreRefusedToo() throws IOException {
    // 70000 is finite in float32 but beyond F16's largest value, 65504: stored as F16 infinity
    Path f16 = model("f16", DType.F16, w -> w.get("bert.pooler.dense.bias").data()[3] = 70000f);
    assertRefused(predict(f16), "tensor 'bert.pooler.dense.bias' holds Infinity at index [3]");
    Path bf16 = model("bf16", DType.BF16,
        w -> w.get("bert.embeddings.LayerNorm.weight").data()[0] = Float.NEGATIVE_INFINITY);
    assertRefused(ce("rank", "--model", bf16.toString(), "--query", "q", "--documents", docs.toString()),
        "tensor 'bert.embeddings.LayerNorm.weight' holds -Infinity at index [0]");
  }

  @Test
  void anOverflowingLogitIsNotPrintedAsAScore() throws IOException {
    Path m = model("overflow", DType.F32, NonFiniteModelTest::overflow);
    String expected = "the model's logit for pair 0 (counting from 0 in input order) is Infinity,"
        + " not a finite number, so it has no score: the model's weights may be damaged";
    // the sigmoid of +Infinity is exactly 1.0, which would pass for a confident score
    assertRefused(predict(m), expected);
    assertRefused(predict(m, "--raw"), expected);
    assertRefused(ce("rank", "--model", m.toString(), "--query", "q", "--documents", docs.toString()),
        "ce rank: the model's logit for pair 0");
  }

  @Test
  void aLargeButFiniteLogitIsAScore() throws IOException {
    // the same head with weights of 1000: the logit is 32 x 1000 = 32000, its sigmoid exactly 1.0
    Path m = model("saturated", DType.F32, w -> {
      overflow(w);
      Arrays.fill(w.get("classifier.weight").data(), 1000f);
    });
    CliRun raw = predict(m, "--raw");
    assertThat(raw.status()).as(raw.err()).isEqualTo(ExitCodes.OK);
    assertThat(raw.out().lines()).containsExactly("32000.0", "32000.0");
    CliRun scores = predict(m);
    assertThat(scores.status()).as(scores.err()).isEqualTo(ExitCodes.OK);
    assertThat(scores.out().lines()).containsExactly("1.0", "1.0");
  }
}
