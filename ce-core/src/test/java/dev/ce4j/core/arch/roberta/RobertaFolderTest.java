package dev.ce4j.core.arch.roberta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.HalfFloats;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RoBERTa and XLM-RoBERTa model folders: save then load is bit for bit; F16 and BF16 copies of the
 * weights load (rounded as stored); the buffers older transformers saved are skipped; a folder
 * without the head is refused by {@link CrossEncoder#load} naming the tensor, and completed with a
 * seeded head that the seed alone decides; a model made from a config and a {@code tokenizer.json}
 * writes the {@code tokenizer_config.json} transformers needs; a sequence longer than the
 * positions allow is refused.
 */
class RobertaFolderTest {
  @TempDir Path dir;

  static Stream<RobertaFixtures.Fixture> fixtures() {
    return RobertaFixtures.all();
  }

  private static CrossEncoder load(Path folder) {
    return CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("cpu"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void saveThenLoadIsBitForBit(RobertaFixtures.Fixture f) throws IOException {
    Path saved = dir.resolve("saved");
    String fingerprint;
    double[][] scores;
    try (CrossEncoder model = load(f.folder())) {
      fingerprint = ModelFingerprint.of(model.weights());
      scores = model.predict(f.pairs(), 8, false);
      model.save(saved);
    }
    assertThat(fingerprint).isEqualTo(ModelFingerprint.ofFolder(f.folder()));
    assertThat(ModelFingerprint.ofFolder(saved)).isEqualTo(fingerprint);
    assertThat(ModelFolder.readConfig(saved)).isEqualTo(ModelFolder.readConfig(f.folder()));
    JsonNode config = RobertaFixtures.JSON.readTree(saved.resolve("config.json").toFile());
    assertThat(config.get("model_type").asText()).isEqualTo(f.modelType());
    assertThat(config.get("architectures").get(0).asText()).isEqualTo(f.reference().get("architecture").asText());
    // the folder's own tokenizer files are kept, model_max_length as the configuration says
    JsonNode tokenizerConfig = RobertaFixtures.JSON.readTree(saved.resolve("tokenizer_config.json").toFile());
    JsonNode original = RobertaFixtures.JSON.readTree(f.folder().resolve("tokenizer_config.json").toFile());
    assertThat(tokenizerConfig).isEqualTo(original);
    assertThat(Files.readAllBytes(saved.resolve("tokenizer.json")))
        .isEqualTo(Files.readAllBytes(f.folder().resolve("tokenizer.json")));
    try (CrossEncoder again = load(saved)) {
      assertThat(ModelFingerprint.of(again.weights())).isEqualTo(fingerprint);
      assertThat(again.config()).isEqualTo(ModelFolder.readConfig(f.folder()));
      assertThat(again.predict(f.pairs(), 8, false)).isDeepEqualTo(scores);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void halfPrecisionCopiesLoadRoundedAsStored(RobertaFixtures.Fixture f) throws IOException {
    Path weights = f.folder().resolve("model.safetensors");
    LinkedHashMap<String, FloatTensor> f32 = SafeTensors.readFloats(weights, n -> true);
    for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
      Path half = f.copy(dir.resolve(dtype.name()), c -> c.put("dtype", dtype == DType.F16 ? "float16" : "bfloat16"));
      SafeTensors.write(half.resolve("model.safetensors"), f32, dtype, Map.of("format", "pt"));
      try (CrossEncoder model = load(half)) {
        Map<String, FloatTensor> loaded = model.weights().toHost();
        for (Map.Entry<String, FloatTensor> e : f32.entrySet()) {
          float[] src = e.getValue().data();
          float[] got = loaded.get(e.getKey()).data();
          for (int i = 0; i < src.length; i++) {
            float rounded = dtype == DType.BF16
                ? HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(src[i]))
                : HalfFloats.f16ToFloat(HalfFloats.floatToF16(src[i]));
            if (got[i] != rounded) {
              throw new AssertionError(dtype + " " + e.getKey() + "[" + i + "]: " + got[i] + " != " + rounded);
            }
          }
        }
        // the rounded weights still compute nearly the reference's logits (BF16 keeps 8 bits of
        // mantissa, F16 11; BF16 moved these logits by up to 0.022)
        double tolerance = dtype == DType.BF16 ? 0.1 : 0.01;
        double[][] raw = model.predict(f.pairs(), 8, false);
        for (int i = 0; i < raw.length; i++) {
          for (int j = 0; j < raw[i].length; j++) {
            assertThat(raw[i][j]).as("%s %s pair %d", f, dtype, i).isCloseTo(f.logits(i)[j], within(tolerance));
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void buffersOlderTransformersSavedAreSkipped(RobertaFixtures.Fixture f) throws IOException {
    Path folder = f.copy(dir.resolve("with-buffers"), c -> { });
    LinkedHashMap<String, FloatTensor> w = SafeTensors.readFloats(folder.resolve("model.safetensors"), n -> true);
    int positions = f.reference().get("max_position_embeddings").asInt();
    float[] ramp = new float[positions];
    for (int i = 0; i < positions; i++) {
      ramp[i] = i;
    }
    LinkedHashMap<String, FloatTensor> withBuffers = new LinkedHashMap<>();
    withBuffers.put("roberta.embeddings.position_ids", new FloatTensor(new long[] {1, positions}, ramp));
    withBuffers.put("roberta.embeddings.token_type_ids", new FloatTensor(new long[] {1, positions}, new float[positions]));
    withBuffers.putAll(w);
    SafeTensors.write(folder.resolve("model.safetensors"), withBuffers, DType.F32, Map.of("format", "pt"));
    try (CrossEncoder model = load(folder)) {
      assertThat(ModelFingerprint.of(model.weights())).isEqualTo(ModelFingerprint.ofFolder(f.folder()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aFolderWithoutTheHeadGetsASeededHead(RobertaFixtures.Fixture f) throws IOException {
    Path folder = f.copy(dir.resolve("encoder"), c -> { });
    Architecture arch = RobertaArchitecture.INSTANCE;
    LinkedHashMap<String, FloatTensor> body = new LinkedHashMap<>();
    SafeTensors.readFloats(folder.resolve("model.safetensors"), n -> !arch.isHead(n)).forEach(body::put);
    assertThat(body).hasSize(f.reference().get("tensors").size() - 4);
    SafeTensors.write(folder.resolve("model.safetensors"), body, DType.F32, Map.of("format", "pt"));

    // loading as a cross-encoder needs the head: refused, naming what is missing
    assertThatThrownBy(() -> load(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(folder.resolve("model.safetensors").toString())
        .hasMessageContaining("classifier.dense.weight");

    // completed as a trainer completes it: every head tensor from the seed
    LinkedHashMap<String, FloatTensor> first = completed(folder, arch, 5);
    LinkedHashMap<String, FloatTensor> same = completed(folder, arch, 5);
    LinkedHashMap<String, FloatTensor> other = completed(folder, arch, 6);
    for (String name : first.keySet()) {
      assertThat(same.get(name).bitwiseEquals(first.get(name))).as(name).isTrue();
      if (!arch.isHead(name)) {
        assertThat(first.get(name).bitwiseEquals(body.get(name))).as(name).isTrue();
      }
    }
    assertThat(other.get("classifier.dense.weight").bitwiseEquals(first.get("classifier.dense.weight"))).isFalse();
    assertThat(first.get("classifier.out_proj.bias").data()).containsOnly(0f);
    assertThat(first.get("classifier.dense.bias").data()).containsOnly(0f);
    assertThat(first.get("classifier.out_proj.weight").shape()).containsExactly(f.numLabels(), 32);
    try (CrossEncoder a = CrossEncoder.fromWeights(ModelFolder.readConfig(folder), first,
            TokenizerFiles.fromFolder(folder), CrossEncoderOptions.defaults().withDevice("cpu"));
        CrossEncoder b = CrossEncoder.fromWeights(ModelFolder.readConfig(folder), same,
            TokenizerFiles.fromFolder(folder), CrossEncoderOptions.defaults().withDevice("cpu"))) {
      double[][] scores = a.predict(f.pairs(), 8, false);
      assertThat(b.predict(f.pairs(), 8, false)).isDeepEqualTo(scores);
      assertThat(scores[0][0]).isFinite().isNotEqualTo(f.logits(0)[0]);
    }
  }

  private static LinkedHashMap<String, FloatTensor> completed(Path folder, Architecture arch, long seed) {
    RobertaConfig config = (RobertaConfig) ModelFolder.readConfig(folder);
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, arch);
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (String name : arch.tensorShapes(config).keySet()) {
      FloatTensor t = stored.get(name);
      out.put(name, t != null ? t : WeightInit.initialTensor(config, name, seed));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aModelFromAConfigAndATokenizerWritesTheTokenizerConfigTransformersNeeds(RobertaFixtures.Fixture f)
      throws IOException {
    RobertaConfig config = (RobertaConfig) ConfigJson.read(f.folder().resolve("config.json"));
    Path out = dir.resolve("new");
    try (CrossEncoder model = CrossEncoder.create(config, f.folder().resolve("tokenizer.json"), 3,
        CrossEncoderOptions.defaults().withDevice("cpu"))) {
      model.save(out);
    }
    JsonNode written = RobertaFixtures.JSON.readTree(out.resolve("tokenizer_config.json").toFile());
    JsonNode reference = RobertaFixtures.JSON.readTree(f.folder().resolve("tokenizer_config.json").toFile());
    // as transformers 5.17 wrote them for these tokenizers
    assertThat(written.get("tokenizer_class")).isEqualTo(reference.get("tokenizer_class"));
    for (String key : new String[] {"add_prefix_space", "trim_offsets"}) {
      assertThat(written.get(key)).as(key).isEqualTo(reference.get(key));
    }
    // the same config reads back from the saved folder (its maximum length: the positions)
    assertThat(written.get("model_max_length").asInt()).isEqualTo(f.maxLength());
    assertThat(ModelFolder.readConfig(out)).isEqualTo(config.withMaxLength(f.maxLength()));
    try (CrossEncoder loaded = load(out)) {
      assertThat(loaded.tokenizer().encode(f.pairs()).get(0).ids()).containsExactly(f.inputIds(0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void aSequenceLongerThanThePositionsIsRefused(RobertaFixtures.Fixture f) {
    try (CrossEncoder model = load(f.folder()); NDManager m = model.manager().newSubManager()) {
      int n = f.maxLength() + 1;
      long[][] ids = new long[1][n];
      java.util.Arrays.fill(ids[0], 5);
      long[][] ones = new long[1][n];
      java.util.Arrays.fill(ones[0], 1);
      ModelInputs in = ModelInputs.of(m, ids, new long[1][n], ones);
      assertThatThrownBy(() -> model.model().logits(in, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence of " + n + " tokens is longer than the model's " + f.maxLength()
              + " positions");
      // whatever the texts, the tokenizer stays within the positions
      String longText = "word ".repeat(200);
      assertThat(model.tokenizer().encode(TextPair.of(longText, longText)).length()).isEqualTo(f.maxLength());
      assertThat(model.predict(List.of(TextPair.of(longText, longText)), 1, false)[0][0]).isFinite();
    }
  }
}
