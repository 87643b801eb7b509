package dev.ce4j.train.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void printsStepLossRateAndEta() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    ProgressReporter r = new ProgressReporter(new PrintStream(buf, true, StandardCharsets.UTF_8), 1000, 100, clock::get);
    assertThat(r.report(100, 1.0, Double.NaN, Double.NaN)).isEqualTo("step 100/1000 (10.0%) | epoch 1.00 | ETA ?");
    clock.addAndGet(10_000_000_000L); // 10 s for 20 steps: 2 steps/s, 880 steps left = 440 s
    String line = r.report(120, 1.2, 0.6931471805599453, 4.5e-5);
    assertThat(line).isEqualTo("step 120/1000 (12.0%) | epoch 1.20 | loss 0.693147 | lr 4.50e-05 | 2.00 steps/s | ETA 7m20s");
    clock.addAndGet(190_000_000_000L); // 200 s for 21 steps: slower than one per second
    assertThat(r.report(121, Double.NaN, 0.5, Double.NaN)).endsWith("| 9.52 s/step | ETA 2h19m");
    r.message("eval: ndcg@10 = 0.5");
    assertThat(buf.toString(StandardCharsets.UTF_8).split("\n")).hasSize(4);
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "59.4, 59s", "60, 1m00s", "257, 4m17s", "3599, 59m59s", "3600, 1h00m", "7530, 2h05m", "NaN, ?", "-1, ?", "Infinity, ?"})
  void formatsDurations(double seconds, String expected) {
    assertThat(ProgressReporter.formatDuration(seconds)).isEqualTo(expected);
  }
}
