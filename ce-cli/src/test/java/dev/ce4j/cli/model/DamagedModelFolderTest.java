package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ce predict} on model folders damaged in ways a disk, a copy or a hostile user leaves them:
 * exit 2 with one message naming the file as the user's path reaches it, and never a hang.
 */
class DamagedModelFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path dir;

  static Path good;
  static Path pairs;

  interface Damage {
    void apply(Path folder) throws IOException, InterruptedException;
  }

  @BeforeAll
  static void files() throws IOException {
    good = TinyModels.folder(shared.resolve("good"), 1, 3);
    pairs = Files.writeString(shared.resolve("pairs.jsonl"), "[\"a\", \"b\"]\n");
  }

  static void fifo(Path file) throws IOException, InterruptedException {
    Files.deleteIfExists(file);
    assumeTrue(new ProcessBuilder("mkfifo", file.toString()).start().waitFor() == 0, "no mkfifo");
  }

  static void editConfig(Path folder, String field, Object value) throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
    c.set(field, JSON.valueToTree(value));
    Files.writeString(folder.resolve("config.json"), JSON.writeValueAsString(c));
  }

  static Stream<Arguments> damages() {
    return Stream.of(
        Arguments.of("a FIFO as model.safetensors", (Damage) f -> fifo(f.resolve("model.safetensors")),
            "model.safetensors", "not a regular file (a named pipe (FIFO))"),
        Arguments.of("a FIFO as config.json", (Damage) f -> fifo(f.resolve("config.json")),
            "config.json", "not a regular file (a named pipe (FIFO))"),
        Arguments.of("a FIFO as tokenizer.json", (Damage) f -> fifo(f.resolve("tokenizer.json")),
            "tokenizer.json", "not a regular file (a named pipe (FIFO))"),
        Arguments.of("a directory as model.safetensors", (Damage) f -> {
          Files.delete(f.resolve("model.safetensors"));
          Files.createDirectory(f.resolve("model.safetensors"));
        }, "model.safetensors", "is a directory, not a file"),
        Arguments.of("a link to a missing file", (Damage) f -> {
          Files.delete(f.resolve("model.safetensors"));
          Files.createSymbolicLink(f.resolve("model.safetensors"), f.resolve("moved-away"));
        }, "model.safetensors", "broken symbolic link to '"),
        Arguments.of("an empty model.safetensors", (Damage) f -> Files.write(f.resolve("model.safetensors"), new byte[0]),
            "model.safetensors", "file is empty (0 bytes)"),
        Arguments.of("an empty config.json", (Damage) f -> Files.write(f.resolve("config.json"), new byte[0]),
            "config.json", "file is empty (0 bytes)"),
        Arguments.of("a truncated tokenizer.json",
            (Damage) f -> Files.writeString(f.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": {"),
            "tokenizer.json", "not a valid Hugging Face tokenizer.json: malformed JSON at line 1, column"),
        Arguments.of("a tokenizer.json that is not a tokenizer",
            (Damage) f -> Files.writeString(f.resolve("tokenizer.json"), "{\"model_type\": \"bert\"}"),
            "tokenizer.json", "not a valid Hugging Face tokenizer.json: "),
        Arguments.of("a truncated config.json",
            (Damage) f -> Files.writeString(f.resolve("config.json"), "{\"model_type\": \"bert\", \"id2label\": {"),
            "config.json", "malformed JSON at line 1, column"),
        Arguments.of("a vocabulary smaller than the tokenizer's ids",
            (Damage) f -> editConfig(f, "vocab_size", 100),
            "tokenizer.json", "token id 30521 ('"),
        Arguments.of("one token type for BERT's two segments",
            (Damage) f -> {
              editConfig(f, "type_vocab_size", 1);
              // the weights must match the config, or their shape is reported first
              Path w = f.resolve("model.safetensors");
              LinkedHashMap<String, FloatTensor> t = SafeTensors.readFloats(w, n -> true);
              String types = "bert.embeddings.token_type_embeddings.weight";
              t.put(types, new FloatTensor(new long[] {1, 32}, Arrays.copyOf(t.get(types).data(), 32)));
              SafeTensors.write(w, t, DType.F32, Map.of("format", "pt"));
            },
            "tokenizer.json", "the tokenizer gives a pair's tokens type id 1, but"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damages")
  void predictExitsWith2NamingTheFile(String what, Damage damage, String file, String message)
      throws Exception {
    Path folder = dir.resolve("m");
    copy(good, folder);
    damage.apply(folder);
    CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> ce("predict", "--model", folder.toString(), "--input", pairs.toString()));
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("ce predict: " + folder.resolve(file) + ": ").contains(message);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).doesNotContain("Source:", "REDACTED", "internal error");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
