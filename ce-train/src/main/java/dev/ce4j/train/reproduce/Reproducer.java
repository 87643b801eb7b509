package dev.ce4j.train.reproduce;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.EnvironmentCheck;
import dev.ce4j.train.manifest.CheckpointFingerprint;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.MetricsRecord;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.data.DataFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Replays a recorded training run from its manifest and compares the outcome, fingerprint by
 * fingerprint: what {@code ce reproduce RUN_DIR} does.
 *
 * <p>The replay trains the manifest's arguments into a fresh folder with the recorded thread count
 * (so a run recorded with {@code numThreads} 0 is replayed with the count it used). The recorded
 * checkpoint fingerprints are compared in step order with the replay's, then the final
 * fingerprint, then the metric log; the first difference is the point of divergence. Data files
 * whose SHA-256 differs from the record are listed (they usually explain a divergence). Not
 * thread-safe; trains on the engine's process-global generators.
 */
public final class Reproducer {
  private Reproducer() {}

  /**
   * Replays a run.
   *
   * @param runDirectory the recorded run's output folder (holding {@code run.json}), never null
   * @param replayDirectory an empty or missing folder to train into, never null
   * @param progress where progress lines go, never null
   * @return the report, never null
   * @throws InvalidInputException if the manifest is missing or malformed, or the replay folder
   *     is not empty
   */
  public static ReproduceReport reproduce(Path runDirectory, Path replayDirectory, PrintStream progress) {
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(replayDirectory, "replayDirectory");
    RunManifest recorded = RunManifest.read(runDirectory.resolve(RunManifest.FILE_NAME));
    List<String> dataChanges = new ArrayList<>();
    for (DataFileDigest d : recorded.dataFiles()) {
      Path p = Path.of(d.path());
      if (!Files.isRegularFile(p)) {
        dataChanges.add(d.role() + " " + d.path() + " is missing");
      } else {
        String now = DataFiles.sha256(p);
        if (!now.equals(d.sha256())) {
          dataChanges.add(d.role() + " " + d.path() + " changed: SHA-256 " + d.sha256() + " recorded, " + now + " now");
        }
      }
    }
    List<String> environmentChanges = EnvironmentCheck.kernelDifferences(recorded.environment());
    TrainingArguments args =
        recorded.arguments().toBuilder().optNumThreads(recorded.environment().threads()).build();
    TrainingResult result;
    try (CrossEncoderTrainer trainer = CrossEncoderTrainer.builder(args, replayDirectory).progress(progress).build()) {
      result = trainer.train();
    }
    RunManifest replay = RunManifest.read(replayDirectory.resolve(RunManifest.FILE_NAME));
    Map<Long, String> mine = new TreeMap<>();
    for (CheckpointFingerprint c : replay.checkpoints()) {
      mine.put(c.step(), c.fingerprint());
    }
    ReproduceReport.Divergence divergence = null;
    int compared = 0;
    for (CheckpointFingerprint c : recorded.checkpoints()) {
      compared++;
      String actual = mine.get(c.step());
      if (!c.fingerprint().equals(actual)) {
        divergence = new ReproduceReport.Divergence(c.step(), "checkpoint", c.fingerprint(), actual);
        break;
      }
    }
    if (divergence == null && !Objects.equals(recorded.finalFingerprint(), result.fingerprint())) {
      divergence = new ReproduceReport.Divergence(result.steps(), "final", recorded.finalFingerprint(), result.fingerprint());
    }
    boolean metricsMatch = sameMetrics(recorded.metrics(), replay.metrics());
    return new ReproduceReport(runDirectory, replayDirectory, compared, divergence, dataChanges, metricsMatch, environmentChanges);
  }

  private static boolean sameMetrics(List<MetricsRecord> a, List<MetricsRecord> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      MetricsRecord x = a.get(i);
      MetricsRecord y = b.get(i);
      if (x.step() != y.step() || Double.compare(x.epoch(), y.epoch()) != 0 || !x.values().keySet().equals(y.values().keySet())) {
        return false;
      }
      for (Map.Entry<String, Double> e : x.values().entrySet()) {
        if (Double.compare(e.getValue(), y.values().get(e.getKey())) != 0) {
          return false;
        }
      }
      // manifests written before per-label arrays were logged hold none: only recorded ones are compared
      Map<String, double[]> recordedArrays = x.perLabel();
      Map<String, double[]> replayedArrays = y.perLabel();
      for (Map.Entry<String, double[]> e : recordedArrays.entrySet()) {
        if (!java.util.Arrays.equals(e.getValue(), replayedArrays.get(e.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }
}
