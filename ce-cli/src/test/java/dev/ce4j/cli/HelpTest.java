package dev.ce4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every help text of {@code ce} reads whole words and sentences at 80 columns. */
class HelpTest {

  /** Every command path: {@code []} for the root, {@code [predict]} and so on. */
  static Stream<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    all.add(List.of());
    for (String name : root(80).getSubcommands().keySet()) {
      all.add(List.of(name));
    }
    return all.stream();
  }

  private static CommandLine root(int width) {
    CommandLine cl = CeCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Map.<String, String>of()::get);
    cl.setUsageHelpWidth(width);
    return cl;
  }

  private static String usage(List<String> path, int width) {
    CommandLine cl = root(width);
    for (String name : path) {
      cl = cl.getSubcommands().get(name);
    }
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void noLineIsWiderThan80Columns(List<String> path) {
    for (String line : usage(path, 80).lines().toList()) {
      assertThat(line.length()).as("'%s' in the help of %s", line, path).isLessThanOrEqualTo(80);
    }
  }

  /**
   * Wrapping at 80 columns splits no word: the words are those of the same help 1000 columns
   * wide, where nothing wraps. (picocli alone breaks "tokenizer.json" after its dot.)
   */
  @ParameterizedTest
  @MethodSource("commands")
  void wrappingSplitsNoWord(List<String> path) {
    List<String> narrow = Arrays.asList(usage(path, 80).strip().split("\\s+"));
    List<String> wide = Arrays.asList(usage(path, 1000).strip().split("\\s+"));
    assertThat(narrow).isEqualTo(wide);
  }

  @Test
  void theCommandListShowsTheFirstSentenceOfEachDescription() {
    String help = CliRun.ce("--help").out();
    assertThat(help)
        .contains("  train          Train a cross-encoder from a JSON config, reproducibly: the\n"
            + "                 same config, seed and thread count give bitwise-identical\n"
            + "                 weights.\n")
        .contains("  reproduce      Retrain a recorded run from its run.json and compare every\n"
            + "                 checkpoint fingerprint, the final fingerprint and the metric\n"
            + "                 log.\n");
    String commands = help.substring(help.indexOf("Commands:"), help.indexOf("Exit status:"));
    // each command's summary is whole sentences: it ends with a full stop
    for (String entry : commands.split("\n  (?=\\S)")) {
      if (!entry.startsWith("Commands:")) {
        assertThat(entry.strip()).as(entry).endsWith(".");
      }
    }
  }

  @Test
  void theRootHelpListsEveryExitStatus() {
    String help = CliRun.ce("--help").out();
    String statuses = help.substring(help.indexOf("Exit status:"));
    assertThat(statuses.lines().filter(l -> l.matches("  \\d  .*")).map(l -> l.substring(2, 3)))
        .containsExactly("0", "1", "2", "3");
    assertThat(statuses).contains("3  ce reproduce only: the replay differs from the recorded run.")
        .contains("standard output\n     that cannot be written");
  }

  @Test
  void aHardWrappedDescriptionIsOneParagraph() {
    String help = CliRun.ce("train", "--help").out();
    assertThat(help).contains("Train a cross-encoder from a JSON config, reproducibly: the same config, seed\n"
        + "and thread count give bitwise-identical weights.");
  }

  @Test
  void examplesInADescriptionKeepTheirLines() {
    String help = CliRun.ce("evaluate", "--help").out();
    assertThat(help).contains("\n  pointwise   {\"score\": 0.73, \"label\": 1}\n"
        + "  multiclass  {\"scores\": [0.1, 2.3, -1.0], \"label\": 1}\n");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void versionIsTheSameForEveryCommand(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--version");
    if (path.equals(List.of("help"))) {
      return; // 'ce help --version' is 'ce help' for a command named --version
    }
    CliRun run = CliRun.ce(args.toArray(String[]::new));
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEqualTo(CliRun.ce("--version").out()).startsWith("ce ");
  }
}
