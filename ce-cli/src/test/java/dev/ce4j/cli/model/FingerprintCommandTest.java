package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheFingerprintOfAFolderAndOfItsWeightsFile() {
    Path model = TinyModels.folder(dir.resolve("m"), 1, 1);
    CliRun run = ce("fingerprint", model.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).isEqualTo(ModelFingerprint.ofFolder(model) + System.lineSeparator());
    assertThat(run.out().strip()).matches("[0-9a-f]{64}");
    assertThat(run.err()).startsWith("ce fingerprint: device none");
    assertThat(ce("fingerprint", model.resolve("model.safetensors").toString()).out()).isEqualTo(run.out());
    Path other = TinyModels.folder(dir.resolve("other"), 1, 2);
    assertThat(ce("fingerprint", other.toString()).out()).isNotEqualTo(run.out());
  }

  @Test
  void aMissingFolderExitsWith2() {
    CliRun run = ce("fingerprint", dir.resolve("nothing").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("nothing' does not exist");
  }

  @Test
  void aFolderWithoutWeightsExitsWith2NamingTheFile() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    CliRun run = ce("fingerprint", empty.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(empty.resolve("model.safetensors").toString());
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aDamagedWeightsFileExitsWith2() throws IOException {
    Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
    CliRun run = ce("fingerprint", bad.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(bad.toString());
    assertThat(run.errHasStackTrace()).isFalse();
  }
}
