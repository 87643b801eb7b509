package dev.ce4j.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.train.CrossEncoderTrainer;
import dev.ce4j.train.manifest.RunManifest;
import dev.ce4j.train.reproduce.ReproduceReport;
import dev.ce4j.train.reproduce.Reproducer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ce demo --quick} end to end twice: the real WordNet data, the real all-MiniLM-L6-v2
 * import, a few training steps of both models, the table, the report and the fingerprint; the
 * second run with the same seed must print the same fingerprints and build byte-identical data.
 * The first run's reranker is also replayed from its {@code run.json} with the {@link Reproducer}
 * (what the printed {@code ./ce reproduce} command does), which must report a match.
 */
class DemoMainTest {
  /**
   * The quick demo's reranker fingerprint, seed 42, with MKL's AVX2 kernels (no AVX-512), since
   * {@code Recipe.QUICK} took content-word negatives and the group-by-length sampler. Its AVX-512
   * value has not been recorded on an AVX-512 machine yet: there the test checks the repeat and the
   * replay only.
   */
  static final String QUICK_AVX2 = "c60390f4f3aad5e6639544de1f6015ae9aaa6f25dd14bd7d1a7a1f2766fed996";

  @TempDir Path tmp;

  /** Whether this CPU has AVX-512, as Linux reports it; empty where that cannot be read. */
  private static Optional<Boolean> avx512() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("flags")) {
          return Optional.of(line.contains(" avx512f"));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  @Test
  void quickDemoRunsEndToEndAndRepeatsItsFingerprint() throws Exception {
    Run first = demo(tmp.resolve("first"));
    assertThat(first.rc).as(first.err).isZero();
    assertThat(first.out)
        .contains("BM25 (Lucene) alone", "before fine-tuning", "fine-tuned", "MRR@10", "NDCG@10", "MAP")
        .contains("beta 1", "beta 2", "F1 micro", "F1 macro", "F1 weighted", "usage examples", "hyponym lists")
        .contains("replay:      ./ce reproduce " + tmp.resolve("first").resolve(DemoMain.RERANKER));
    assertThat(first.err).contains("[demo 1,", "reading WordNet", "importing all-MiniLM-L6-v2", "step 3/3");

    Path dir = tmp.resolve("first");
    String fingerprint = fingerprint(first.out);
    assertThat(fingerprint).matches("[0-9a-f]{64}");
    // the quick demo's reranker as recorded: the bits depend on MKL's kernels (AVX2 here)
    if (avx512().equals(Optional.of(false))) {
      assertThat(fingerprint).as("the quick demo's recorded fingerprint").isEqualTo(QUICK_AVX2);
    }
    RunManifest manifest = RunManifest.read(dir.resolve(DemoMain.RERANKER).resolve(RunManifest.FILE_NAME));
    assertThat(manifest.finalFingerprint()).isEqualTo(fingerprint);
    assertThat(dir.resolve(DemoMain.RERANKER).resolve(CrossEncoderTrainer.FINAL_MODEL).resolve("model.safetensors")).isRegularFile();
    assertThat(dir.resolve(DemoMain.RERANKER).resolve(CrossEncoderTrainer.FINAL_MODEL).resolve("config.json")).isRegularFile();
    assertThat(dir.resolve(DemoMain.RERANKER).resolve("metrics.csv")).isRegularFile();
    assertThat(Files.readString(dir.resolve(DemoMain.TEST_METRICS)))
        .startsWith("evaluation,evaluator,metric,value\n")
        .contains("bm25,reranking,mrr@10,", "after,reranking,ndcg@10,", "binary-f2,binary-classification,fbeta,",
            "multilabel,multilabel-classification,f1_weighted,");
    String html = Files.readString(dir.resolve(DemoMain.REPORT));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "<polyline", "MRR@10", fingerprint,
            "dev MRR@10 against wall time", "Score histogram", "relevant share", "BM25, top 3", "✓")
        .doesNotContain("<script", "src=\"http", "href=\"http", "<link", "@import");

    // the printed replay command: retrain from run.json alone and compare fingerprint by fingerprint
    ReproduceReport replay = Reproducer.reproduce(
        dir.resolve(DemoMain.RERANKER), tmp.resolve("replay"), new PrintStream(OutputStream.nullOutputStream()));
    assertThat(replay.dataChanges()).isEmpty();
    assertThat(replay.divergence()).isNull();
    assertThat(replay.metricsMatch()).isTrue();
    assertThat(replay.checkpointsCompared()).isEqualTo(manifest.checkpoints().size()).isPositive();
    assertThat(replay.matches()).isTrue();

    Run second = demo(tmp.resolve("second"));
    assertThat(second.rc).as(second.err).isZero();
    assertThat(fingerprint(second.out)).isEqualTo(fingerprint);
    assertThat(second.out).contains(relationsLine(first.out));
    for (String f : new String[] {"rerank-train.jsonl", "rerank-test.jsonl", "binary-test.jsonl", "relations-test.jsonl",
        "generalization-examples.jsonl", "generalization-word-lists.jsonl"}) {
      assertThat(Files.mismatch(dir.resolve("data").resolve(f), tmp.resolve("second").resolve("data").resolve(f)))
          .as(f).isEqualTo(-1L);
    }
  }

  @Test
  void refusesAForeignNonEmptyFolder() throws Exception {
    Path dir = tmp.resolve("foreign");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("keep.txt"), "not the demo's");
    Run run = demo(dir);
    assertThat(run.rc).isEqualTo(2);
    assertThat(run.err).contains("not empty and was not written by ce demo");
    assertThat(dir.resolve("keep.txt")).exists();
  }

  private record Run(int rc, String out, String err) {}

  private static Run demo(Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = DemoMain.run(new String[] {"--quick", "--seed", "42", "--output", dir.toString()}, o, e);
    }
    return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String fingerprint(String out) {
    for (String line : out.split("\n")) {
      if (line.startsWith("fingerprint: ") && line.endsWith("(reranker)")) {
        return line.substring("fingerprint: ".length(), "fingerprint: ".length() + 64);
      }
    }
    throw new AssertionError("no reranker fingerprint in:\n" + out);
  }

  private static String relationsLine(String out) {
    for (String line : out.split("\n")) {
      if (line.endsWith("(multi-label relations model)")) {
        return line;
      }
    }
    throw new AssertionError("no relations fingerprint in:\n" + out);
  }
}
