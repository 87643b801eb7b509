package dev.ce4j.cli.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line on a fake clock: silent for short runs, at most one line per interval, a last line. */
class ProgressLineTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aRunShorterThanTheIntervalPrintsNothing() {
    StringWriter err = new StringWriter();
    AtomicLong clock = new AtomicLong();
    ProgressLine p = new ProgressLine(new PrintWriter(err), "ce predict", clock::get);
    clock.set(9 * SECOND);
    p.onProgress(50, 100);
    p.onProgress(100, 100);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aLongRunPrintsOneLinePerIntervalAndALastLine() {
    StringWriter err = new StringWriter();
    AtomicLong clock = new AtomicLong();
    ProgressLine p = new ProgressLine(new PrintWriter(err), "ce predict", clock::get);
    clock.set(10 * SECOND);
    p.onProgress(1_000, 4_000); // 100 pairs/s, 30 s left
    clock.set(15 * SECOND);
    p.onProgress(1_500, 4_000); // within the interval: nothing
    clock.set(40 * SECOND);
    p.onProgress(4_000, 4_000);
    assertThat(err.toString().lines()).containsExactly(
        "ce predict: scored 1,000 of 4,000 pairs (25%), 100 pairs/s, about 30 s left",
        "ce predict: scored 4,000 of 4,000 pairs (100%), 100 pairs/s, done");
  }
}
