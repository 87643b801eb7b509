package dev.ce4j.cli;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CeCommandTest {
  @TempDir Path dir;
  private Path predictions;

  @BeforeEach
  void writePredictions() throws IOException {
    predictions = Files.writeString(dir.resolve("p.jsonl"), "{\"score\": 0.5, \"label\": 1}\n");
  }

  @Test
  void helpListsTheSubcommandsAndExitStatuses() {
    CliRun run = ce("--help");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("evaluate", "evaluators", "Exit status", "--debug");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void helpSubcommandShowsTheFormats() {
    CliRun run = ce("help", "evaluate");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("--predictions=FILE", "--param=KEY=VALUE", "query_id", "labels");
  }

  @Test
  void versionNamesTheTool() {
    CliRun run = ce("--version");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).startsWith("ce ");
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(new String[] {}, "Missing subcommand"),
        Arguments.of(new String[] {"frobnicate"}, "frobnicate"),
        Arguments.of(new String[] {"evaluators", "--bogus"}, "--bogus"),
        Arguments.of(new String[] {"evaluate", "--evaluator", "test-pointwise"}, "--predictions"),
        Arguments.of(new String[] {"evaluate", "--predictions", "x.jsonl"}, "--evaluator"),
        Arguments.of(new String[] {"evaluate", "--evaluator"}, "--evaluator"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void usageErrorsExitTwoWithAMessageAndNoStackTrace(String[] args, String fragment) {
    CliRun run = ce(args);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce").contains(fragment).contains("--help");
    assertThat(run.errHasStackTrace()).as(run.err()).isFalse();
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnexpectedFailureExitsOneWithAHintAndNoStackTrace() {
    CliRun run = ce("evaluate", "--evaluator", "test-crash", "--predictions", predictions.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err())
        .startsWith("ce evaluate: internal error: java.lang.IllegalStateException: boom in the test evaluator")
        .contains("--debug", "CE_DEBUG=1")
        .doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void debugOptionPrintsTheStackTrace() {
    CliRun run = ce("evaluate", "--debug", "--evaluator", "test-crash", "--predictions", predictions.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err()).contains("boom", "\tat dev.ce4j.cli.testing.CrashingEvaluator.evaluate");
  }

  @Test
  void debugOptionBeforeTheSubcommandAlsoWorks() {
    CliRun run = ce("--debug", "evaluate", "--evaluator", "test-crash", "--predictions", predictions.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err()).contains("\tat dev.ce4j.cli.testing.CrashingEvaluator.evaluate");
  }

  @Test
  void debugEnvironmentVariablePrintsTheStackTrace() {
    CliRun run = ce(Map.of("CE_DEBUG", "1"),
        "evaluate", "--evaluator", "test-crash", "--predictions", predictions.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err()).contains("\tat dev.ce4j.cli.testing.CrashingEvaluator.evaluate");
  }

  @Test
  void debugEnvironmentVariableSetToZeroIsOff() {
    CliRun run = ce(Map.of("CE_DEBUG", "0"),
        "evaluate", "--evaluator", "test-crash", "--predictions", predictions.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void debugAddsTheStackTraceToBadInputMessagesToo() {
    CliRun run = ce("evaluate", "--debug", "--evaluator", "nope", "--predictions", predictions.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce evaluate: unknown evaluator 'nope'").contains("\tat ");
  }
}
