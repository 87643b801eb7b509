package dev.ce4j.spark;

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
 * Test fixtures: tiny BERT model folders with the real all-MiniLM-L6-v2 tokenizer (from the
 * langchain4j artifact on the test class path) and random weights far from the initialisation, so
 * that different pairs get clearly different scores.
 */
public final class TinyModels {
  private static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

  private TinyModels() {}

  /**
   * Writes a tiny model folder.
   *
   * @param dir the folder to write
   * @param numLabels outputs
   * @param seed the weights' seed
   * @return {@code dir}
   */
  public static Path folder(Path dir, int numLabels, long seed) {
    BertConfig config = BertConfig.builder().vocabSize(30522).hiddenSize(32).numHiddenLayers(2)
        .numAttentionHeads(4).intermediateSize(64).maxPositionEmbeddings(128).numLabels(numLabels)
        .maxLength(64).build();
    Path tokenizer = dir.resolveSibling(dir.getFileName() + "-tokenizer.json");
    try (InputStream in = TinyModels.class.getResourceAsStream(MINILM_TOKENIZER)) {
      if (in == null) {
        throw new IllegalStateException(MINILM_TOKENIZER + " is not on the test class path");
      }
      Files.createDirectories(dir.toAbsolutePath().getParent());
      Files.write(tokenizer, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : BertTensors.shapes(config).entrySet()) {
      float[] d = new float[(int) FloatTensor.numel(e.getValue())];
      boolean layerNormWeight = e.getKey().endsWith("LayerNorm.weight");
      for (int i = 0; i < d.length; i++) {
        double g = r.nextDouble(-1, 1);
        d[i] = (float) (layerNormWeight ? 1 + 0.2 * g : 0.3 * g);
      }
      weights.put(e.getKey(), new FloatTensor(e.getValue(), d));
    }
    try (CrossEncoder model = CrossEncoder.fromWeights(
        config, weights, TokenizerFiles.of(tokenizer), CrossEncoderOptions.defaults())) {
      model.save(dir);
    }
    return dir;
  }
}
