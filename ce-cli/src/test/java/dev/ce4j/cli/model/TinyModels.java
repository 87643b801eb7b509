package dev.ce4j.cli.model;

import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.bert.BertTensors;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test fixtures: tiny model folders with the real all-MiniLM-L6-v2 tokenizer (from the
 * langchain4j artifact on the class path) and weights far from the initialisation, so that
 * different inputs get clearly different scores.
 */
final class TinyModels {
  /** The tokenizer resource in the langchain4j artifact. */
  static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

  private TinyModels() {}

  /** A tiny configuration whose vocabulary covers the MiniLM tokenizer. */
  static BertConfig config(int numLabels) {
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

  /** The same configuration as Hugging Face config.json text, for {@code ce init}. */
  static String configJson(int numLabels) {
    return "{\"model_type\": \"bert\", \"vocab_size\": 30522, \"hidden_size\": 32,"
        + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"intermediate_size\": 64,"
        + " \"max_position_embeddings\": 128, \"num_labels\": " + numLabels + "}";
  }

  /** Writes the MiniLM tokenizer.json to {@code file}. */
  static Path tokenizer(Path file) {
    try (InputStream in = TinyModels.class.getResourceAsStream(MINILM_TOKENIZER)) {
      if (in == null) {
        throw new IllegalStateException(MINILM_TOKENIZER + " is not on the test class path");
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, in.readAllBytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a tiny model folder with {@code numLabels} outputs and random weights. */
  static Path folder(Path dir, int numLabels, long seed) {
    BertConfig config = config(numLabels);
    Path tokenizer = tokenizer(dir.resolveSibling(dir.getFileName() + "-tokenizer.json"));
    try (CrossEncoder model = CrossEncoder.fromWeights(
        config, randomWeights(config, seed), TokenizerFiles.of(tokenizer), CrossEncoderOptions.defaults())) {
      model.save(dir);
    }
    return dir;
  }

  private static Map<String, FloatTensor> randomWeights(BertConfig config, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : BertTensors.shapes(config).entrySet()) {
      float[] d = new float[(int) FloatTensor.numel(e.getValue())];
      boolean layerNormWeight = e.getKey().endsWith("LayerNorm.weight");
      for (int i = 0; i < d.length; i++) {
        double g = r.nextDouble(-1, 1);
        d[i] = (float) (layerNormWeight ? 1 + 0.2 * g : 0.3 * g);
      }
      out.put(e.getKey(), new FloatTensor(e.getValue(), d));
    }
    return out;
  }
}
