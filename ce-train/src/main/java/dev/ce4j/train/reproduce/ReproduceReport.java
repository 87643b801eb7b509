package dev.ce4j.train.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of replaying a recorded run.
 *
 * @param runDirectory the recorded run's output folder, never null
 * @param replayDirectory where the replay trained, never null
 * @param checkpointsCompared how many recorded checkpoint fingerprints were compared
 * @param divergence the first point where the replay differs, or null when it matches
 * @param dataChanges data files whose SHA-256 differs from the recorded one (one line each), never
 *     null
 * @param metricsMatch whether the replay's metric log equals the recorded one
 * @param environmentChanges what differs now from the recorded environment in ways that change the
 *     bits of results (libtorch version, MKL kernel choice), one line each, never null
 */
public record ReproduceReport(
    Path runDirectory,
    Path replayDirectory,
    int checkpointsCompared,
    Divergence divergence,
    List<String> dataChanges,
    boolean metricsMatch,
    List<String> environmentChanges) {
  /** Validates and copies. */
  public ReproduceReport {
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(replayDirectory, "replayDirectory");
    dataChanges = List.copyOf(dataChanges);
    environmentChanges = List.copyOf(environmentChanges);
  }

  /**
   * Whether the replay reproduced every recorded fingerprint and the metric log.
   *
   * @return true on a bitwise match
   */
  public boolean matches() {
    return divergence == null && metricsMatch;
  }

  /**
   * The report as lines of text, as {@code ce reproduce} prints it: data and environment changes,
   * the checkpoint comparison or the first divergence, the metric log, and {@code MATCH} or {@code
   * NO MATCH} last.
   *
   * @return the lines, never null
   */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (String change : dataChanges) {
      out.add("data changed: " + change);
    }
    for (String change : environmentChanges) {
      out.add("environment changed: " + change);
    }
    if (divergence == null) {
      out.add(
          "checkpoints: "
              + checkpointsCompared
              + " compared, all identical; final fingerprint identical");
    } else {
      out.add(
          "DIVERGED at "
              + divergence.what()
              + " step "
              + divergence.step()
              + ": recorded "
              + divergence.expected()
              + ", replayed "
              + divergence.actual());
    }
    out.add("metrics: " + (metricsMatch ? "identical" : "differ"));
    out.add(matches() ? "MATCH" : "NO MATCH");
    return out;
  }

  /**
   * Where a replay first differs from the record.
   *
   * @param step the step of the first differing fingerprint ({@code -1} for the final model when
   *     the steps differ in number)
   * @param what {@code checkpoint} or {@code final}, never null
   * @param expected the recorded fingerprint, or null if the record has none at this point
   * @param actual the replayed fingerprint, or null if the replay has none at this point
   */
  public record Divergence(long step, String what, String expected, String actual) {
    /** Validates. */
    public Divergence {
      Objects.requireNonNull(what, "what");
    }
  }
}
