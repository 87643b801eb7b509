package dev.ce4j.train.internal;

import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.manifest.DataFileDigest;
import dev.ce4j.train.manifest.RunManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What stands between a checkpoint and a resumed run: the differences in configuration, data
 * files, thread count and device that would make the resumed run differ from the uninterrupted
 * one. Stateless and thread-safe.
 */
public final class ResumeCheck {
  private ResumeCheck() {}

  /**
   * The differences between the run a checkpoint belongs to and the run about to resume it.
   *
   * @param recorded the checkpoint's manifest, never null
   * @param args the arguments of the resuming run, never null
   * @param dataFiles the digests of the resuming run's data files, never null
   * @param threads the resuming run's thread count
   * @param device the resuming run's device name, never null
   * @return one line per difference, the checkpoint's value first; empty when it may resume
   */
  public static List<String> differences(
      RunManifest recorded, TrainingArguments args, List<DataFileDigest> dataFiles, int threads, String device) {
    Objects.requireNonNull(recorded, "recorded");
    List<String> out = new ArrayList<>();
    for (String d : recorded.arguments().differences(args)) {
      out.add("config: " + d);
    }
    Map<String, DataFileDigest> before = byRole(recorded.dataFiles());
    Map<String, DataFileDigest> now = byRole(dataFiles);
    for (Map.Entry<String, DataFileDigest> e : before.entrySet()) {
      DataFileDigest n = now.get(e.getKey());
      if (n == null) {
        out.add("data file " + e.getKey() + " " + e.getValue().path() + " is no longer used");
      } else if (!n.sha256().equals(e.getValue().sha256())) {
        out.add("data file " + e.getKey() + " " + n.path() + " changed: SHA-256 " + e.getValue().sha256()
            + " then, " + n.sha256() + " now");
      }
    }
    for (String role : now.keySet()) {
      if (!before.containsKey(role)) {
        out.add("data file " + role + " " + now.get(role).path() + " is new");
      }
    }
    if (recorded.environment().threads() != threads) {
      out.add("thread count differs: " + recorded.environment().threads() + " then, " + threads
          + " now (set numThreads or -D" + EngineSetup.THREADS_PROPERTY + ")");
    }
    if (!recorded.environment().device().equals(device)) {
      out.add("device differs: " + recorded.environment().device() + " then, " + device + " now");
    }
    out.addAll(EnvironmentCheck.kernelDifferences(recorded.environment()));
    return out;
  }

  private static Map<String, DataFileDigest> byRole(List<DataFileDigest> list) {
    Map<String, DataFileDigest> m = new LinkedHashMap<>();
    for (DataFileDigest d : list) {
      String key = d.role();
      int i = 2;
      while (m.containsKey(key)) {
        key = d.role() + "#" + i++;
      }
      m.put(key, d);
    }
    return m;
  }
}
