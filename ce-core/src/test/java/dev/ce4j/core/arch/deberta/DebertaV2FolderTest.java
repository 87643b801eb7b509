package dev.ce4j.core.arch.deberta;

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
 * DeBERTa-v2 model folders: what transformers 5 writes loads, {@code save} writes the keys
 * transformers writes and round-trips bit for bit, a new model's folder names DeBERTa's tokenizer,
 * a folder without its head gets a seeded one, and damaged configurations are refused naming the
 * key.
 */
class DebertaV2FolderTest {
  static final List<String> CASES = DebertaV2Fixtures.CASES;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys of the fixtures' config.json that record provenance, not the model. */
  private static final Set<String> PROVENANCE = Set.of("dtype", "transformers_version");

  /** Keys ce adds: sentence-transformers' block and the dtype under its older name. */
  private static final Set<String> CE_KEYS = Set.of("sentence_transformers", "torch_dtype");

  @TempDir Path dir;

  private static CrossEncoderOptions cpu() {
    return CrossEncoderOptions.defaults().withDevice("cpu");
  }

  private Path copy(String name) throws IOException {
    Path to = Files.createDirectories(dir.resolve("copy-" + name));
    try (Stream<Path> files = Files.list(DebertaV2Fixtures.folder(name))) {
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
    Path fixture = DebertaV2Fixtures.folder(name);
    List<TextPair> pairs = DebertaV2Fixtures.pairs(DebertaV2Fixtures.reference(name));
    Path saved = dir.resolve("saved");
    double[][] before;
    DebertaV2Config config;
    try (CrossEncoder model = CrossEncoder.load(fixture, cpu())) {
      before = model.predict(pairs, 8, false);
      config = (DebertaV2Config) model.config();
      model.save(saved);
    }
    assertThat(ModelFingerprint.ofFolder(saved)).isEqualTo(ModelFingerprint.ofFolder(fixture));
    assertThat(ModelFolder.readConfig(saved)).isEqualTo(config);
    try (CrossEncoder again = CrossEncoder.load(saved, cpu())) {
      assertThat(again.predict(pairs, 8, false)).isDeepEqualTo(before);
    }
    JsonNode want = DebertaV2Fixtures.readJson(fixture.resolve(ModelFolder.CONFIG));
    JsonNode got = DebertaV2Fixtures.readJson(saved.resolve(ModelFolder.CONFIG));
    Set<String> wantKeys = keys(want);
    wantKeys.removeAll(PROVENANCE);
    Set<String> gotKeys = keys(got);
    gotKeys.removeAll(CE_KEYS);
    assertThat(gotKeys).containsExactlyElementsOf(wantKeys);
    for (String k : wantKeys) {
      if (want.get(k).isNumber()) {
        assertThat(got.get(k).doubleValue()).as(k).isEqualTo(want.get(k).doubleValue());
      } else {
        assertThat(got.get(k)).as(k).isEqualTo(want.get(k));
      }
    }
    JsonNode tokenizerConfig = DebertaV2Fixtures.readJson(saved.resolve(ModelFolder.TOKENIZER_CONFIG));
    assertThat(tokenizerConfig.get("tokenizer_class").asText()).isEqualTo("DebertaV2Tokenizer");
    assertThat(tokenizerConfig.get("model_max_length").asInt()).isEqualTo(config.maxLength());
  }

  @Test
  void aNewModelsFolderNamesDebertasTokenizerAsTheFixtureDoes() throws IOException {
    Path fixture = DebertaV2Fixtures.folder(DebertaV2Fixtures.V3);
    DebertaV2Config config = (DebertaV2Config) ModelFolder.readConfig(fixture);
    try (CrossEncoder model = CrossEncoder.create(config, fixture.resolve(ModelFolder.TOKENIZER), 5, cpu())) {
      model.save(dir.resolve("new"));
    }
    JsonNode got = DebertaV2Fixtures.readJson(dir.resolve("new").resolve(ModelFolder.TOKENIZER_CONFIG));
    JsonNode want = DebertaV2Fixtures.readJson(fixture.resolve(ModelFolder.TOKENIZER_CONFIG));
    for (String k : List.of("tokenizer_class", "do_lower_case", "split_by_punct", "vocab_type", "model_max_length")) {
      assertThat(got.get(k)).as(k).isEqualTo(want.get(k));
    }
    assertThat(ModelFolder.readConfig(dir.resolve("new"))).isEqualTo(config);
    assertThat(ModelFingerprint.ofFolder(dir.resolve("new")))
        .isEqualTo(ModelFingerprint.of(WeightInit.initialWeights(config, 5)));
  }

  @ParameterizedTest
  @FieldSource("CASES")
  void aFolderWithoutTheHeadIsRefusedByLoadAndCompletedFromTheSeed(String name) throws IOException {
    Path folder = copy(name);
    LinkedHashMap<String, FloatTensor> all = ModelFolder.read(folder).weights();
    LinkedHashMap<String, FloatTensor> body = new LinkedHashMap<>(all);
    body.keySet().removeIf(DebertaV2Architecture.INSTANCE::isHead);
    assertThat(body).hasSize(all.size() - 4);
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), body, DType.F32, Map.of("format", "pt"));
    assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tensor 'pooler.dense.weight' is missing");
    DebertaV2Config config = (DebertaV2Config) ModelFolder.readConfig(folder);
    List<TextPair> pairs = DebertaV2Fixtures.pairs(DebertaV2Fixtures.reference(name));
    double[][] seven = scoresWithSeededHead(folder, config, 7, pairs);
    assertThat(scoresWithSeededHead(folder, config, 7, pairs)).isDeepEqualTo(seven);
    assertThat(scoresWithSeededHead(folder, config, 8, pairs)[0]).isNotEqualTo(seven[0]);
  }

  @Test
  void aV3CheckpointThatStillStoresAnAbsolutePositionTableLoadsWithoutIt() throws IOException {
    String name = "spm-v3-1label-len40";
    Path folder = copy(name);
    DebertaV2Config config = (DebertaV2Config) ModelFolder.readConfig(folder);
    assertThat(config.positionBiasedInput()).isFalse();
    LinkedHashMap<String, FloatTensor> stored = new LinkedHashMap<>(ModelFolder.read(folder).weights());
    int e = (int) stored.get(DebertaV2Tensors.WORD_EMBEDDINGS).shape()[1];
    stored.put(DebertaV2Tensors.POSITION_EMBEDDINGS,
        new FloatTensor(new long[] {config.maxPositionEmbeddings(), e}, new float[config.maxPositionEmbeddings() * e]));
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), stored, DType.F32, Map.of("format", "pt"));
    List<TextPair> pairs = DebertaV2Fixtures.pairs(DebertaV2Fixtures.reference(name));
    try (CrossEncoder withTable = CrossEncoder.load(folder, cpu());
        CrossEncoder fixture = CrossEncoder.load(DebertaV2Fixtures.folder(name), cpu())) {
      assertThat(withTable.predict(pairs)).isDeepEqualTo(fixture.predict(pairs)); // the table is not read
    }
    assertThat(ModelFolder.readStoredWeights(folder, config)).doesNotContainKey(DebertaV2Tensors.POSITION_EMBEDDINGS);
    assertThat(ModelFolder.readStoredWeights(folder, DebertaV2Architecture.INSTANCE))
        .containsKey(DebertaV2Tensors.POSITION_EMBEDDINGS); // without the configuration it cannot tell
  }

  private static double[][] scoresWithSeededHead(Path folder, DebertaV2Config config, long seed, List<TextPair> pairs) {
    DebertaV2Architecture arch = DebertaV2Architecture.INSTANCE;
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, arch);
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    for (String n : arch.tensorShapes(config).keySet()) {
      weights.put(n, stored.containsKey(n) ? stored.get(n) : arch.initialTensor(config, n, seed));
    }
    try (CrossEncoder model = CrossEncoder.fromWeights(config, weights, TokenizerFiles.fromFolder(folder), cpu())) {
      return model.predict(pairs, 8, false);
    }
  }

  static Stream<Arguments> damagedConfigs() {
    return Stream.of(
        Arguments.of("hidden_size missing", edit(c -> c.remove("hidden_size")),
            "required field \"hidden_size\" is missing"),
        Arguments.of("vocab_size missing", edit(c -> c.remove("vocab_size")),
            "required field \"vocab_size\" is missing"),
        Arguments.of("num_attention_heads a string", edit(c -> c.put("num_attention_heads", "4")),
            "\"num_attention_heads\" must be an integer, got \"4\""),
        Arguments.of("relative_attention a string", edit(c -> c.put("relative_attention", "yes")),
            "\"relative_attention\" must be true or false, got \"yes\""),
        Arguments.of("conv_kernel_size 2", edit(c -> c.put("conv_kernel_size", 2)),
            "conv_kernel_size must be 0 (no convolution) or odd, got 2"),
        Arguments.of("a convolution the weights lack or another kernel", edit(c -> c.put("conv_kernel_size",
            c.has("conv_kernel_size") ? 5 : 3)), "deberta.encoder.conv.conv.weight"),
        Arguments.of("pos_att_type p2p", edit(c -> c.put("pos_att_type", "p2c|p2p")), "pos_att_type entry 'p2p'"),
        Arguments.of("pad_token_id outside the vocabulary",
            edit(c -> c.put("pad_token_id", c.get("vocab_size").asInt())),
            "is outside [0, vocab_size"),
        Arguments.of("3 positions", edit(c -> c.put("max_position_embeddings", 3)),
            "max_position_embeddings must be at least 4, got 3"),
        Arguments.of("relative: relative embeddings of another size", edit(c -> c.put("position_buckets",
            c.get("position_buckets").asInt() > 0 ? 6 : -1).put("max_relative_positions", 20)),
            "deberta.encoder.rel_embeddings.weight"),
        Arguments.of("relative: share_att_key flipped", edit(c -> c.put("share_att_key", !c.get("share_att_key").asBoolean())),
            "pos_"),
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
      if (what.startsWith("relative:") && !json.get("relative_attention").asBoolean()) {
        continue; // the relative tensors' keys change nothing without relative attention
      }
      damage.accept(json);
      Files.writeString(file, json.toString());
      assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
          .as(name)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(folder.toString())
          .hasMessageContaining(message);
    }
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
