package dev.ce4j.core.arch.modernbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * ModernBERT model folders: both fixture layouts load, {@code save} writes the keys transformers 5
 * writes (the rotary settings as {@code rope_parameters} and {@code layer_types}) and round-trips
 * bit for bit, a new model's folder names ModernBERT's tokenizer class, a folder without its head
 * gets a seeded one, and damaged configurations are refused naming the file and the key.
 */
class ModernBertFolderTest {
  static final List<String> CASES = ModernBertFixtures.CASES;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys of the fixtures' config.json that record provenance, not the model. */
  private static final Set<String> PROVENANCE = Set.of("dtype", "transformers_version");

  /** Keys ce adds: sentence-transformers' block and the dtype under its older name. */
  private static final Set<String> CE_KEYS = Set.of("sentence_transformers", "torch_dtype");

  /** The Hub layout's keys that transformers 5 folds into rope_parameters or drops. */
  private static final Set<String> HUB_ONLY = Set.of("global_rope_theta", "local_rope_theta", "reference_compile");

  @TempDir Path dir;

  private static CrossEncoderOptions cpu() {
    return CrossEncoderOptions.defaults().withDevice("cpu");
  }

  private Path copy(String name) throws IOException {
    Path to = Files.createDirectories(dir.resolve("copy-" + name));
    try (Stream<Path> files = Files.list(ModernBertFixtures.folder(name))) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("reference.json")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void saveWritesWhatTransformersWritesAndLoadsBackBitForBit(String name) throws IOException {
    Path fixture = ModernBertFixtures.folder(name);
    List<TextPair> pairs = ModernBertFixtures.pairs(ModernBertFixtures.reference(name));
    Path saved = dir.resolve("saved");
    double[][] before;
    ModernBertConfig config;
    try (CrossEncoder model = CrossEncoder.load(fixture, cpu())) {
      before = model.predict(pairs, 8, false);
      config = (ModernBertConfig) model.config();
      model.save(saved);
    }
    assertThat(ModelFingerprint.ofFolder(saved)).isEqualTo(ModelFingerprint.ofFolder(fixture));
    assertThat(ModelFolder.readConfig(saved)).isEqualTo(config);
    try (CrossEncoder again = CrossEncoder.load(saved, cpu())) {
      assertThat(again.predict(pairs, 8, false)).isDeepEqualTo(before);
    }
    JsonNode want = ModernBertFixtures.readJson(fixture.resolve(ModelFolder.CONFIG));
    JsonNode got = ModernBertFixtures.readJson(saved.resolve(ModelFolder.CONFIG));
    Set<String> wantKeys = keys(want);
    wantKeys.removeAll(PROVENANCE);
    if (wantKeys.removeAll(HUB_ONLY)) {
      wantKeys.add("rope_parameters");
      wantKeys.add("layer_types");
    }
    Set<String> gotKeys = keys(got);
    gotKeys.removeAll(CE_KEYS);
    assertThat(gotKeys).containsExactlyElementsOf(wantKeys);
    for (String k : wantKeys) {
      JsonNode w = want.get(k);
      JsonNode g = got.get(k);
      if (w == null) {
        continue;
      }
      if (w.isNumber()) {
        assertThat(g.doubleValue()).as(k).isEqualTo(w.doubleValue());
      } else {
        assertThat(g).as(k).isEqualTo(w);
      }
    }
    JsonNode rope = got.get("rope_parameters");
    assertThat(rope.get("full_attention").get("rope_theta").asDouble()).isEqualTo(config.globalRopeTheta());
    assertThat(rope.get("sliding_attention").get("rope_theta").asDouble()).isEqualTo(config.localRopeTheta());
    JsonNode tokenizerConfig = ModernBertFixtures.readJson(saved.resolve(ModelFolder.TOKENIZER_CONFIG));
    assertThat(tokenizerConfig.get("tokenizer_class").asText()).isEqualTo("PreTrainedTokenizerFast");
    assertThat(tokenizerConfig.get("model_max_length").asInt()).isEqualTo(config.maxLength());
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void aNewModelsFolderNamesModernBertsTokenizerAndHoldsTheSeededWeights() throws IOException {
    Path fixture = ModernBertFixtures.folder(ModernBertFixtures.CLS_ONE_LABEL);
    ModernBertConfig config = (ModernBertConfig) ModelFolder.readConfig(fixture);
    try (CrossEncoder model = CrossEncoder.create(config, fixture.resolve(ModelFolder.TOKENIZER), 5, cpu())) {
      model.save(dir.resolve("new"));
    }
    JsonNode tokenizerConfig = ModernBertFixtures.readJson(dir.resolve("new").resolve(ModelFolder.TOKENIZER_CONFIG));
    assertThat(tokenizerConfig.get("tokenizer_class").asText()).isEqualTo("PreTrainedTokenizerFast");
    assertThat(tokenizerConfig.get("model_input_names")).hasSize(2);
    assertThat(ModelFolder.readConfig(dir.resolve("new"))).isEqualTo(config);
    assertThat(ModelFingerprint.ofFolder(dir.resolve("new")))
        .isEqualTo(ModelFingerprint.of(WeightInit.initialWeights(config, 5)));
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void aFolderWithoutTheHeadIsRefusedByLoadAndCompletedFromTheSeed(String name) throws IOException {
    Path folder = copy(name);
    ModernBertArchitecture arch = ModernBertArchitecture.INSTANCE;
    LinkedHashMap<String, FloatTensor> all = ModelFolder.read(folder).weights();
    LinkedHashMap<String, FloatTensor> body = new LinkedHashMap<>(all);
    body.keySet().removeIf(arch::isHead);
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), body, DType.F32, Map.of("format", "pt"));
    assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tensor 'head.dense.weight' is missing");
    ModernBertConfig config = (ModernBertConfig) ModelFolder.readConfig(folder);
    List<TextPair> pairs = ModernBertFixtures.pairs(ModernBertFixtures.reference(name));
    double[][] seven = scoresWithSeededHead(folder, config, 7, pairs);
    assertThat(scoresWithSeededHead(folder, config, 7, pairs)).isDeepEqualTo(seven);
    assertThat(scoresWithSeededHead(folder, config, 8, pairs)[0]).isNotEqualTo(seven[0]);
  }

  private static double[][] scoresWithSeededHead(Path folder, ModernBertConfig config, long seed,
      List<TextPair> pairs) {
    ModernBertArchitecture arch = ModernBertArchitecture.INSTANCE;
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, arch);
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    for (String n : arch.tensorShapes(config).keySet()) {
      weights.put(n, stored.containsKey(n) ? stored.get(n) : arch.initialTensor(config, n, seed));
    }
    assertThat(weights.keySet().stream().filter(n -> !stored.containsKey(n))).allMatch(arch::isHead);
    try (CrossEncoder model = CrossEncoder.fromWeights(config, weights, TokenizerFiles.fromFolder(folder), cpu())) {
      return model.predict(pairs, 8, false);
    }
  }

  static Stream<Arguments> damagedConfigs() {
    return Stream.of(
        Arguments.of("num_attention_heads a string", edit(c -> c.put("num_attention_heads", "4")),
            "\"num_attention_heads\" must be an integer, got \"4\""),
        Arguments.of("mlp_dropout a string", edit(c -> c.put("mlp_dropout", "0.1")),
            "\"mlp_dropout\" must be a number, got \"0.1\""),
        Arguments.of("attention_bias a number", edit(c -> c.put("attention_bias", 1)),
            "\"attention_bias\" must be true or false, got 1"),
        Arguments.of("hidden_activation gelu_new", edit(c -> c.put("hidden_activation", "gelu_new")),
            "unsupported \"hidden_activation\" 'gelu_new'"),
        Arguments.of("classifier_pooling max", edit(c -> c.put("classifier_pooling", "max")),
            "unsupported \"classifier_pooling\" 'max'"),
        Arguments.of("a yarn rope", edit(c -> c.putObject("rope_parameters").putObject("full_attention")
            .put("rope_type", "yarn").put("rope_theta", 1.0)), "'yarn' is not supported"),
        Arguments.of("layer_types against the pattern", edit(c -> c.put("global_attn_every_n_layers", 1)),
            "make them agree"),
        Arguments.of("pad_token_id outside the vocabulary",
            edit(c -> c.put("pad_token_id", c.get("vocab_size").asInt())), "is outside [0, vocab_size"),
        Arguments.of("3 positions", edit(c -> c.put("max_position_embeddings", 3)),
            "max_position_embeddings must be at least 4, got 3"),
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
      Path file = folder.resolve(ModelFolder.CONFIG);
      ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
      if (what.startsWith("layer_types") && !json.has("layer_types")) {
        json.putArray("layer_types").add("full_attention").add("sliding_attention").add("full_attention")
            .add("sliding_attention");
      }
      damage.accept(json);
      Files.writeString(file, json.toString());
      assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
          .as(name)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining(message);
    }
  }
}
