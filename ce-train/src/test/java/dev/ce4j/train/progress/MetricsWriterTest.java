package dev.ce4j.train.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
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
  void countsAreIntegersAndPerLabelArraysGoToJsonLinesOnly() throws Exception {
    MetricsWriter w = MetricsWriter.create(dir, List.of(),
        key -> key.equals("dev/queries") || key.equals("dev/support_per_label"));
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("dev/f1_macro", 0.5);
    values.put("dev/queries", 19.0);
    values.put("dev/ratio", 2.0); // a whole number, but not a count
    Map<String, double[]> perLabel = new LinkedHashMap<>();
    perLabel.put("dev/f1_per_label", new double[] {1.0, Double.NaN, 0.25});
    perLabel.put("dev/support_per_label", new double[] {3, 0, 1});
    w.append(new MetricsRecord(4, 1.0, values, perLabel));
    assertThat(Files.readString(dir.resolve(MetricsWriter.CSV))).isEqualTo(
        "step,epoch,dev/f1_macro,dev/queries,dev/ratio\n"
            + "4,1.0,0.5,19,2.0\n");
    assertThat(Files.readString(dir.resolve(MetricsWriter.JSONL))).isEqualTo(
        "{\"step\":4,\"epoch\":1.0,\"values\":{\"dev/f1_macro\":0.5,\"dev/queries\":19,\"dev/ratio\":2.0},"
            + "\"perLabel\":{\"dev/f1_per_label\":[1.0,null,0.25],\"dev/support_per_label\":[3,0,1]}}\n");
    List<MetricsRecord> back = MetricsWriter.readJsonLines(dir.resolve(MetricsWriter.JSONL));
    assertThat(back).containsExactly(w.records().get(0));
    assertThat(back.get(0).perLabel().get("dev/f1_per_label")).containsExactly(1.0, Double.NaN, 0.25);
  }

  @Test
  void wholeNumbersAreThoseExactAsLongs() {
    assertThat(MetricsWriter.isWholeNumber(19.0)).isTrue();
    assertThat(MetricsWriter.isWholeNumber(-0.0)).isTrue();
    assertThat(MetricsWriter.isWholeNumber(19.5)).isFalse();
    assertThat(MetricsWriter.isWholeNumber(Double.NaN)).isFalse();
    assertThat(MetricsWriter.isWholeNumber(0x1p53)).isFalse();
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

  @Test
  void aDamagedMetricsFileIsNamedByItsLine() throws Exception {
    Path file = Files.writeString(dir.resolve(MetricsWriter.JSONL),
        "{\"step\":10,\"epoch\":0.5,\"values\":{}}\n\n{\"step\":20,\"epoch\":1.0}\n{\"step\":30,");
    assertThatThrownBy(() -> MetricsWriter.readJsonLines(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(file + ", line 3: malformed metrics record");
    Files.writeString(file, "{\"step\":10,\"epoch\":0.5,\"values\":{}}\n{\"step\":30,");
    assertThatThrownBy(() -> MetricsWriter.readJsonLines(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ", line 2, column 12: malformed JSON: Unexpected end-of-input");
  }
}
