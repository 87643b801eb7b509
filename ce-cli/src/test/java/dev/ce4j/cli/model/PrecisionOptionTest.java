package dev.ce4j.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.CrossEncoderOptions.Precision;
import dev.ce4j.core.engine.CpuFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision} of {@code ce predict} and {@code ce rank}: int8 scores are the API's int8
 * scores and close to float32's, the line on standard error names the pass, and an unknown format
 * or one this CPU cannot run is exit status 2 with the reason.
 */
class PrecisionOptionTest {
  @TempDir static Path shared;

  static Path model;
  static Path input;

  @BeforeAll
  static void setUp() throws IOException {
    model = TinyModels.folder(shared.resolve("model"), 1, 21);
    StringBuilder text = new StringBuilder();
    for (TextPair p : PredictCommandTest.PAIRS) {
      text.append("[\"").append(p.query().replace("\"", "\\\"")).append("\", \"")
          .append(p.document().replace("\"", "\\\"")).append("\"]\n");
    }
    input = Files.writeString(shared.resolve("pairs.jsonl"), text.toString());
  }

  private static double[] api(Precision precision) {
    try (CrossEncoder encoder =
        CrossEncoder.load(model, CrossEncoderOptions.defaults().withDevice("cpu").withPrecision(precision))) {
      return java.util.Arrays.stream(encoder.predict(PredictCommandTest.PAIRS, CrossEncoder.DEFAULT_BATCH_SIZE, false))
          .mapToDouble(r -> r[0]).toArray();
    }
  }

  @Test
  void predictInInt8PrintsTheApisInt8LogitsCloseToFloat32s() {
    CliRun run = PredictCommandTest.predict(model, input, "--raw", "--precision", "INT8", "--device", "cpu");
    List<String> lines = PredictCommandTest.lines(run);
    assertThat(run.err()).contains("ce predict: precision int8 (scoring pass torchscript_int8)");
    double[] int8 = api(Precision.INT8);
    double[] fp32 = api(Precision.FP32);
    assertThat(lines).hasSize(int8.length);
    for (int i = 0; i < lines.size(); i++) {
      double printed = Double.parseDouble(lines.get(i));
      assertThat(printed).as("pair %d", i).isEqualTo(int8[i]);
      // the tiny model's logits are of order 1; int8 moves them by a few hundredths
      assertThat(printed).as("pair %d", i).isCloseTo(fp32[i], within(0.1));
    }
  }

  @Test
  void theDefaultIsFp32AndSaysNothingMore() {
    CliRun run = PredictCommandTest.predict(model, input, "--raw", "--device", "cpu");
    double[] fp32 = api(Precision.FP32);
    List<String> lines = PredictCommandTest.lines(run);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(Double.parseDouble(lines.get(i))).isEqualTo(fp32[i]);
    }
    assertThat(run.err()).doesNotContain("precision");
  }

  @Test
  void rankInInt8OrdersByTheInt8Scores() throws IOException {
    Path docs = Files.writeString(shared.resolve("docs.txt"),
        "paris is the capital of france\nberlin\nthe eiffel tower is in paris\nbananas are yellow\n");
    CliRun run = ce("rank", "--model", model.toString(), "--query", "capital of france", "--documents",
        docs.toString(), "--precision", "int8", "--device", "cpu");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).contains("ce rank: precision int8");
    List<JsonNode> rows = run.out().lines().map(PrecisionOptionTest::json).toList();
    assertThat(rows).hasSize(4);
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).get("score").doubleValue()).isLessThanOrEqualTo(rows.get(i - 1).get("score").doubleValue());
    }
  }

  @Test
  void anUnknownFormatIsBadUsage() {
    CliRun run = PredictCommandTest.predict(model, input, "--precision", "fp16");
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("unknown precision 'fp16'; known: fp32, int8, bf16");
  }

  @Test
  void bf16IsRefusedWithTheReasonOnACpuWithoutAvx512Bf16() {
    CliRun run = PredictCommandTest.predict(model, input, "--precision", "bf16", "--device", "cpu");
    if (CpuFeatures.has("avx512_bf16")) {
      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
      assertThat(run.err()).contains("precision bf16 (scoring pass torchscript_bf16)");
    } else {
      assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(run.err()).contains("bf16 scoring needs a CPU with avx512_bf16");
    }
  }

  private static CliRun ce(String... args) {
    return CliRun.ce(args);
  }

  private static JsonNode json(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
