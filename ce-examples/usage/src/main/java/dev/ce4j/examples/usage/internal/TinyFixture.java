package dev.ce4j.examples.usage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * The tiny model of {@code ce-examples/data/tiny} (a 2-layer BERT with hidden size 32 and its
 * WordPiece tokenizer, made by {@code make_tiny.py}) and its data, shipped in this module's jar.
 * They train in a few seconds, for examples about the machinery rather than the model. The data
 * are topic-word sentences: {@code train.jsonl} holds (query, document) pairs labelled 1 when
 * they share a topic, {@code dev.jsonl} listwise queries with four documents each.
 *
 * @param config the model's {@code config.json}, never null
 * @param tokenizer its {@code tokenizer.json}, never null
 * @param train the training pairs, never null
 * @param dev the listwise dev queries, never null
 */
public record TinyFixture(Path config, Path tokenizer, Path train, Path dev) {
  private static final String RESOURCES = "/dev/ce4j/examples/usage/tiny/";

  /** Validates. */
  public TinyFixture {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(dev, "dev");
  }

  /**
   * Writes the four files into a folder.
   *
   * @param folder the folder, created if needed, never null
   * @return the written files, never null
   * @throws UncheckedIOException if a file cannot be read from the class path or written
   */
  public static TinyFixture copyTo(Path folder) {
    try {
      Files.createDirectories(folder);
      return new TinyFixture(
          copy("config.json", folder), copy("tokenizer.json", folder), copy("train.jsonl", folder),
          copy("dev.jsonl", folder));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tiny fixture to " + folder, e);
    }
  }

  private static Path copy(String name, Path folder) throws IOException {
    Path target = folder.resolve(name);
    try (InputStream in = TinyFixture.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("class path resource " + RESOURCES + name + " is missing (a broken build?)");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
