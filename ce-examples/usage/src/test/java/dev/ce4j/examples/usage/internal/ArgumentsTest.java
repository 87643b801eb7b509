package dev.ce4j.examples.usage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentsTest {
  private static final List<String> KNOWN = List.of("--model", "--seed");

  @Test
  void readsBothSpellingsAndTreatsAnEmptyPathAsAbsent() {
    Arguments a = Arguments.parse(new String[] {"--model=", "--seed", "7"}, "usage", KNOWN);
    assertThat(a.path("--model")).isNull();
    assertThat(a.number("--seed", 42, 0)).isEqualTo(7);
    Arguments b = Arguments.parse(new String[] {"--model=m", "--seed=-3"}, "usage", KNOWN);
    assertThat(b.path("--model")).isEqualTo(Path.of("m").toAbsolutePath().normalize());
    assertThat(b.number("--seed", 42, Long.MIN_VALUE)).isEqualTo(-3);
    assertThat(Arguments.parse(new String[0], "usage", KNOWN).number("--seed", 42, 0)).isEqualTo(42);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--bogus 1     | unknown argument '--bogus'",
      "--seed        | --seed needs a value",
      "--seed 1 --seed 2 | --seed is given twice",
      "--seed x      | --seed needs a whole number, got 'x'",
      "--seed -1     | --seed must be at least 0, got -1"})
  void rejectsBadArgumentsQuotingThemAndTheUsage(String line, String message) {
    assertThatThrownBy(() -> Arguments.parse(line.strip().split(" "), "Example [--seed N]", KNOWN).number("--seed", 0, 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("usage: Example [--seed N]");
  }
}
