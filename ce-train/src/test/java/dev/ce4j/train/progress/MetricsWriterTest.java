package dev.ce4j.train.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.train.manifest.MetricsRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {
  @TempDir Path dir;

  private static MetricsRecord rec(long step, double epoch, Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return new MetricsRecord(step, epoch, m);
  }

  @Test
  void writesCsvAndJsonLinesAfterEachEvaluation() throws Exception {
    MetricsWriter w = MetricsWriter.create(dir, List.of());
    assertThat(Files.readString(dir.resolve(MetricsWriter.CSV))).isEqualTo("step,epoch\n");
    assertThat(Files.readString(dir.resolve(MetricsWriter.JSONL))).isEmpty();
    w.append(rec(10, 0.5, "dev/ndcg@10", 0.75, "dev/map", Double.NaN));
    w.append(rec(20, 1.0, "dev/ndcg@10", 0.8, "loss,odd", 0.125));
    assertThat(Files.readString(dir.resolve(MetricsWriter.CSV))).isEqualTo(
        "step,epoch,dev/ndcg@10,dev/map,\"loss,odd\"\n"
            + "10,0.5,0.75,NaN,\n"
            + "20,1.0,0.8,,0.125\n");
    assertThat(Files.readString(dir.resolve(MetricsWriter.JSONL))).isEqualTo(
        "{\"step\":10,\"epoch\":0.5,\"values\":{\"dev/ndcg@10\":0.75,\"dev/map\":null}}\n"
            + "{\"step\":20,\"epoch\":1.0,\"values\":{\"dev/ndcg@10\":0.8,\"loss,odd\":0.125}}\n");
    List<MetricsRecord> back = MetricsWriter.readJsonLines(dir.resolve(MetricsWriter.JSONL));
    assertThat(back).hasSize(2);
    assertThat(back.get(0).values().get("dev/map")).isNaN();
    assertThat(back.get(1)).isEqualTo(w.records().get(1));
  }

  @Test
  void aResumedRunRewritesTheFilesFromItsCheckpoint() throws Exception {
    MetricsWriter first = MetricsWriter.create(dir, List.of());
    first.append(rec(10, 0.5, "m", 0.1));
    first.append(rec(20, 1.0, "m", 0.2));
    first.append(rec(30, 1.5, "m", 0.3));
    String uninterrupted = Files.readString(dir.resolve(MetricsWriter.CSV));
    // resumed from the checkpoint at step 20: its records, then the evaluations that follow
    MetricsWriter resumed = MetricsWriter.create(dir, List.of(rec(10, 0.5, "m", 0.1), rec(20, 1.0, "m", 0.2)));
    assertThat(Files.readString(dir.resolve(MetricsWriter.CSV))).doesNotContain("30,");
    resumed.append(rec(30, 1.5, "m", 0.3));
    assertThat(Files.readString(dir.resolve(MetricsWriter.CSV))).isEqualTo(uninterrupted);
  }
}
