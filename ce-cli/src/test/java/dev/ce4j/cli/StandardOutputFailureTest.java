package dev.ce4j.cli;

import static dev.ce4j.cli.CliRun.ceWithFullDisk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.cli.CliRun.FullDisk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failed write to standard output (a full disk, a closed pipe) is an error with exit status 2
 * and one message naming the command and the reason, for every command and for the help and
 * version texts, in this JVM. The model commands are in {@code model.ModelOutputFailureTest}, the
 * real {@code /dev/full} in {@code model.DevFullTest}.
 */
class StandardOutputFailureTest {
  private static final Path RERANKING = Path.of("..", "ce-examples", "predictions", "reranking.jsonl");
  private static final Path TINY_TRAINING = Path.of("..", "ce-examples", "configs", "tiny.json");

  @TempDir Path dir;

  private Path pointwise() throws IOException {
    return Files.writeString(dir.resolve("p.jsonl"), "{\"score\": 0.25, \"label\": 1}\n{\"score\": 0.75, \"label\": 0}\n");
  }

  /** Asserts exit status 2 and exactly one line on stderr: the write failure of {@code command}. */
  static void assertWriteFailure(CliRun run, String command, String what) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err().lines().toList()).as(run.err()).containsExactly(
        command + ": cannot write " + what + " to standard output: " + FullDisk.REASON);
  }

  static Stream<Arguments> commandsThatPrint() {
    return Stream.of(
        Arguments.of(List.of("evaluators"), "ce evaluators", "the results"),
        Arguments.of(List.of("evaluators", "--json"), "ce evaluators", "the results"),
        Arguments.of(List.of("evaluate", "--evaluator", "reranking", "--predictions", RERANKING.toString()),
            "ce evaluate", "the results"),
        Arguments.of(List.of("--help"), "ce", "the help"),
        Arguments.of(List.of("--version"), "ce", "the version"),
        Arguments.of(List.of("help", "predict"), "ce help", "the help"),
        Arguments.of(List.of("predict", "--help"), "ce predict", "the help"),
        Arguments.of(List.of("train", "--help"), "ce train", "the help"),
        Arguments.of(List.of("evaluate", "-V"), "ce evaluate", "the version"));
  }

  @ParameterizedTest
  @MethodSource("commandsThatPrint")
  void aFullDiskExitsTwoNamingTheCommandAndTheReason(List<String> args, String command, String what) {
    CliRun run = ceWithFullDisk(0, args.toArray(String[]::new));
    assertThat(run.out()).isEmpty();
    assertWriteFailure(run, command, what);
  }

  @ParameterizedTest
  @MethodSource("commandsThatPrint")
  void theSameCommandsSucceedWithRoomToWrite(List<String> args) {
    CliRun run = ceWithFullDisk(1 << 20, args.toArray(String[]::new));
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isNotEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aDiskThatFillsUpHalfWayIsReportedToo() throws IOException {
    CliRun full = CliRun.ce("evaluators");
    int half = full.out().length() / 2;
    CliRun run = ceWithFullDisk(half, "evaluators");
    assertThat(run.out()).isEqualTo(full.out().substring(0, half));
    assertWriteFailure(run, "ce evaluators", "the results");
  }

  @Test
  void afterTheFirstFailureNothingMoreIsWritten() {
    FullDisk disk = new FullDisk(10);
    int status = CeCommand.run(new String[] {"evaluators"}, disk, new PrintWriter(new StringWriter()), Map.<String, String>of()::get);
    assertThat(status).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(disk.failedWrites()).isEqualTo(1);
  }

  @Test
  void aPrintWriterInErrorIsAFailureWhoseReasonIsUnknown() throws IOException {
    StringWriter err = new StringWriter();
    PrintWriter out = new PrintWriter(new FullDisk(0));
    int status = CeCommand.run(new String[] {"evaluate", "-e", "test-pointwise", "--predictions", pointwise().toString()},
        out, new PrintWriter(err), Map.<String, String>of()::get);
    assertThat(status).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(err.toString().lines().toList()).containsExactly(
        "ce evaluate: cannot write the results to standard output (the writer reported an error)");
  }

  @Test
  void debugAddsTheStackTraceOfTheFailedWrite() throws IOException {
    FullDisk disk = new FullDisk(0);
    StringWriter err = new StringWriter();
    int status = CeCommand.run(new String[] {"evaluate", "--debug", "-e", "test-pointwise", "--predictions",
        pointwise().toString()}, disk, new PrintWriter(err), Map.<String, String>of()::get);
    assertThat(status).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(err.toString()).startsWith("ce evaluate: cannot write the results to standard output: " + FullDisk.REASON)
        .contains("java.io.IOException: " + FullDisk.REASON, "\tat ");
  }

  @Test
  void aCommandThatFailedKeepsItsStatusAndItsOwnMessage() throws IOException {
    CliRun bad = ceWithFullDisk(0, "evaluate", "-e", "test-pointwise", "--predictions", dir.resolve("no.jsonl").toString());
    assertThat(bad.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(bad.err().lines().toList()).singleElement().asString().contains("file not found");

    CliRun crash = ceWithFullDisk(0, "evaluate", "-e", "test-crash", "--predictions", pointwise().toString());
    assertThat(crash.status()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(crash.err()).doesNotContain("standard output");

    CliRun usage = ceWithFullDisk(0, "evaluate", "-e", "test-pointwise", "--predictions", pointwise().toString(), "--bogus");
    assertThat(usage.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(usage.err()).contains("--bogus").doesNotContain("standard output");
  }

  @Test
  void trainAndReproduceReportALostSummary() throws IOException {
    Path run = dir.resolve("run");
    CliRun train = ceWithFullDisk(0, "train", "--config", TINY_TRAINING.toString(), "--output", run.toString());
    assertThat(train.status()).as(train.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    List<String> trainErr = train.err().lines().toList();
    assertThat(trainErr.get(trainErr.size() - 1))
        .isEqualTo("ce train: cannot write the results to standard output: " + FullDisk.REASON);
    // the run itself is complete: only its summary is lost
    assertThat(new ObjectMapper().readTree(run.resolve("run.json").toFile()).isObject()).isTrue();

    CliRun reproduce = ceWithFullDisk(0, "reproduce", run.toString(), "--work", dir.resolve("replay").toString());
    assertThat(reproduce.status()).as(reproduce.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    List<String> reproduceErr = reproduce.err().lines().toList();
    assertThat(reproduceErr.get(reproduceErr.size() - 1))
        .isEqualTo("ce reproduce: cannot write the results to standard output: " + FullDisk.REASON);
  }
}
