package dev.ce4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.train.config.TrainingArguments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refactorings must not change a bit: {@code ce-examples/configs/tiny.json} trains to the
 * fingerprint it had before BERT moved onto the architecture seam. Fingerprints depend on the
 * CPU's MKL kernels, so the pin is per kind of CPU: the value recorded for CPUs without AVX-512
 * (MKL's AVX2 kernels); on a CPU with AVX-512 none was recorded yet, and the test says so instead of
 * passing. Recorded with libtorch 2.7.1 and DJL 0.36 on 1 thread.
 */
class PinnedFingerprintsTest {
  /** tiny.json's final fingerprint with MKL's AVX2 kernels (an AMD EPYC without AVX-512). */
  static final String TINY_AVX2 = "6455a037e5e898360f5b2cd7f25b92a2f9b56bc518e3ef7a23c1caa763a2a374";

  @TempDir Path dir;

  /** Whether this CPU has AVX-512, as Linux reports it; empty where that cannot be read. */
  static Optional<Boolean> hasAvx512() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
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
  void tinyTrainsToItsRecordedFingerprint() {
    Optional<Boolean> avx512 = hasAvx512();
    assumeTrue(avx512.isPresent(), "the CPU's instruction sets cannot be read here");
    assumeTrue(!avx512.get(), "no fingerprint of tiny.json was recorded for MKL's AVX-512 kernels yet");
    TrainingResult r;
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(TrainingArguments.read(ChildJvm.TINY), dir.resolve("run"))
        .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build()) {
      r = t.train();
    }
    assertThat(r.fingerprint()).isEqualTo(TINY_AVX2);
  }
}
