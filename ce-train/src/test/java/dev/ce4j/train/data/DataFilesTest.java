package dev.ce4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.train.config.DataFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DataFilesTest {
  @TempDir Path dir;

  @Test
  void sha256OfKnownContent() throws Exception {
    Path f = dir.resolve("abc.txt");
    Files.writeString(f, "abc");
    // FIPS 180-2 test vector
    assertThat(DataFiles.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThatThrownBy(() -> DataFiles.sha256(dir.resolve("none"))).hasMessageContaining("data file not found");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aNamedPipeIsRefusedInsteadOfWaitedOn() throws Exception {
    Path fifo = dir.resolve("train.jsonl");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
    assertThatThrownBy(() -> PairDataset.read(fifo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(fifo + ": not a regular file (a named pipe (FIFO)); give the path of an ordinary file");
    assertThatThrownBy(() -> ListwiseDataset.read(fifo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a regular file");
    assertThatThrownBy(() -> DataFiles.sha256(fifo))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void loadsSamplesForEachInputKind() throws Exception {
    Path pairs = dir.resolve("p.jsonl");
    Files.writeString(pairs, "{\"pair\": [\"q\", \"a\"], \"label\": 1}\n{\"pair\": [\"q\", \"b\"], \"label\": 0}\n");
    Path lw = dir.resolve("l.jsonl");
    Files.writeString(lw, "{\"query\": \"q\", \"documents\": [\"a\", \"b\"], \"labels\": [1, 0]}\n");
    assertThat(DataFiles.load(DataFile.pairs(pairs), InputKind.POINTWISE)).isInstanceOf(Samples.Pointwise.class);
    assertThat(DataFiles.load(DataFile.pairs(pairs), InputKind.MULTICLASS)).isInstanceOf(Samples.Multiclass.class);
    assertThat(DataFiles.load(DataFile.pairs(pairs), InputKind.RANKING)).isInstanceOf(Samples.Ranking.class);
    assertThat(DataFiles.load(DataFile.listwise(lw), InputKind.RANKING)).isInstanceOf(Samples.Ranking.class);
    Samples.Pointwise flat = (Samples.Pointwise) DataFiles.load(DataFile.listwise(lw), InputKind.POINTWISE);
    assertThat(flat.labels()).containsExactly(1.0, 0.0);
    assertThatThrownBy(() -> DataFiles.load(DataFile.listwise(lw), InputKind.MULTILABEL))
        .hasMessageContaining("multi-label evaluator needs a pairs file");
    assertThatThrownBy(() -> DataFiles.load(DataFile.pairs(pairs), InputKind.MULTILABEL))
        .hasMessageContaining("need a 0/1 array as \"label\"");
  }
}
