package dev.ce4j.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LrSchedules} against transformers' lr lambdas, copied verbatim into
 * src/test/python/train_golden.py (golden/schedules.json).
 */
class LrSchedulesTest {
  static JsonNode golden() throws IOException {
    try (InputStream in = LrSchedulesTest.class.getResourceAsStream("/golden/schedules.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  static Stream<JsonNode> scheduleCases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    golden().get("schedules").forEach(out::add);
    return out.stream();
  }

  static Stream<JsonNode> warmupCases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    golden().get("warmup_steps").forEach(out::add);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scheduleCases")
  void matchesTransformers(JsonNode c) {
    LrSchedule s =
        ScheduleType.fromId(c.get("type").asText())
            .create(c.get("warmup").asLong(), c.get("total").asLong());
    for (int i = 0; i < c.get("steps").size(); i++) {
      long step = c.get("steps").get(i).asLong();
      double expected = c.get("multipliers").get(i).asDouble();
      // the same double operations as Python; cos may differ from glibc's in the last bit
      assertThat(s.multiplier(step)).as("step %d", step).isCloseTo(expected, within(1e-15));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warmupCases")
  void warmupStepsMatchTransformers(JsonNode c) {
    assertThat(
            LrSchedules.warmupSteps(
                c.get("warmup_steps").asLong(),
                c.get("warmup_ratio").asDouble(),
                c.get("total").asLong()))
        .isEqualTo(c.get("result").asLong());
  }

  @Test
  void handWorked() {
    // warmup 4 of 12: 0, 1/4, 2/4, 3/4, then linear (12 - s) / 8; cosine 0.5 (1 + cos(pi p))
    LrSchedule linear = LrSchedules.linearWithWarmup(4, 12);
    assertThat(linear.multiplier(0)).isZero();
    assertThat(linear.multiplier(2)).isEqualTo(0.5);
    assertThat(linear.multiplier(4)).isEqualTo(1.0);
    assertThat(linear.multiplier(8)).isEqualTo(0.5);
    assertThat(linear.multiplier(12)).isZero();
    assertThat(linear.multiplier(20)).isZero();
    LrSchedule cosine = LrSchedules.cosineWithWarmup(4, 12);
    assertThat(cosine.multiplier(8)).isCloseTo(0.5, within(1e-15));
    assertThat(cosine.multiplier(6)).isCloseTo(0.5 * (1 + Math.sqrt(0.5)), within(1e-15));
    assertThat(LrSchedules.constantWithWarmup(4).multiplier(3)).isEqualTo(0.75);
    assertThat(LrSchedules.constant().multiplier(0)).isEqualTo(1.0);
    // 0.07 * 100 = 7.000000000000001 in doubles, so transformers warms up for 8 steps
    assertThat(LrSchedules.warmupSteps(0, 0.07, 100)).isEqualTo(8);
  }

  @Test
  void namesAreTransformers() {
    assertThat(ScheduleType.fromId("linear")).isEqualTo(ScheduleType.LINEAR);
    assertThat(ScheduleType.fromId("COSINE")).isEqualTo(ScheduleType.COSINE);
    assertThat(ScheduleType.fromId("constant_with_warmup"))
        .isEqualTo(ScheduleType.CONSTANT_WITH_WARMUP);
    assertThatThrownBy(() -> ScheduleType.fromId("polynomial"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'polynomial'")
        .hasMessageContaining("cosine");
  }

  @ParameterizedTest
  @CsvSource({"-1,0.0,10", "0,-0.1,10", "0,1.5,10", "0,NaN,10", "0,0.1,-1"})
  void rejectsInvalidWarmup(long steps, double ratio, long total) {
    assertThatThrownBy(() -> LrSchedules.warmupSteps(steps, ratio, total))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNegativeStep() {
    assertThatThrownBy(() -> LrSchedules.linearWithWarmup(1, 10).multiplier(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
