package dev.ce4j.core.arch.distilbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.ConfigJson;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.HalfFloats;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DistilBERT model folders: what transformers 5.17 wrote loads, {@code save} writes the keys
 * transformers writes and round-trips bit for bit, half-precision copies load, a folder without its
 * head gets a seeded one, and damaged configurations are refused naming the key.
 */
class DistilBertFolderTest {
  static final List<String> CASES = DistilBertFixtures.CASES;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys of the fixtures' config.json that record provenance, not the model. */
  private static final Set<String> PROVENANCE = Set.of("dtype", "transformers_version");

  /** Keys ce adds: sentence-transformers' block and the dtype under its older name. */
  private static final Set<String> CE_KEYS = Set.of("sentence_transformers", "torch_dtype");

  @TempDir Path dir;

  private static CrossEncoderOptions cpu() {
    return CrossEncoderOptions.defaults().withDevice("cpu");
  }

  /** A copy of a fixture folder that the test may change. */
  private Path copy(String name) throws IOException {
    Path to = Files.createDirectories(dir.resolve("copy-" + name));
    try (Stream<Path> files = Files.list(DistilBertFixtures.folder(name))) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("reference.json")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  private static void editConfig(Path folder, Consumer<ObjectNode> edit) throws IOException {
    Path file = folder.resolve(ModelFolder.CONFIG);
    ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(json);
    Files.writeString(file, json.toString());
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void saveWritesWhatTransformersWritesAndLoadsBackBitForBit(String name) throws IOException {
    Path fixture = DistilBertFixtures.folder(name);
    List<TextPair> pairs = DistilBertFixtures.pairs(DistilBertFixtures.reference(name));
    Path saved = dir.resolve("saved");
    double[][] before;
    DistilBertConfig config;
    try (CrossEncoder model = CrossEncoder.load(fixture, cpu())) {
      before = model.predict(pairs, 8, false);
      config = (DistilBertConfig) model.config();
      model.save(saved);
    }
    // the same tensors, names and values: the fixture's F32 file and ours hash alike
    assertThat(ModelFingerprint.ofFolder(saved)).isEqualTo(ModelFingerprint.ofFolder(fixture));
    assertThat(ModelFolder.readConfig(saved)).isEqualTo(config);
    try (CrossEncoder again = CrossEncoder.load(saved, cpu())) {
      assertThat(again.predict(pairs, 8, false)).isDeepEqualTo(before);
    }
    // config.json: the keys transformers 5.17 wrote, with the same values
    JsonNode want = DistilBertFixtures.readJson(fixture.resolve(ModelFolder.CONFIG));
    JsonNode got = DistilBertFixtures.readJson(saved.resolve(ModelFolder.CONFIG));
    Set<String> wantKeys = keys(want);
    wantKeys.removeAll(PROVENANCE);
    Set<String> gotKeys = keys(got);
    gotKeys.removeAll(CE_KEYS);
    assertThat(gotKeys).containsExactlyElementsOf(wantKeys);
    for (String k : wantKeys) {
      JsonNode w = want.get(k);
      JsonNode g = got.get(k);
      if (w.isNumber()) {
        assertThat(g.doubleValue()).as(k).isEqualTo(w.doubleValue());
      } else {
        assertThat(g).as(k).isEqualTo(w);
      }
    }
    // tokenizer_config.json: the fixture's, with model_max_length the model's
    JsonNode tokenizerConfig = DistilBertFixtures.readJson(saved.resolve(ModelFolder.TOKENIZER_CONFIG));
    assertThat(tokenizerConfig.get("tokenizer_class").asText()).isEqualTo("DistilBertTokenizer");
    assertThat(tokenizerConfig.get("model_max_length").asInt()).isEqualTo(config.maxLength());
  }

  @Test
  void aNewModelsFolderNamesDistilBertsTokenizer() throws IOException {
    Path fixture = DistilBertFixtures.folder(DistilBertFixtures.GELU_LEARNED);
    DistilBertConfig config = (DistilBertConfig) ModelFolder.readConfig(fixture);
    try (CrossEncoder model = CrossEncoder.create(config, fixture.resolve(ModelFolder.TOKENIZER), 5, cpu())) {
      model.save(dir.resolve("new"));
    }
    JsonNode tokenizerConfig = DistilBertFixtures.readJson(dir.resolve("new").resolve(ModelFolder.TOKENIZER_CONFIG));
    assertThat(tokenizerConfig.get("tokenizer_class").asText()).isEqualTo("DistilBertTokenizer");
    assertThat(tokenizerConfig.get("do_lower_case").asBoolean()).isTrue();
    assertThat(ModelFolder.readConfig(dir.resolve("new"))).isEqualTo(config);
    assertThat(ModelFingerprint.ofFolder(dir.resolve("new")))
        .isEqualTo(ModelFingerprint.of(WeightInit.initialWeights(config, 5)));
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void halfPrecisionCopiesOfTheWeightsLoad(String name) throws IOException {
    JsonNode ref = DistilBertFixtures.reference(name);
    List<TextPair> pairs = DistilBertFixtures.pairs(ref);
    Path folder = copy(name);
    LinkedHashMap<String, FloatTensor> f32 = ModelFolder.read(folder).weights();
    for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
      SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), f32, dtype, Map.of("format", "pt"));
      try (CrossEncoder model = CrossEncoder.load(folder, cpu())) {
        LinkedHashMap<String, FloatTensor> loaded = model.weights().toHost();
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
        // rounded weights give nearly the reference's logits (measured: up to 2e-3 from F16, 1.5e-2
        // from BF16, which keeps 8 bits of mantissa)
        double[][] logits = model.predict(pairs, 8, false);
        double tolerance = dtype == DType.BF16 ? 0.05 : 0.01;
        for (int i = 0; i < pairs.size(); i++) {
          double[] want = DistilBertFixtures.doubles(ref.get("pairs").get(i).get("logits"));
          for (int j = 0; j < want.length; j++) {
            assertThat(logits[i][j]).as("%s pair %d", dtype, i).isCloseTo(want[j], within(tolerance));
          }
        }
      }
    }
  }

  @Test
  void aCheckpointWithThePositionIdsBufferLoads() throws IOException {
    String name = DistilBertFixtures.GELU_LEARNED;
    Path folder = copy(name);
    LinkedHashMap<String, FloatTensor> weights = ModelFolder.read(folder).weights();
    long[] positions = new long[40];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    writeWithInt64Buffer(folder.resolve(ModelFolder.WEIGHTS), weights, DistilBertArchitecture.POSITION_IDS, positions);
    assertThat(Files.readString(folder.resolve(ModelFolder.WEIGHTS), StandardCharsets.ISO_8859_1))
        .contains("\"distilbert.embeddings.position_ids\":{\"dtype\":\"I64\"");
    assertThat(ModelFolder.read(folder).weights()).isEqualTo(weights);
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void aFolderWithoutTheHeadIsRefusedByLoadAndCompletedFromTheSeed(String name) throws IOException {
    Path folder = copy(name);
    LinkedHashMap<String, FloatTensor> all = ModelFolder.read(folder).weights();
    LinkedHashMap<String, FloatTensor> body = new LinkedHashMap<>(all);
    body.keySet().removeIf(DistilBertArchitecture.INSTANCE::isHead);
    assertThat(body).hasSize(all.size() - 4);
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), body, DType.F32, Map.of("format", "pt"));
    assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tensor 'pre_classifier.weight' is missing");
    // what a trainer does with such a folder: the stored body, the head from the seed
    DistilBertConfig config = (DistilBertConfig) ModelFolder.readConfig(folder);
    List<TextPair> pairs = DistilBertFixtures.pairs(DistilBertFixtures.reference(name));
    double[][] seven = scoresWithSeededHead(folder, config, 7, pairs);
    assertThat(scoresWithSeededHead(folder, config, 7, pairs)).isDeepEqualTo(seven);
    assertThat(scoresWithSeededHead(folder, config, 8, pairs)[0]).isNotEqualTo(seven[0]);
  }

  private static double[][] scoresWithSeededHead(Path folder, DistilBertConfig config, long seed, List<TextPair> pairs) {
    DistilBertArchitecture arch = DistilBertArchitecture.INSTANCE;
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, arch);
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    for (String n : arch.tensorShapes(config).keySet()) {
      weights.put(n, stored.containsKey(n) ? stored.get(n) : arch.initialTensor(config, n, seed));
    }
    assertThat(weights.keySet().stream().filter(n -> !stored.containsKey(n))).allMatch(arch::isHead).hasSize(4);
    try (CrossEncoder model = CrossEncoder.fromWeights(config, weights, TokenizerFiles.fromFolder(folder), cpu())) {
      return model.predict(pairs, 8, false);
    }
  }

  static Stream<Arguments> damagedConfigs() {
    return Stream.of(
        Arguments.of("dim missing", edit(c -> c.remove("dim")), "required field \"dim\" is missing"),
        Arguments.of("hidden_dim missing", edit(c -> c.remove("hidden_dim")), "required field \"hidden_dim\" is missing"),
        Arguments.of("vocab_size missing", edit(c -> c.remove("vocab_size")), "required field \"vocab_size\" is missing"),
        Arguments.of("n_heads a string", edit(c -> c.put("n_heads", "4")), "\"n_heads\" must be an integer, got \"4\""),
        Arguments.of("n_layers fractional", edit(c -> c.put("n_layers", 2.5)), "\"n_layers\" must be an integer, got 2.5"),
        Arguments.of("dropout a string", edit(c -> c.put("dropout", "0.1")), "\"dropout\" must be a number, got \"0.1\""),
        Arguments.of("sinusoidal_pos_embds a string", edit(c -> c.put("sinusoidal_pos_embds", "yes")),
            "\"sinusoidal_pos_embds\" must be true or false, got \"yes\""),
        Arguments.of("tie_weights_ a number", edit(c -> c.put("tie_weights_", 1)), "\"tie_weights_\" must be true or false, got 1"),
        Arguments.of("activation gelu_new", edit(c -> c.put("activation", "gelu_new")),
            "unsupported \"activation\" 'gelu_new'; ce supports DistilBERT with \"gelu\" (exact GELU) or \"relu\""),
        Arguments.of("activation a number", edit(c -> c.put("activation", 3)), "\"activation\" must be a string, got 3"),
        Arguments.of("dim not a multiple of n_heads", edit(c -> c.put("dim", 33)), "dim 33 is not a multiple of n_heads"),
        Arguments.of("hidden_size contradicts dim", edit(c -> c.put("hidden_size", 64)),
            "\"hidden_size\" is 64 but \"dim\" is 32"),
        Arguments.of("num_attention_heads contradicts n_heads", edit(c -> c.put("num_attention_heads", 8)),
            "\"num_attention_heads\" is 8 but \"n_heads\""),
        Arguments.of("num_hidden_layers contradicts n_layers", edit(c -> c.put("num_hidden_layers", 3)),
            "\"num_hidden_layers\" is 3 but \"n_layers\" is 2"),
        Arguments.of("pad_token_id outside the vocabulary", edit(c -> c.put("pad_token_id", c.get("vocab_size").asInt())),
            "is outside [0, vocab_size"),
        Arguments.of("negative n_layers", edit(c -> c.put("n_layers", -1)), "n_layers must be at least 1, got -1"),
        Arguments.of("dropout 1", edit(c -> c.put("seq_classif_dropout", 1.0)), "seq_classif_dropout must be in [0, 1), got 1.0"),
        Arguments.of("attention_dropout negative", edit(c -> c.put("attention_dropout", -0.1)),
            "attention_dropout must be in [0, 1), got -0.1"),
        Arguments.of("qa_dropout 2", edit(c -> c.put("qa_dropout", 2)), "qa_dropout must be in [0, 1), got 2.0"),
        Arguments.of("3 positions", edit(c -> c.put("max_position_embeddings", 3)), "max_position_embeddings must be at least 4, got 3"),
        Arguments.of("initializer_range 0", edit(c -> c.put("initializer_range", 0)), "initializer_range must be positive, got 0.0"),
        Arguments.of("vocabulary smaller than the tokenizer's", edit(c -> c.put("vocab_size", 100)), "vocab_size 100"));
  }

  private static Consumer<ObjectNode> edit(Consumer<ObjectNode> e) {
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedConfigs")
  void aDamagedConfigIsRefusedNamingTheFileAndTheKey(String what, Consumer<ObjectNode> damage, String message)
      throws IOException {
    for (String name : CASES) {
      Path folder = copy(name);
      editConfig(folder, damage);
      assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
          .as(name)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(folder.resolve(ModelFolder.CONFIG).toString())
          .hasMessageContaining(message);
    }
  }

  @Test
  void transformersAliasesOfTheSizesAndTransformersDefaultsAreRead() {
    String minimal = "{\"model_type\": \"distilbert\", \"vocab_size\": 100, \"hidden_size\": 16,"
        + " \"num_hidden_layers\": 3, \"num_attention_heads\": 2, \"hidden_dim\": 20}";
    DistilBertConfig c = (DistilBertConfig) ConfigJson.parse(minimal, "config.json");
    assertThat(c).isEqualTo(DistilBertConfig.builder().vocabSize(100).dim(16).nLayers(3).nHeads(2).hiddenDim(20)
        .numLabels(2).build());
    // transformers' DistilBertConfig defaults
    assertThat(c.feedForwardActivation()).isEqualTo("gelu");
    assertThat(c.sinusoidalPosEmbds()).isFalse();
    assertThat(List.of(c.dropout(), c.attentionDropout(), c.seqClassifDropout(), c.qaDropout(), c.initializerRange()))
        .containsExactly(0.1, 0.1, 0.2, 0.1, 0.02);
    assertThat(c.maxPositionEmbeddings()).isEqualTo(512);
    assertThat(c.padTokenId()).isZero();
    assertThat(c.labels()).containsExactly("LABEL_0", "LABEL_1");
    assertThat(c.tieWeights()).isNull();
    // both spellings, agreeing, are fine
    assertThat(ConfigJson.parse(minimal.replace("}", ", \"dim\": 16, \"n_heads\": 2, \"n_layers\": 3}"), "c")).isEqualTo(c);
  }

  @Test
  void anOldConfigsTieWeightsIsKeptAndWrittenBack() {
    String old = "{\"model_type\": \"distilbert\", \"vocab_size\": 100, \"dim\": 16, \"n_layers\": 1,"
        + " \"n_heads\": 2, \"hidden_dim\": 20, \"tie_weights_\": true, \"num_labels\": 1}";
    DistilBertConfig c = (DistilBertConfig) ConfigJson.parse(old, "config.json");
    assertThat(c.tieWeights()).isTrue();
    String written = ConfigJson.toJson(c);
    assertThat(written).contains("\"tie_weights_\" : true");
    assertThat(ConfigJson.parse(written, "written")).isEqualTo(c);
    assertThat(ConfigJson.toJson(c.toBuilder().tieWeights(null).build())).doesNotContain("tie_weights_");
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** A safetensors file (written by hand) with the weights as F32 and one I64 buffer. */
  private static void writeWithInt64Buffer(Path file, Map<String, FloatTensor> weights, String buffer, long[] values)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ObjectNode b = header.putObject(buffer);
    b.put("dtype", "I64");
    b.putArray("shape").add(1).add(values.length);
    ByteBuffer longs = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      longs.putLong(v);
    }
    b.putArray("data_offsets").add(0).add(longs.capacity());
    data.write(longs.array());
    for (Map.Entry<String, FloatTensor> e : weights.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      List<Long> shape = new ArrayList<>();
      for (long s : e.getValue().shape()) {
        shape.add(s);
      }
      shape.forEach(t.putArray("shape")::add);
      ByteBuffer floats = ByteBuffer.allocate(4 * e.getValue().data().length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : e.getValue().data()) {
        floats.putFloat(f);
      }
      t.putArray("data_offsets").add(data.size()).add(data.size() + floats.capacity());
      data.write(floats.array());
    }
    byte[] h = JSON.writeValueAsBytes(header);
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(length.array());
    out.write(h);
    out.write(data.toByteArray());
    Files.write(file, out.toByteArray());
  }
}
