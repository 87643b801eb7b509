package dev.ce4j.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code COMPLETE} marker: what it records, how it reads back, and what it finds damaged. */
class CompletionMarkerTest {
  // SHA-256 of "abc" and of "" (FIPS 180-2's test vector, and the empty message)
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir Path dir;

  @Test
  void recordsEveryFileByItsRelativePathExceptTheMarker() throws Exception {
    Files.createDirectories(dir.resolve("model"));
    Files.writeString(dir.resolve("model/weights"), "abc");
    Files.writeString(dir.resolve("state"), "");
    Files.writeString(dir.resolve(Checkpoint.COMPLETE), "old marker");
    CompletionMarker m = CompletionMarker.of(dir, 7);
    assertThat(m.sha256()).containsExactly(Map.entry("model/weights", ABC), Map.entry("state", EMPTY));
    assertThat(m.toJson()).isEqualTo("{\"step\":7,\"sha256\":{\"model/weights\":\"" + ABC + "\",\"state\":\"" + EMPTY + "\"}}\n");
    assertThat(CompletionMarker.parse(m.toJson())).contains(m);
  }

  @Test
  void findsAChangedAMissingAndAnUnchangedFile() throws Exception {
    Files.writeString(dir.resolve("a"), "abc");
    Files.writeString(dir.resolve("b"), "");
    CompletionMarker m = CompletionMarker.of(dir, 1);
    assertThat(m.verify(dir)).isEmpty();
    Files.writeString(dir.resolve("a"), "abd");
    assertThat(m.verify(dir)).contains(
        "a is not the file that was written: SHA-256 " + ABC + " when written, " + sha256("abd") + " now");
    Files.writeString(dir.resolve("a"), "abc");
    Files.delete(dir.resolve("b"));
    assertThat(m.verify(dir)).contains("b is missing");
  }

  @Test
  void aMarkerOfEarlierVersionsHoldsOnlyTheStep() {
    assertThat(CompletionMarker.parse("{\"step\": 5}\n")).hasValueSatisfying(m -> {
      assertThat(m.step()).isEqualTo(5);
      assertThat(m.sha256()).isEmpty();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "{}", "{\"step\": -1}", "{\"step\": 1.5}", "{\"step\": \"5\"}",
      "{\"step\": 5, \"sha256\": []}", "{\"step\": 5, \"sha256\": {\"a\": \"xyz\"}}", "[5]"})
  void anythingElseIsNoMarker(String text) {
    assertThat(CompletionMarker.parse(text)).isEmpty();
  }

  private static String sha256(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
