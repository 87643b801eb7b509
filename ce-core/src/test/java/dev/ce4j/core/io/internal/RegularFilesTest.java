package dev.ce4j.core.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegularFilesTest {
  @TempDir Path dir;

  @Test
  void readErrorsNameTheFileOnceWithTheReason() {
    Path f = dir.resolve("config.json");
    // root reads any file, so the tests cannot make one unreadable: the exception is made here
    assertThat(RegularFiles.cannotRead(f, new AccessDeniedException(f.toString())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(f + ": permission denied; make the file readable by this user");
    assertThat(
            RegularFiles.cannotRead(
                f, new FileSystemException(f.toString(), null, "Input/output error")))
        .hasMessage(f + ": cannot read: Input/output error");
    assertThat(RegularFiles.cannotRead(f, new IOException("disk gone")))
        .hasMessage(f + ": cannot read: disk gone");
  }

  @Test
  void anOptionalFileIsAbsentOnlyWhenNothingHasItsName() throws IOException {
    Path f = dir.resolve("tokenizer_config.json");
    assertThat(RegularFiles.isPresent(f)).isFalse();
    Files.writeString(f, "{}");
    assertThat(RegularFiles.isPresent(f)).isTrue();
    Files.delete(f);
    Files.createSymbolicLink(f, dir.resolve("missing.json"));
    assertThatThrownBy(() -> RegularFiles.isPresent(f))
        .hasMessage(
            f
                + ": broken symbolic link to '"
                + dir.resolve("missing.json")
                + "', which"
                + " does not exist");
  }

  @Test
  void sizesAreChecked() throws IOException {
    Path f = Files.writeString(dir.resolve("big.json"), "{\"a\": 1}");
    assertThat(RegularFiles.readString(f, 8)).isEqualTo("{\"a\": 1}");
    assertThatThrownBy(() -> RegularFiles.readString(f, 7))
        .hasMessage(f + ": file is too large (8 bytes; at most 7 are read)");
    Path link = dir.resolve("link.json");
    Files.createSymbolicLink(link, f);
    assertThat(RegularFiles.requireRegularFile(link)).isEqualTo(8);
  }
}
