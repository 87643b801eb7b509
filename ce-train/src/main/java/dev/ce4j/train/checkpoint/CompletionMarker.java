package dev.ce4j.train.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.train.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code COMPLETE} file of a checkpoint, written last: the step, and the SHA-256 of every
 * other file of the checkpoint, by its path relative to the checkpoint folder ({@code /} as the
 * separator):
 *
 * <pre>
 *   {"step": 12, "sha256": {"model/config.json": "…", "model/model.safetensors": "…",
 *                           "optimizer.safetensors": "…", "run.json": "…", "trainer_state.json": "…"}}
 * </pre>
 *
 * <p>Its presence makes a folder a checkpoint; the digests let a resume find a checkpoint that was
 * damaged after it was written (a flipped bit on disk, a file replaced or truncated by hand) and
 * refuse to train on from it. Markers written before the digests were added hold only the step
 * ({@link #sha256()} is empty then). Immutable and thread-safe.
 *
 * @param step the optimisation step of the checkpoint
 * @param sha256 every file's digest by relative path, sorted; empty for a marker without digests
 */
public record CompletionMarker(long step, Map<String, String> sha256) {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** Validates and copies. */
  public CompletionMarker {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    sha256 = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(sha256, "sha256")));
  }

  /**
   * The marker of a checkpoint folder whose files are all written: digests every regular file
   * under it (except a {@code COMPLETE} file at its top).
   *
   * @param directory the checkpoint folder, never null
   * @param step the step
   * @return the marker, never null
   * @throws IOException if a file cannot be read
   */
  public static CompletionMarker of(Path directory, long step) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    Files.walkFileTree(
        directory,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Path rel = directory.relativize(file);
            if (attrs.isRegularFile() && !rel.toString().equals(Checkpoint.COMPLETE)) {
              digests.put(relativeName(rel), Sha256.of(file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return new CompletionMarker(step, digests);
  }

  /**
   * The marker as written to disk: one line of JSON.
   *
   * @return the text, with a final newline, never null
   */
  public String toJson() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("step", step);
    if (!sha256.isEmpty()) {
      ObjectNode d = o.putObject("sha256");
      sha256.forEach(d::put);
    }
    try {
      return MAPPER.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * Reads the marker of a folder.
   *
   * @param directory the folder, never null
   * @return the marker, or empty when there is none or it is not a marker (not JSON, no step, a
   *     digest that is not 64 hex digits)
   */
  public static Optional<CompletionMarker> read(Path directory) {
    Path file = directory.resolve(Checkpoint.COMPLETE);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  static Optional<CompletionMarker> parse(String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject() || !root.path("step").isIntegralNumber()
        || !root.path("step").canConvertToLong() || root.path("step").asLong() < 0) {
      return Optional.empty();
    }
    Map<String, String> digests = new TreeMap<>();
    JsonNode d = root.get("sha256");
    if (d != null) {
      if (!d.isObject()) {
        return Optional.empty();
      }
      for (Map.Entry<String, JsonNode> e : d.properties()) {
        if (!e.getValue().isTextual() || !e.getValue().asText().matches("[0-9a-f]{64}")) {
          return Optional.empty();
        }
        digests.put(e.getKey(), e.getValue().asText());
      }
    }
    return Optional.of(new CompletionMarker(root.get("step").asLong(), digests));
  }

  /**
   * Checks the files of a checkpoint folder against the digests.
   *
   * @param directory the checkpoint folder, never null
   * @return the first difference (a file missing, unreadable, or with another SHA-256 than when
   *     it was written), naming the file relative to the folder; empty when every file is as it was
   *     written, or when the marker has no digests
   */
  public Optional<String> verify(Path directory) {
    for (Map.Entry<String, String> e : sha256.entrySet()) {
      Path file = directory.resolve(e.getKey());
      String now;
      try {
        now = Sha256.of(file);
      } catch (NoSuchFileException ex) {
        return Optional.of(e.getKey() + " is missing");
      } catch (IOException ex) {
        return Optional.of(e.getKey() + " cannot be read (" + ex.getMessage() + ")");
      }
      if (!now.equals(e.getValue())) {
        return Optional.of(e.getKey() + " is not the file that was written: SHA-256 " + e.getValue()
            + " when written, " + now + " now");
      }
    }
    return Optional.empty();
  }

  private static String relativeName(Path rel) {
    StringBuilder b = new StringBuilder();
    for (Path part : rel) {
      b.append(b.length() == 0 ? "" : "/").append(part);
    }
    return b.toString();
  }
}
